package dev.palco.sfu.feedback;

import dev.palco.sfu.util.BufferPool;
import dev.palco.sfu.util.RtpWrap;

import java.util.concurrent.locks.StampedLock;

/**
 * The last packets of one publisher stream, keyed by their original sequence number, so that a
 * subscriber's NACK (RFC 4585 §6.2.1) can be answered with a retransmission (RFC 4588) without
 * asking the publisher.
 *
 * <p>A ring of {@code capacityPackets} slots (a power of two) indexed by the extended sequence
 * number. Each cached packet is a copy in a buffer taken from a {@link BufferPool}; the buffer goes
 * back to the pool when the packet expires ({@code maxAgeMs}, checked by {@link #evictExpired} and
 * on every {@link #put}), on {@link #clear()}, or is reused in place when a newer packet takes its
 * slot. A packet older than {@code maxAgeMs} is never returned: a retransmission arriving that late
 * is useless to the receiver's jitter buffer.
 *
 * <p>Thread-safety: one writer (the publisher stream's receive thread calls {@link #put},
 * {@link #evictExpired} and {@link #clear()}), any number of readers (NACK responders call
 * {@link #copyOut}). Writers take a {@link StampedLock} write lock; readers copy under an optimistic
 * stamp and retry with a read lock only if a write overlapped, so a NACK burst never blocks the
 * packet path for long, and a reader never returns bytes from a buffer that was recycled while it
 * copied.
 */
public final class PacketCache {

    /** Returned by {@link #copyOut} when the packet is not cached (never stored, evicted or expired). */
    public static final int MISS = -1;

    private static final long NO_TAG = Long.MIN_VALUE;

    private final BufferPool pool;
    private final int capacity;
    private final int mask;
    private final long maxAgeMs;
    private final StampedLock lock = new StampedLock();

    private final long[] tag;
    private final byte[][] buffers;
    private final int[] lengths;
    private final long[] storedAtMs;

    private boolean started;
    private long highestExt;
    /** Lowest extended sequence number that may still hold a live packet; expiry starts here. */
    private long expiryCursorExt;
    private int size;

    private long stored;
    private long hits;
    private long misses;

    /**
     * @param pool             where packet copies come from and go back to
     * @param capacityPackets  number of packets kept, a power of two (e.g. 1024: about one second of HD video)
     * @param maxAgeMs         age after which a packet is no longer served
     */
    public PacketCache(BufferPool pool, int capacityPackets, long maxAgeMs) {
        if (capacityPackets < 2 || capacityPackets > 16384 || Integer.bitCount(capacityPackets) != 1) {
            throw new IllegalArgumentException("capacityPackets must be a power of two in [2, 16384]: "
                    + capacityPackets);
        }
        if (maxAgeMs <= 0) {
            throw new IllegalArgumentException("maxAgeMs " + maxAgeMs);
        }
        this.pool = pool;
        this.capacity = capacityPackets;
        this.mask = capacityPackets - 1;
        this.maxAgeMs = maxAgeMs;
        this.tag = new long[capacityPackets];
        this.buffers = new byte[capacityPackets][];
        this.lengths = new int[capacityPackets];
        this.storedAtMs = new long[capacityPackets];
        java.util.Arrays.fill(tag, NO_TAG);
    }

    /**
     * Copies a packet into the cache.
     *
     * @param seq    the packet's original RTP sequence number
     * @param packet buffer holding the packet at {@code [off, off + len)}; not retained
     */
    public CachePutResult put(int seq, byte[] packet, int off, int len, long nowMs) {
        if (len > pool.bufferSizeBytes()) {
            return CachePutResult.TOO_LARGE;
        }
        if (packet == null || off < 0 || len < 0 || off > packet.length - len) {
            return CachePutResult.BAD_BOUNDS;
        }
        long stamp = lock.writeLock();
        try {
            long ext;
            if (!started) {
                started = true;
                ext = seq & RtpWrap.SEQ_MASK;
                highestExt = ext;
                expiryCursorExt = ext;
            } else {
                ext = RtpWrap.extendSeq(highestExt, seq & RtpWrap.SEQ_MASK);
                if (ext <= highestExt - capacity) {
                    return CachePutResult.TOO_OLD;
                }
                if (ext - highestExt >= capacity) {
                    // Every cached packet is older than the new window: give all buffers back now
                    // rather than one by one as slots are reused.
                    releaseAllLocked();
                    expiryCursorExt = ext;
                }
            }
            int slot = (int) (ext & mask);
            if (tag[slot] == ext) {
                return CachePutResult.DUPLICATE;
            }
            byte[] buf = buffers[slot];
            if (buf == null) {
                buf = pool.acquire();
                buffers[slot] = buf;
                size++;
            }
            System.arraycopy(packet, off, buf, 0, len);
            tag[slot] = ext;
            lengths[slot] = len;
            storedAtMs[slot] = nowMs;
            stored++;
            if (ext > highestExt) {
                highestExt = ext;
            } else if (ext < expiryCursorExt) {
                expiryCursorExt = ext;
            }
            evictExpiredLocked(nowMs);
            return CachePutResult.STORED;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Copies the cached packet with sequence number {@code seq} into {@code dst} at {@code dstOff}.
     *
     * @return the packet's length, or {@link #MISS} when it is not cached, expired, or does not fit
     */
    public int copyOut(int seq, long nowMs, byte[] dst, int dstOff) {
        if (dst == null) {
            return MISS;
        }
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0L) {
            int len = copyOutUnlocked(seq, nowMs, dst, dstOff);
            if (lock.validate(stamp)) {
                countLookup(len);
                return len;
            }
        }
        stamp = lock.readLock();
        try {
            int len = copyOutUnlocked(seq, nowMs, dst, dstOff);
            countLookup(len);
            return len;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Reads a slot without locking. Under an optimistic stamp the fields may be mid-update, so every
     * value is bounds-checked before use; the caller discards the result unless the stamp validates.
     */
    private int copyOutUnlocked(int seq, long nowMs, byte[] dst, int dstOff) {
        if (!started) {
            return MISS;
        }
        long ext = RtpWrap.extendSeq(highestExt, seq & RtpWrap.SEQ_MASK);
        int slot = (int) (ext & mask);
        byte[] buf = buffers[slot];
        int len = lengths[slot];
        if (tag[slot] != ext || buf == null || nowMs - storedAtMs[slot] > maxAgeMs) {
            return MISS;
        }
        if (len < 0 || len > buf.length || dstOff < 0 || dstOff > dst.length - len) {
            return MISS;
        }
        System.arraycopy(buf, 0, dst, dstOff, len);
        return len;
    }

    private void countLookup(int len) {
        // Counters are statistics: a lost increment under concurrent readers is acceptable.
        if (len == MISS) {
            misses++;
        } else {
            hits++;
        }
    }

    /**
     * Gives the buffers of packets older than {@code maxAgeMs} back to the pool. Amortised O(1): a
     * cursor walks forward from the oldest packet and stops at the first one still fresh.
     *
     * @return the number of packets evicted
     */
    public int evictExpired(long nowMs) {
        long stamp = lock.writeLock();
        try {
            return evictExpiredLocked(nowMs);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private int evictExpiredLocked(long nowMs) {
        if (!started) {
            return 0;
        }
        int evicted = 0;
        long cursor = Math.max(expiryCursorExt, highestExt - capacity + 1);
        while (cursor <= highestExt) {
            int slot = (int) (cursor & mask);
            if (tag[slot] == cursor) {
                if (nowMs - storedAtMs[slot] <= maxAgeMs) {
                    break;
                }
                releaseSlot(slot);
                evicted++;
            }
            cursor++;
        }
        expiryCursorExt = cursor;
        return evicted;
    }

    /** Empties the cache, giving every buffer back to the pool (call when the stream ends). */
    public void clear() {
        long stamp = lock.writeLock();
        try {
            releaseAllLocked();
            started = false;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void releaseAllLocked() {
        for (int slot = 0; slot < capacity; slot++) {
            if (buffers[slot] != null) {
                releaseSlot(slot);
            }
        }
    }

    private void releaseSlot(int slot) {
        byte[] buf = buffers[slot];
        tag[slot] = NO_TAG;
        lengths[slot] = 0;
        if (buf != null) {
            buffers[slot] = null;
            size--;
            pool.release(buf);
        }
    }

    /** Buffers currently held (cached packets, including ones displaced but not yet reused). */
    public int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Capacity in packets. */
    public int capacity() {
        return capacity;
    }

    /** Packets stored since creation. */
    public long stored() {
        return stored;
    }

    /** Lookups that found their packet. */
    public long hits() {
        return hits;
    }

    /** Lookups that did not. */
    public long misses() {
        return misses;
    }
}
