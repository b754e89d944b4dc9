package dev.palco.rtp.rtcp;

/** Writes a goodbye packet, PT=203 (RFC 3550 §6.6; layout on {@link ByeParser}). */
public final class ByeEncoder {
  private ByeEncoder() {}

  /** The size of a BYE with {@code ssrcCount} identifiers and a reason of {@code reasonLen} bytes (-1: none). */
  public static int sizeBytes(int ssrcCount, int reasonLen) {
    int size = RtcpHeader.HEADER_SIZE_BYTES + 4 * ssrcCount;
    return reasonLen < 0 ? size : size + ((1 + reasonLen + 3) & ~3);
  }

  /**
   * Writes a BYE for {@code ssrcs[ssrcOff .. ssrcOff + ssrcCount)} with an optional reason.
   *
   * @param reason the reason text, or null for none
   * @return the number of bytes written, {@link #sizeBytes(int, int)}
   * @throws IllegalArgumentException if {@code ssrcCount} is outside 0..31 or the reason is over 255 bytes
   */
  public static int write(
      byte[] buf, int off, int[] ssrcs, int ssrcOff, int ssrcCount, byte[] reason, int reasonOff, int reasonLen) {
    if (ssrcCount < 0 || ssrcCount > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("ssrcCount must be 0..31");
    }
    int textLen = reason == null ? -1 : reasonLen;
    if (textLen > 255) {
      throw new IllegalArgumentException("reason must be at most 255 bytes");
    }
    int size = sizeBytes(ssrcCount, textLen);
    RtcpHeader.write(buf, off, ssrcCount, RtcpHeader.PT_BYE, size);
    int pos = off + RtcpHeader.HEADER_SIZE_BYTES;
    for (int i = 0; i < ssrcCount; i++) {
      RtcpBytes.put32(buf, pos, ssrcs[ssrcOff + i]);
      pos += 4;
    }
    if (textLen >= 0) {
      buf[pos] = (byte) textLen;
      System.arraycopy(reason, reasonOff, buf, pos + 1, textLen);
      // RFC 3550 §6.6: the reason is padded with nulls to a 32-bit boundary.
      for (int p = pos + 1 + textLen; p < off + size; p++) {
        buf[p] = 0;
      }
    }
    return size;
  }
}
