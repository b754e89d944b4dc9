package dev.palco.bridge.ingest;

/**
 * Moves one publisher's capture times from its own wall clock onto ours: one offset for all its
 * tracks, so its audio and video keep the sync the sender gave them (RFC 3550 §6.4.1: the NTP
 * timestamps of one participant's SRs come from one clock; abs-capture-time is on the same clock
 * once its estimated offset is applied).
 *
 * <p>The offset is the smallest {@code arrival − senderCapture} seen: the clocks' difference plus
 * the quickest trip from the sender's capture to our queue. Capture times so mapped are therefore
 * never later than the packets' arrival, and stay put as long as the quickest trip does; a
 * quicker packet moves every track of the participant by the same amount.
 */
final class CaptureClock {
  private boolean known;
  private long offsetUs;

  /** Notes one frame's sender capture time and our arrival time; returns the capture time on our clock. */
  long toLocal(long senderCaptureUs, long arrivalUs) {
    long d = arrivalUs - senderCaptureUs;
    if (!known || d < offsetUs) {
      offsetUs = d;
      known = true;
    }
    return senderCaptureUs + offsetUs;
  }
}
