package dev.palco.rtp.rtcp;

/**
 * A reusable, allocation-free cursor over the chunks and items of a source description packet,
 * PT=202 (RFC 3550 §6.5).
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                           SDES items                          |
 *        |                              ...                              |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_2                          |
 *   2    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                           SDES items                          |
 *        |                              ...                              |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * item:   0                   1                   2                   3
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |     type      |     length    | text (length octets)        ...
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Each chunk's item list ends with one or more null octets (an item of type 0) padding the
 * chunk to a 32-bit boundary. {@link #reset} walks every chunk and item once before anything is
 * yielded, so iteration never meets a malformed item. Items of every type are yielded; the caller
 * picks the ones it knows (usually {@link #ITEM_CNAME}).
 */
public final class SdesParser {
  /** End of the item list. */
  public static final int ITEM_END = 0;
  /** Canonical end-point identifier (RFC 3550 §6.5.1). */
  public static final int ITEM_CNAME = 1;
  /** User name. */
  public static final int ITEM_NAME = 2;
  /** Electronic mail address. */
  public static final int ITEM_EMAIL = 3;
  /** Phone number. */
  public static final int ITEM_PHONE = 4;
  /** Geographic user location. */
  public static final int ITEM_LOC = 5;
  /** Application or tool name. */
  public static final int ITEM_TOOL = 6;
  /** Notice/status. */
  public static final int ITEM_NOTE = 7;
  /** Private extension. */
  public static final int ITEM_PRIV = 8;

  private byte[] buf;
  private int packetOff;
  private int chunksLeft;
  private int chunkPos;
  private boolean inChunk;
  private int itemPos;
  private int chunkSsrc;
  private int itemType;
  private int itemOffset;
  private int itemLength;

  /**
   * Validates the SDES packet in {@code (buf, off, len)} and rewinds to its first chunk.
   *
   * @return {@link RtcpDropReason#OK}, or the reason; on failure no chunk is yielded
   */
  public RtcpDropReason reset(byte[] buf, int off, int len) {
    this.buf = buf;
    this.packetOff = off;
    this.inChunk = false;
    this.chunksLeft = 0;
    this.chunkPos = off + RtcpHeader.HEADER_SIZE_BYTES;
    RtcpDropReason reason = validate(buf, off, len);
    if (reason == RtcpDropReason.OK) {
      chunksLeft = RtcpHeader.count(buf, off);
    }
    return reason;
  }

  /** Checks the packet: common header, PT=202, and SC well-formed chunks within the body. */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason = RtcpHeader.checkType(buf, off, len, RtcpHeader.PT_SDES, -1);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int end = off + len - RtcpHeader.paddingSizeBytes(buf, off, len);
    int pos = off + RtcpHeader.HEADER_SIZE_BYTES;
    int chunks = RtcpHeader.count(buf, off);
    for (int c = 0; c < chunks; c++) {
      if (end - pos < 4) {
        return RtcpDropReason.BAD_SDES_CHUNK;
      }
      pos += 4;
      // Each step consumes at least one byte, so this loop is bounded by the packet size.
      while (true) {
        if (pos >= end) {
          return RtcpDropReason.BAD_SDES_CHUNK;
        }
        if (buf[pos] == ITEM_END) {
          pos = chunkEnd(off, pos);
          if (pos > end) {
            return RtcpDropReason.BAD_SDES_CHUNK;
          }
          break;
        }
        if (end - pos < 2 || end - pos - 2 < (buf[pos + 1] & 0xFF)) {
          return RtcpDropReason.BAD_SDES_CHUNK;
        }
        pos += 2 + (buf[pos + 1] & 0xFF);
      }
    }
    return RtcpDropReason.OK;
  }

  /** The first 32-bit boundary (relative to the packet start) after the null octet at {@code nullPos}. */
  private static int chunkEnd(int packetOff, int nullPos) {
    return packetOff + ((nullPos + 1 - packetOff + 3) & ~3);
  }

  /** Moves to the next chunk, skipping any items of the current one not yet read. */
  public boolean nextChunk() {
    while (inChunk) {
      nextItem();
    }
    if (chunksLeft == 0) {
      return false;
    }
    chunksLeft--;
    chunkSsrc = RtcpBytes.i32(buf, chunkPos);
    itemPos = chunkPos + 4;
    inChunk = true;
    return true;
  }

  /** Moves to the next item of the current chunk; false at the chunk's null terminator. */
  public boolean nextItem() {
    if (!inChunk) {
      return false;
    }
    int type = buf[itemPos] & 0xFF;
    if (type == ITEM_END) {
      chunkPos = chunkEnd(packetOff, itemPos);
      inChunk = false;
      return false;
    }
    itemType = type;
    itemLength = buf[itemPos + 1] & 0xFF;
    itemOffset = itemPos + 2;
    itemPos = itemOffset + itemLength;
    return true;
  }

  /** SSRC or CSRC of the current chunk. */
  public int chunkSsrc() {
    return chunkSsrc;
  }

  /** Type of the current item ({@link #ITEM_CNAME} and so on). */
  public int itemType() {
    return itemType;
  }

  /** Offset of the current item's text in the buffer. */
  public int itemOffset() {
    return itemOffset;
  }

  /** Length of the current item's text (0 to 255). */
  public int itemLength() {
    return itemLength;
  }
}
