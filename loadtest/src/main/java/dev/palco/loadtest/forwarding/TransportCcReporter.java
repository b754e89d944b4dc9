package dev.palco.loadtest.forwarding;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.sfu.feedback.TransportFeedbackGenerator;

/**
 * A load subscriber's side of transport-wide congestion control, as a browser's receiver does it:
 * it reads the transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §2) from every RTP packet it receives, padding included, and builds transport-cc feedback
 * (RTPFB FMT=15, §3.1) at most every {@code intervalMs}. Chrome's receiver sends it every 50 to
 * 100 ms at stage bitrates.
 *
 * <p>The feedback is built by the SFU's own {@link TransportFeedbackGenerator} (which the SFU
 * sends toward its publishers), so the client and the SFU speak the same encoder and parser. It is
 * driven by arrivals rather than a timer: a feedback becomes due with the first packet after the
 * interval has passed, and a subscriber that receives nothing has nothing to report, as in
 * libwebrtc. Nothing is allocated per packet.
 *
 * <p>Not thread-safe: confine to the subscriber's receive callback.
 */
public final class TransportCcReporter {
  /** Our RTCP sender SSRC in the feedback. */
  static final int SENDER_SSRC = 0x7CC0_FEED;

  private final int extensionId;
  private final TransportFeedbackGenerator generator;
  private long packetsWithoutNumber;

  /**
   * @param extensionId the id agreed for the transport-wide sequence number (1..255)
   * @param intervalMs the shortest spacing of feedback packets
   */
  public TransportCcReporter(int extensionId, long intervalMs) {
    if (extensionId <= 0 || extensionId > RtpHeaderExtensions.TWO_BYTE_MAX_ID) {
      throw new IllegalArgumentException("extensionId=" + extensionId);
    }
    this.extensionId = extensionId;
    this.generator = new TransportFeedbackGenerator(intervalMs);
  }

  /**
   * Records a received (decrypted) RTP packet. A packet without the element is counted and
   * otherwise ignored.
   *
   * @param arrivalNanos its arrival, in {@link System#nanoTime()} units
   */
  public void onRtp(byte[] buf, int off, int len, long arrivalNanos) {
    int data = RtpHeaderExtensions.findDataOffset(buf, off, len, extensionId);
    if (data < 0 || !TransportCcExtension.isValidLength(RtpHeaderExtensions.dataLengthAt(buf, off, data))) {
      packetsWithoutNumber++;
      return;
    }
    generator.onPacket(TransportCcExtension.sequenceNumber(buf, data), RtpPacket.ssrc(buf, off),
        arrivalNanos / 1_000);
  }

  /**
   * Writes the next feedback packet at {@code out[outOff]} if one is due. A long stretch takes
   * several packets: call again while it returns more than 0.
   *
   * @param nowNanos now, in {@link System#nanoTime()} units
   * @param out room for at least 1200 bytes plus the SRTCP overhead after {@code outOff}
   * @return the length written, or 0 when nothing is due
   */
  public int writeFeedback(long nowNanos, byte[] out, int outOff) {
    return generator.write(nowNanos / 1_000_000, SENDER_SSRC, out, outOff);
  }

  /** Packets that carried the transport-wide number. */
  public long packetsRecorded() {
    return generator.packetsRecorded();
  }

  /** Packets that did not carry it. */
  public long packetsWithoutNumber() {
    return packetsWithoutNumber;
  }

  /** Feedback packets written. */
  public long feedbacksWritten() {
    return generator.feedbacksSent();
  }
}
