package dev.palco.rtp.rtcp;

/**
 * Writes a source description packet, PT=202 (RFC 3550 §6.5; layout on {@link SdesParser}).
 *
 * <p>A reusable builder: {@link #begin}, then {@link #chunk} and {@link #item} as often as needed,
 * then {@link #finish} returns the size. For the common single-CNAME case use {@link #writeCname}.
 */
public final class SdesEncoder {
  private byte[] buf;
  private int off;
  private int pos;
  private int chunkCount;
  private boolean inChunk;

  /** Starts a packet at {@code buf[off]}; any unfinished packet is discarded. */
  public SdesEncoder begin(byte[] buf, int off) {
    this.buf = buf;
    this.off = off;
    this.pos = off + RtcpHeader.HEADER_SIZE_BYTES;
    this.chunkCount = 0;
    this.inChunk = false;
    return this;
  }

  /**
   * Starts a chunk for {@code ssrc}, closing the previous one.
   *
   * @throws IllegalStateException after 31 chunks (the SC field is five bits), or before {@link #begin}
   */
  public SdesEncoder chunk(int ssrc) {
    if (buf == null) {
      throw new IllegalStateException("begin() first");
    }
    if (chunkCount == RtcpHeader.MAX_COUNT) {
      throw new IllegalStateException("an SDES packet holds at most 31 chunks");
    }
    closeChunk();
    RtcpBytes.put32(buf, pos, ssrc);
    pos += 4;
    chunkCount++;
    inChunk = true;
    return this;
  }

  /**
   * Adds an item to the current chunk.
   *
   * @throws IllegalArgumentException if {@code type} is outside 1..255 or {@code len} above 255
   * @throws IllegalStateException outside a chunk
   */
  public SdesEncoder item(int type, byte[] text, int textOff, int len) {
    if (!inChunk) {
      throw new IllegalStateException("chunk() first");
    }
    if (type <= SdesParser.ITEM_END || type > 255 || len < 0 || len > 255) {
      throw new IllegalArgumentException("item type must be 1..255 and length 0..255");
    }
    buf[pos] = (byte) type;
    buf[pos + 1] = (byte) len;
    System.arraycopy(text, textOff, buf, pos + 2, len);
    pos += 2 + len;
    return this;
  }

  /** Closes the last chunk, writes the header and returns the packet size in bytes. */
  public int finish() {
    closeChunk();
    int size = pos - off;
    RtcpHeader.write(buf, off, chunkCount, RtcpHeader.PT_SDES, size);
    buf = null;
    return size;
  }

  private void closeChunk() {
    if (!inChunk) {
      return;
    }
    // RFC 3550 §6.5: at least one null octet ends the item list, then zeros up to 32 bits.
    do {
      buf[pos++] = 0;
    } while (((pos - off) & 3) != 0);
    inChunk = false;
  }

  /** The size of an SDES packet holding one chunk with one CNAME of {@code cnameLen} bytes. */
  public static int cnameSizeBytes(int cnameLen) {
    return RtcpHeader.HEADER_SIZE_BYTES + ((4 + 2 + cnameLen + 1 + 3) & ~3);
  }

  /**
   * Writes an SDES packet with one chunk carrying only a CNAME, which is what RFC 3550 §6.1 asks
   * each compound to include.
   *
   * @return the number of bytes written, {@link #cnameSizeBytes(int)}
   * @throws IllegalArgumentException if {@code cnameLen} is above 255
   */
  public static int writeCname(byte[] buf, int off, int ssrc, byte[] cname, int cnameOff, int cnameLen) {
    if (cnameLen < 0 || cnameLen > 255) {
      throw new IllegalArgumentException("CNAME must be 0..255 bytes");
    }
    int size = cnameSizeBytes(cnameLen);
    RtcpHeader.write(buf, off, 1, RtcpHeader.PT_SDES, size);
    RtcpBytes.put32(buf, off + 4, ssrc);
    buf[off + 8] = SdesParser.ITEM_CNAME;
    buf[off + 9] = (byte) cnameLen;
    System.arraycopy(cname, cnameOff, buf, off + 10, cnameLen);
    for (int p = off + 10 + cnameLen; p < off + size; p++) {
      buf[p] = 0;
    }
    return size;
  }
}
