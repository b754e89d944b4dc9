package dev.palco.rtp.rtcp;

/** Writes a picture loss indication, PSFB FMT=1 (RFC 4585 §6.3.1; layout on {@link PliParser}). */
public final class PliEncoder {
  /** A PLI is always 12 bytes (length field 2). */
  public static final int SIZE_BYTES = RtcpFeedback.FCI_OFFSET_BYTES;

  private PliEncoder() {}

  /**
   * Writes a PLI asking the sender of {@code mediaSsrc} for a key frame.
   *
   * @return {@link #SIZE_BYTES}
   */
  public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
    return RtcpFeedback.writeHeader(
        buf, off, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_PLI, SIZE_BYTES, senderSsrc, mediaSsrc);
  }
}
