package dev.palco.rtp.rtcp;

/** Writes a receiver report, PT=201 (RFC 3550 §6.4.2); the layout is drawn on {@link ReceiverReportParser}. */
public final class ReceiverReportEncoder {
  private ReceiverReportEncoder() {}

  /** The size of an RR with {@code reportCount} blocks. */
  public static int sizeBytes(int reportCount) {
    return ReceiverReportParser.FIXED_SIZE_BYTES + reportCount * ReportBlock.SIZE_BYTES;
  }

  /**
   * Writes an RR with the first {@code reportCount} entries of {@code blocks} (0 to 31). An RR with
   * no blocks is the mandatory first packet of a compound from a receiver with nothing to report
   * (RFC 3550 §6.1).
   *
   * @return the number of bytes written, {@link #sizeBytes(int)}
   * @throws IllegalArgumentException if {@code reportCount} is outside 0..31
   */
  public static int write(byte[] buf, int off, int senderSsrc, ReportBlock[] blocks, int reportCount) {
    if (reportCount < 0 || reportCount > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("reportCount must be 0..31");
    }
    int size = sizeBytes(reportCount);
    RtcpHeader.write(buf, off, reportCount, RtcpHeader.PT_RR, size);
    RtcpBytes.put32(buf, off + 4, senderSsrc);
    for (int i = 0; i < reportCount; i++) {
      blocks[i].writeTo(buf, ReceiverReportParser.reportBlockOffset(off, i));
    }
    return size;
  }
}
