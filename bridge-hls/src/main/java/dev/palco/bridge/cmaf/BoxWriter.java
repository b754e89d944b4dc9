package dev.palco.bridge.cmaf;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer that writes ISO BMFF boxes (ISO/IEC 14496-12 §4.2).
 *
 * <pre>
 * ISO/IEC 14496-12 §4.2, Box and FullBox:
 *
 *   unsigned int(32) size;          // whole box, header included
 *   unsigned int(32) type;          // four-character code
 *   [FullBox only]
 *   unsigned int(8)  version;
 *   bit(24)          flags;
 * </pre>
 *
 * <p>A box is opened with {@link #startBox} and closed with {@link #endBox}, which patches the size
 * field once the content is known, so callers never compute sizes by hand. The buffer is reused
 * across fragments ({@link #reset}); it only grows, so the steady path allocates nothing once it
 * has reached the size of the largest fragment. Not thread-safe.
 */
public final class BoxWriter {

    /** Size of the size+type box header. */
    public static final int BOX_HEADER_SIZE_BYTES = 8;

    private static final int MAX_NESTING = 16;

    private byte[] buf;
    private int pos;
    private final int[] openBoxStarts = new int[MAX_NESTING];
    private int depth;

    /** @param initialCapacityBytes first capacity; the buffer doubles as needed */
    public BoxWriter(int initialCapacityBytes) {
        buf = new byte[Math.max(64, initialCapacityBytes)];
    }

    /** Forgets everything written; keeps the capacity. */
    public void reset() {
        pos = 0;
        depth = 0;
    }

    /** Bytes written so far. */
    public int length() {
        return pos;
    }

    /** The backing array; valid bytes are {@code [0, length())}. Replaced when the buffer grows. */
    public byte[] array() {
        return buf;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The four-character code of {@code type} as a big-endian int, e.g. {@code fourcc("moof")}. */
    public static int fourcc(String type) {
        if (type.length() != 4) {
            throw new IllegalArgumentException("box type must have 4 characters: " + type);
        }
        return type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
    }

    /** Opens a plain box; its size is patched by the matching {@link #endBox}. */
    public void startBox(int type) {
        if (depth == MAX_NESTING) {
            throw new IllegalStateException("boxes nested deeper than " + MAX_NESTING);
        }
        openBoxStarts[depth++] = pos;
        u32(0);
        u32(type);
    }

    /** Opens a FullBox with its version and 24-bit flags. */
    public void startFullBox(int type, int version, int flags) {
        startBox(type);
        u32((long) version << 24 | (flags & 0xFFFFFF));
    }

    /** Closes the innermost open box and writes its size. */
    public void endBox() {
        if (depth == 0) {
            throw new IllegalStateException("no open box");
        }
        int start = openBoxStarts[--depth];
        putU32At(start, pos - start);
    }

    /** Writes one byte. */
    public void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    /** Writes a 16-bit big-endian value. */
    public void u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    /** Writes a 24-bit big-endian value. */
    public void u24(int v) {
        ensure(3);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    /** Writes a 32-bit big-endian value (the low 32 bits of {@code v}). */
    public void u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    /** Writes a 64-bit big-endian value. */
    public void u64(long v) {
        u32(v >>> 32);
        u32(v);
    }

    /** Writes {@code count} zero bytes. */
    public void zeros(int count) {
        ensure(count);
        Arrays.fill(buf, pos, pos + count, (byte) 0);
        pos += count;
    }

    /** Copies {@code len} bytes from {@code src}. */
    public void bytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    /** Overwrites 32 bits at an earlier position (a size or an offset known only later). */
    public void putU32At(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
