package dev.palco.rtp.rtcp;

/**
 * Static accessors for a generic NACK, RTPFB PT=205 FMT=1 (RFC 4585 §6.2.1). Call {@link #validate}
 * once; the other methods assume it returned {@link RtcpDropReason#OK}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |    PT=205     |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            PID                |             BLP               |  FCI, one or more
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>PID is a lost packet's sequence number; bit {@code i} of BLP (least significant first) says
 * that {@code PID + i + 1} (mod 2^16) is lost too.
 */
public final class NackParser {
  /** Size of one PID+BLP entry. */
  public static final int FCI_SIZE_BYTES = 4;

  private NackParser() {}

  /** Checks the packet: feedback header, PT=205, FMT=1, and at least one whole FCI entry. */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason =
        RtcpFeedback.check(buf, off, len, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_NACK);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int fciBytes = RtcpFeedback.bodySizeBytes(buf, off, len) - RtcpFeedback.FCI_OFFSET_BYTES;
    // RFC 4585 §6.2.1: the FCI holds at least one Generic NACK.
    if (fciBytes < FCI_SIZE_BYTES || fciBytes % FCI_SIZE_BYTES != 0) {
      return RtcpDropReason.BAD_FCI_LENGTH;
    }
    return RtcpDropReason.OK;
  }

  /** Number of PID+BLP entries. */
  public static int fciCount(byte[] buf, int off, int len) {
    return (RtcpFeedback.bodySizeBytes(buf, off, len) - RtcpFeedback.FCI_OFFSET_BYTES) / FCI_SIZE_BYTES;
  }

  /** PID of entry {@code index}. */
  public static int pid(byte[] buf, int off, int index) {
    return RtcpBytes.u16(buf, off + RtcpFeedback.FCI_OFFSET_BYTES + index * FCI_SIZE_BYTES);
  }

  /** BLP of entry {@code index}. */
  public static int blp(byte[] buf, int off, int index) {
    return RtcpBytes.u16(buf, off + RtcpFeedback.FCI_OFFSET_BYTES + index * FCI_SIZE_BYTES + 2);
  }

  /**
   * Passes every lost sequence number to {@code sink}, entry by entry, in wire order.
   *
   * @return the number of sequence numbers passed
   */
  public static int forEachLost(byte[] buf, int off, int len, NackSequenceConsumer sink) {
    int entries = fciCount(buf, off, len);
    int reported = 0;
    for (int i = 0; i < entries; i++) {
      int pid = pid(buf, off, i);
      int blp = blp(buf, off, i);
      sink.onLostSequence(pid);
      reported++;
      while (blp != 0) {
        int bit = Integer.numberOfTrailingZeros(blp);
        sink.onLostSequence((pid + bit + 1) & 0xFFFF);
        reported++;
        blp &= blp - 1;
      }
    }
    return reported;
  }

  /**
   * Copies the lost sequence numbers into {@code out[outOff ..]}, in wire order, stopping when
   * {@code maxCount} have been copied.
   *
   * @return the number copied
   */
  public static int copyLost(byte[] buf, int off, int len, int[] out, int outOff, int maxCount) {
    int entries = fciCount(buf, off, len);
    int copied = 0;
    for (int i = 0; i < entries && copied < maxCount; i++) {
      int pid = pid(buf, off, i);
      int blp = blp(buf, off, i);
      out[outOff + copied++] = pid;
      while (blp != 0 && copied < maxCount) {
        int bit = Integer.numberOfTrailingZeros(blp);
        out[outOff + copied++] = (pid + bit + 1) & 0xFFFF;
        blp &= blp - 1;
      }
    }
    return copied;
  }

  /** The number of sequence numbers the packet reports (entries plus set BLP bits). */
  public static int lostCount(byte[] buf, int off, int len) {
    int entries = fciCount(buf, off, len);
    int count = entries;
    for (int i = 0; i < entries; i++) {
      count += Integer.bitCount(blp(buf, off, i));
    }
    return count;
  }
}
