package dev.palco.rtp.rtcp;

/**
 * Static accessors for a full intra request, PSFB PT=206 FMT=4 (RFC 5104 §4.3.1). Call {@link
 * #validate} once; the accessors assume it returned {@link RtcpDropReason#OK}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=4  |    PT=206     |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             SSRC of media source (unused, 0)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                              SSRC                             |  FCI entry,
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  one or more
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>RFC 5104 §4.3.1.2: the header's media SSRC is not used; each entry names the stream that must
 * send a decoder refresh point, and its sequence number lets the sender ignore repeats.
 */
public final class FirParser {
  /** Size of one SSRC + seq nr entry. */
  public static final int ENTRY_SIZE_BYTES = 8;

  private FirParser() {}

  /** Checks the packet: feedback header, PT=206, FMT=4, and one or more whole entries. */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason =
        RtcpFeedback.check(buf, off, len, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_FIR);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int fciBytes = RtcpFeedback.bodySizeBytes(buf, off, len) - RtcpFeedback.FCI_OFFSET_BYTES;
    if (fciBytes < ENTRY_SIZE_BYTES || fciBytes % ENTRY_SIZE_BYTES != 0) {
      return RtcpDropReason.BAD_FCI_LENGTH;
    }
    return RtcpDropReason.OK;
  }

  /** SSRC of the packet sender. */
  public static int senderSsrc(byte[] buf, int off) {
    return RtcpFeedback.senderSsrc(buf, off);
  }

  /** Number of FCI entries. */
  public static int entryCount(byte[] buf, int off, int len) {
    return (RtcpFeedback.bodySizeBytes(buf, off, len) - RtcpFeedback.FCI_OFFSET_BYTES) / ENTRY_SIZE_BYTES;
  }

  /** SSRC of the stream entry {@code index} asks to refresh. */
  public static int entrySsrc(byte[] buf, int off, int index) {
    return RtcpBytes.i32(buf, off + RtcpFeedback.FCI_OFFSET_BYTES + index * ENTRY_SIZE_BYTES);
  }

  /** Command sequence number (0 to 255) of entry {@code index}. */
  public static int entrySeqNr(byte[] buf, int off, int index) {
    return buf[off + RtcpFeedback.FCI_OFFSET_BYTES + index * ENTRY_SIZE_BYTES + 4] & 0xFF;
  }
}
