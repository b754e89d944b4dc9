package dev.palco.rtp.rtcp;

/**
 * Writes a generic NACK, RTPFB FMT=1 (RFC 4585 §6.2.1; layout on {@link NackParser}), from a list
 * of lost sequence numbers.
 *
 * <p>The list may be in any order and may cross the 65535→0 wrap. Each number either becomes a new
 * PID or sets a BLP bit of the current entry when it lies 1 to 16 after that PID (mod 2^16), so every
 * number is reported whatever the order; a list in ascending wrap-aware order (what a NACK
 * generator keeps) gives the fewest entries. A repeat of the current PID is skipped.
 */
public final class NackEncoder {
  private static final int BLP_SPAN = 16;
  private static final int MAX_FCI_COUNT =
      (RtcpHeader.MAX_PACKET_SIZE_BYTES - RtcpFeedback.FCI_OFFSET_BYTES) / NackParser.FCI_SIZE_BYTES;

  private NackEncoder() {}

  /** Number of PID+BLP entries {@link #write} produces for {@code seqs[from .. from + count)}. */
  public static int fciCount(int[] seqs, int from, int count) {
    if (count <= 0) {
      return 0;
    }
    int entries = 1;
    int pid = seqs[from] & 0xFFFF;
    for (int i = from + 1; i < from + count; i++) {
      int seq = seqs[i] & 0xFFFF;
      int distance = (seq - pid) & 0xFFFF;
      if (distance <= BLP_SPAN) {
        continue;
      }
      pid = seq;
      entries++;
    }
    return entries;
  }

  /** The packet size {@link #write} produces for the list. */
  public static int sizeBytes(int[] seqs, int from, int count) {
    return RtcpFeedback.FCI_OFFSET_BYTES + fciCount(seqs, from, count) * NackParser.FCI_SIZE_BYTES;
  }

  /**
   * Writes a NACK reporting every sequence number in {@code seqs[from .. from + count)} (low 16
   * bits of each).
   *
   * @return the number of bytes written, {@link #sizeBytes}
   * @throws IllegalArgumentException if the list is empty (RFC 4585 requires one entry) or needs
   *     more entries than the 16-bit length field allows
   */
  public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int[] seqs, int from, int count) {
    int entries = fciCount(seqs, from, count);
    if (entries == 0 || entries > MAX_FCI_COUNT) {
      throw new IllegalArgumentException("a NACK reports 1.." + MAX_FCI_COUNT + " entries");
    }
    int size = RtcpFeedback.FCI_OFFSET_BYTES + entries * NackParser.FCI_SIZE_BYTES;
    RtcpFeedback.writeHeader(
        buf, off, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_NACK, size, senderSsrc, mediaSsrc);
    int pos = off + RtcpFeedback.FCI_OFFSET_BYTES;
    int pid = seqs[from] & 0xFFFF;
    int blp = 0;
    for (int i = from + 1; i < from + count; i++) {
      int seq = seqs[i] & 0xFFFF;
      int distance = (seq - pid) & 0xFFFF;
      if (distance == 0) {
        continue;
      }
      if (distance <= BLP_SPAN) {
        blp |= 1 << (distance - 1);
        continue;
      }
      RtcpBytes.put16(buf, pos, pid);
      RtcpBytes.put16(buf, pos + 2, blp);
      pos += NackParser.FCI_SIZE_BYTES;
      pid = seq;
      blp = 0;
    }
    RtcpBytes.put16(buf, pos, pid);
    RtcpBytes.put16(buf, pos + 2, blp);
    return size;
  }
}
