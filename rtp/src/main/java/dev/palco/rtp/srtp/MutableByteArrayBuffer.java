package dev.palco.rtp.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable, re-pointable {@link ByteArrayBuffer} over the caller's array, so that handing a
 * packet to jitsi-srtp's crypto contexts allocates nothing. The sessions no longer use jitsi-srtp's
 * contexts; the interoperability tests and {@code SrtpBenchmark} do, to compare our transforms
 * with them, and re-point one instance with {@link #wrap} for every packet.
 *
 * <p>The capacity is the end of the caller's array: jitsi-srtp appends the tag (and the SRTCP
 * index) after the packet in place. The caller checks the tailroom, so the capacity checks here
 * only guard a broken invariant.
 */
public final class MutableByteArrayBuffer implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    /** Points this view at {@code buf[off, off + len)}. */
    public void wrap(byte[] buf, int off, int len) {
        this.buffer = buf;
        this.offset = off;
        this.length = len;
    }

    /** Drops the reference to the caller's array once a call is done. */
    public void clear() {
        this.buffer = null;
        this.offset = 0;
        this.length = 0;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buffer.length) {
            throw new IllegalStateException("length outside the array");
        }
        this.length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off + length > buffer.length) {
            throw new IllegalStateException("offset outside the array");
        }
        this.offset = off;
    }

    @Override
    public boolean isInvalid() {
        return buffer == null;
    }

    @Override
    public void readRegionToBuff(int regionOff, int regionLen, byte[] out) {
        if (regionOff < 0 || regionLen < 0 || regionOff + regionLen > length) {
            throw new IllegalStateException("region outside the packet");
        }
        System.arraycopy(buffer, offset + regionOff, out, 0, regionLen);
    }

    /** Ensures room for {@code howMuch} more bytes; we never reallocate, the caller gave tailroom. */
    @Override
    public void grow(int howMuch) {
        if (howMuch < 0 || offset + length + howMuch > buffer.length) {
            throw new IllegalStateException("no tailroom to grow by " + howMuch);
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = len >= length ? 0 : length - len;
    }
}
