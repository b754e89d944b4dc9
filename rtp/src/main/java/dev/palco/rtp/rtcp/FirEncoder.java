package dev.palco.rtp.rtcp;

/** Writes a full intra request, PSFB FMT=4 (RFC 5104 §4.3.1; layout on {@link FirParser}). */
public final class FirEncoder {
  private FirEncoder() {}

  /** The size of a FIR with {@code entryCount} entries. */
  public static int sizeBytes(int entryCount) {
    return RtcpFeedback.FCI_OFFSET_BYTES + entryCount * FirParser.ENTRY_SIZE_BYTES;
  }

  /**
   * Writes a FIR with one entry.
   *
   * @param seqNr the command sequence number; RFC 5104 §4.3.1.2 says it increases by one (mod 256)
   *     per new request and repeats for retransmissions
   * @return {@link #sizeBytes(int) sizeBytes(1)}
   */
  public static int write(byte[] buf, int off, int senderSsrc, int targetSsrc, int seqNr) {
    int size = sizeBytes(1);
    RtcpFeedback.writeHeader(buf, off, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_FIR, size, senderSsrc, 0);
    writeEntry(buf, off + RtcpFeedback.FCI_OFFSET_BYTES, targetSsrc, seqNr);
    return size;
  }

  /**
   * Writes a FIR with {@code count} entries taken from parallel arrays.
   *
   * @return {@link #sizeBytes(int)}
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public static int write(
      byte[] buf, int off, int senderSsrc, int[] targetSsrcs, int[] seqNrs, int from, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("a FIR carries at least one entry");
    }
    int size = sizeBytes(count);
    // RFC 5104 §4.3.1.2: the media source SSRC of the header SHALL be 0.
    RtcpFeedback.writeHeader(buf, off, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_FIR, size, senderSsrc, 0);
    for (int i = 0; i < count; i++) {
      writeEntry(
          buf,
          off + RtcpFeedback.FCI_OFFSET_BYTES + i * FirParser.ENTRY_SIZE_BYTES,
          targetSsrcs[from + i],
          seqNrs[from + i]);
    }
    return size;
  }

  private static void writeEntry(byte[] buf, int pos, int ssrc, int seqNr) {
    RtcpBytes.put32(buf, pos, ssrc);
    buf[pos + 4] = (byte) seqNr;
    // Reserved: "MUST be set to 0 by the sender".
    buf[pos + 5] = 0;
    buf[pos + 6] = 0;
    buf[pos + 7] = 0;
  }
}
