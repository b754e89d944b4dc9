package dev.palco.sfu.util;

/**
 * A bounded pool of equally sized packet buffers, so the packet path reuses byte arrays instead of
 * allocating one per packet.
 *
 * <p>Each buffer is {@link #DEFAULT_BUFFER_SIZE_BYTES} long by default: room for a full
 * {@link #MAX_PACKET_BYTES} packet, {@link #HEADROOM_BYTES} in front (to grow the RTP header, e.g.
 * the 2-byte original sequence number an RTX packet carries, RFC 4588 §4) and
 * {@link #SRTP_TAILROOM_BYTES} behind (the SRTP/SRTCP authentication tag, index and MKI added in
 * place, RFC 3711 §3.1 and §3.4).
 *
 * <p>Ownership is explicit: {@link #acquire()} hands a buffer to the caller, who gives it back
 * with {@link #release(byte[])} exactly once and never touches it again. When the pool is empty,
 * {@code acquire} allocates a fresh buffer and counts a miss; when it is full, {@code release} lets
 * the buffer go to the garbage collector and counts a discard. In steady state (pool sized for the
 * buffers in flight) neither happens and nothing is allocated.
 *
 * <p>Thread-safe. Operations hold the pool's monitor for a few instructions; an uncontended monitor
 * does not allocate.
 */
public final class BufferPool {

    /** Largest packet the SFU accepts: a typical Ethernet MTU. */
    public static final int MAX_PACKET_BYTES = 1500;
    /** Space kept in front of a packet for header growth. */
    public static final int HEADROOM_BYTES = 32;
    /** Space kept after a packet for the SRTP tag (at most 16 bytes) plus SRTCP index and MKI. */
    public static final int SRTP_TAILROOM_BYTES = 32;
    /** Default buffer size: headroom + packet + tailroom. */
    public static final int DEFAULT_BUFFER_SIZE_BYTES = HEADROOM_BYTES + MAX_PACKET_BYTES + SRTP_TAILROOM_BYTES;

    private final int bufferSizeBytes;
    private final byte[][] free;
    private int freeCount;
    private long misses;
    private long discards;
    private long rejected;

    /**
     * @param bufferSizeBytes size of every buffer handed out
     * @param maxPooled       most buffers kept for reuse (the pool's bound)
     * @param prefill         buffers allocated up front (at most {@code maxPooled})
     */
    public BufferPool(int bufferSizeBytes, int maxPooled, int prefill) {
        if (bufferSizeBytes <= 0 || maxPooled <= 0 || prefill < 0 || prefill > maxPooled) {
            throw new IllegalArgumentException("bufferSizeBytes=" + bufferSizeBytes + " maxPooled=" + maxPooled
                    + " prefill=" + prefill);
        }
        this.bufferSizeBytes = bufferSizeBytes;
        this.free = new byte[maxPooled][];
        for (int i = 0; i < prefill; i++) {
            free[i] = new byte[bufferSizeBytes];
        }
        this.freeCount = prefill;
    }

    /** A pool of {@link #DEFAULT_BUFFER_SIZE_BYTES} buffers, filled up front with {@code maxPooled}. */
    public static BufferPool ofDefaultSize(int maxPooled) {
        return new BufferPool(DEFAULT_BUFFER_SIZE_BYTES, maxPooled, maxPooled);
    }

    /** Takes a buffer from the pool, or allocates one (counting a miss) when the pool is empty. */
    public byte[] acquire() {
        synchronized (this) {
            if (freeCount > 0) {
                byte[] buf = free[--freeCount];
                free[freeCount] = null;
                return buf;
            }
            misses++;
        }
        return new byte[bufferSizeBytes];
    }

    /**
     * Gives a buffer back. A buffer of the wrong size is not pooled (counted as rejected), so a
     * foreign array can never come out of {@link #acquire()}; when the pool is full the buffer is
     * dropped (counted as a discard).
     */
    public void release(byte[] buf) {
        if (buf == null || buf.length != bufferSizeBytes) {
            synchronized (this) {
                rejected++;
            }
            return;
        }
        synchronized (this) {
            if (freeCount < free.length) {
                free[freeCount++] = buf;
            } else {
                discards++;
            }
        }
    }

    /** Size of every buffer this pool hands out. */
    public int bufferSizeBytes() {
        return bufferSizeBytes;
    }

    /** The pool's bound: the most buffers it keeps. */
    public int capacity() {
        return free.length;
    }

    /** Buffers currently in the pool, ready to be acquired. */
    public synchronized int available() {
        return freeCount;
    }

    /** Acquires that found the pool empty and had to allocate. */
    public synchronized long misses() {
        return misses;
    }

    /** Releases that found the pool full. */
    public synchronized long discards() {
        return discards;
    }

    /** Releases of null or wrongly sized arrays. */
    public synchronized long rejected() {
        return rejected;
    }
}
