package dev.palco.rtp.rtcp;

/** Writes a sender report, PT=200 (RFC 3550 §6.4.1); the layout is drawn on {@link SenderReportParser}. */
public final class SenderReportEncoder {
  private SenderReportEncoder() {}

  /** The size of an SR with {@code reportCount} blocks. */
  public static int sizeBytes(int reportCount) {
    return SenderReportParser.FIXED_SIZE_BYTES + reportCount * ReportBlock.SIZE_BYTES;
  }

  /**
   * Writes an SR with the first {@code reportCount} entries of {@code blocks} (at most 31; RFC 3550
   * §6.4 sends further blocks in additional RRs).
   *
   * @return the number of bytes written, {@link #sizeBytes(int)}
   * @throws IllegalArgumentException if {@code reportCount} is outside 0..31
   */
  public static int write(
      byte[] buf,
      int off,
      int senderSsrc,
      long ntpTimestamp,
      int rtpTimestamp,
      long packetCount,
      long octetCount,
      ReportBlock[] blocks,
      int reportCount) {
    if (reportCount < 0 || reportCount > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("reportCount must be 0..31");
    }
    int size = sizeBytes(reportCount);
    RtcpHeader.write(buf, off, reportCount, RtcpHeader.PT_SR, size);
    RtcpBytes.put32(buf, off + 4, senderSsrc);
    RtcpBytes.put32(buf, off + 8, ntpTimestamp >>> 32);
    RtcpBytes.put32(buf, off + 12, ntpTimestamp);
    RtcpBytes.put32(buf, off + 16, rtpTimestamp);
    RtcpBytes.put32(buf, off + 20, packetCount);
    RtcpBytes.put32(buf, off + 24, octetCount);
    for (int i = 0; i < reportCount; i++) {
      blocks[i].writeTo(buf, SenderReportParser.reportBlockOffset(off, i));
    }
    return size;
  }
}
