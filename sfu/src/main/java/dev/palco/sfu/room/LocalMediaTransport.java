package dev.palco.sfu.room;

/**
 * A {@link PlaintextMediaTransport} for a subscriber inside the process (the LL-HLS bridge): each
 * forwarded RTP packet is handed over as a plain view, together with what the subscriber cannot
 * recover from the rewritten header — the SSRC and RTP timestamp the publisher gave it. With those
 * it maps media time to the publisher's clock through the publisher's sender reports
 * ({@link TrackPublication#lastSenderReport(long)}), which the SFU terminates (RFC 3550 §6.4.1:
 * the NTP↔RTP pair is per sender SSRC, and the rewritten timestamp is on another timeline).
 *
 * <p>RTP forwarded to such a transport does not go through {@link #send}; RTCP the SFU generates
 * for it (its sender reports, retransmissions) still does, and may be ignored.
 */
public interface LocalMediaTransport extends PlaintextMediaTransport {

  /**
   * One forwarded RTP packet, already rewritten onto the subscription's outgoing stream. Called on
   * the publisher's media worker under the subscriber's send lock: it must not block and must not
   * keep {@code buf} (copy what is needed, or count a drop).
   *
   * @param subscription the subscription it belongs to
   * @param sourceSsrc the SSRC the publisher sent it with (the simulcast layer's stream)
   * @param sourceTimestamp the RTP timestamp the publisher gave it
   */
  void receiveForwarded(TrackSubscription subscription, byte[] buf, int off, int len,
      long sourceSsrc, long sourceTimestamp);

  /** Always true: nothing to set up between the SFU and a subscriber in the same process. */
  @Override
  default boolean isSecured() {
    return true;
  }
}
