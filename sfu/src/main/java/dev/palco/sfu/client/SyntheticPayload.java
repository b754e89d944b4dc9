package dev.palco.sfu.client;

/**
 * The self-describing body that synthetic media carries after its codec headers, so that a
 * receiver can prove that every byte arrived as sent and measure how long it took.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         magic "PLCO"                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     source id (the sender's SSRC)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         frame number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        packet index           |        packet count           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +               send time (System.nanoTime of the sender)       +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   filler: byte i = (frame * 31 + index * 7 + i) mod 256 ...   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The send time is written last, just before the packet leaves, so that the SFU's
 * forwarding delay can be read on a receiver in the same process or on the same host.
 */
public final class SyntheticPayload {
  /** "PLCO". */
  public static final int MAGIC = 0x504C434F;
  /** Bytes of the fixed part before the filler. */
  public static final int HEADER_SIZE_BYTES = 24;
  /** Offset of the send time inside the body. */
  public static final int SEND_TIME_OFFSET = 16;

  private SyntheticPayload() {}

  /**
   * Writes a body of {@code len} bytes (at least {@link #HEADER_SIZE_BYTES}) with the send time
   * left zero.
   */
  public static void write(
      byte[] buf, int off, int len, long sourceId, int frame, int index, int count) {
    if (len < HEADER_SIZE_BYTES) {
      throw new IllegalArgumentException("body of " + len + " bytes is too small");
    }
    putInt(buf, off, MAGIC);
    putInt(buf, off + 4, (int) sourceId);
    putInt(buf, off + 8, frame);
    buf[off + 12] = (byte) (index >>> 8);
    buf[off + 13] = (byte) index;
    buf[off + 14] = (byte) (count >>> 8);
    buf[off + 15] = (byte) count;
    putLong(buf, off + SEND_TIME_OFFSET, 0);
    int seed = frame * 31 + index * 7;
    for (int i = HEADER_SIZE_BYTES; i < len; i++) {
      buf[off + i] = (byte) (seed + i);
    }
  }

  /** Stamps the send time into a body written by {@link #write}. */
  public static void stampSendTime(byte[] buf, int bodyOff, long sendNanos) {
    putLong(buf, bodyOff + SEND_TIME_OFFSET, sendNanos);
  }

  /** Whether the body is intact: magic, and every filler byte where {@link #write} put it. */
  public static boolean verify(byte[] buf, int off, int len) {
    if (len < HEADER_SIZE_BYTES || getInt(buf, off) != MAGIC) {
      return false;
    }
    int seed = frame(buf, off) * 31 + index(buf, off) * 7;
    for (int i = HEADER_SIZE_BYTES; i < len; i++) {
      if (buf[off + i] != (byte) (seed + i)) {
        return false;
      }
    }
    return true;
  }

  /** The sender's SSRC as written, 0..2^32-1. */
  public static long sourceId(byte[] buf, int off) {
    return getInt(buf, off + 4) & 0xFFFF_FFFFL;
  }

  /** The frame number. */
  public static int frame(byte[] buf, int off) {
    return getInt(buf, off + 8);
  }

  /** The packet's index within its frame. */
  public static int index(byte[] buf, int off) {
    return ((buf[off + 12] & 0xFF) << 8) | (buf[off + 13] & 0xFF);
  }

  /** How many packets the frame has. */
  public static int count(byte[] buf, int off) {
    return ((buf[off + 14] & 0xFF) << 8) | (buf[off + 15] & 0xFF);
  }

  /** The sender's {@link System#nanoTime()} when the packet left. */
  public static long sendNanos(byte[] buf, int off) {
    return ((long) getInt(buf, off + SEND_TIME_OFFSET) << 32)
        | (getInt(buf, off + SEND_TIME_OFFSET + 4) & 0xFFFF_FFFFL);
  }

  private static void putInt(byte[] buf, int off, int v) {
    buf[off] = (byte) (v >>> 24);
    buf[off + 1] = (byte) (v >>> 16);
    buf[off + 2] = (byte) (v >>> 8);
    buf[off + 3] = (byte) v;
  }

  private static void putLong(byte[] buf, int off, long v) {
    putInt(buf, off, (int) (v >>> 32));
    putInt(buf, off + 4, (int) v);
  }

  private static int getInt(byte[] buf, int off) {
    return ((buf[off] & 0xFF) << 24)
        | ((buf[off + 1] & 0xFF) << 16)
        | ((buf[off + 2] & 0xFF) << 8)
        | (buf[off + 3] & 0xFF);
  }
}
