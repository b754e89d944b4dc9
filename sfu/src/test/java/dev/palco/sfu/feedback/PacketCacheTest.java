package dev.palco.sfu.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.util.BufferPool;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class PacketCacheTest {

    /** A fake packet whose bytes all derive from its sequence number, so a copy can be checked. */
    private static byte[] packet(int seq, int len) {
        byte[] p = new byte[len];
        for (int i = 0; i < len; i++) {
            p[i] = (byte) (seq * 31 + i);
        }
        return p;
    }

    private static boolean matches(byte[] buf, int off, int seq, int len) {
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != (byte) (seq * 31 + i)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void storesACopyAndReturnsIt() {
        BufferPool pool = new BufferPool(200, 8, 8);
        PacketCache cache = new PacketCache(pool, 4, 1000);
        byte[] src = new byte[300];
        System.arraycopy(packet(42, 100), 0, src, 50, 100);
        assertEquals(CachePutResult.STORED, cache.put(42, src, 50, 100, 0));
        src[50] ^= 1; // the cache kept its own copy
        byte[] dst = new byte[200];
        assertEquals(100, cache.copyOut(42, 10, dst, 7));
        assertTrue(matches(dst, 7, 42, 100));
        assertEquals(PacketCache.MISS, cache.copyOut(43, 10, dst, 0));
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
    }

    @Test
    void refusesDuplicatesOversizedAndTooOldPackets() {
        BufferPool pool = new BufferPool(200, 8, 8);
        PacketCache cache = new PacketCache(pool, 4, 1000);
        assertEquals(CachePutResult.STORED, cache.put(10, packet(10, 20), 0, 20, 0));
        assertEquals(CachePutResult.DUPLICATE, cache.put(10, packet(10, 20), 0, 20, 0));
        assertEquals(CachePutResult.TOO_LARGE, cache.put(11, new byte[201], 0, 201, 0));
        assertEquals(CachePutResult.BAD_BOUNDS, cache.put(11, new byte[50], 40, 20, 0));
        assertEquals(CachePutResult.BAD_BOUNDS, cache.put(11, new byte[50], -1, 20, 0));
        assertEquals(CachePutResult.BAD_BOUNDS, cache.put(11, null, 0, 20, 0));
        assertEquals(CachePutResult.STORED, cache.put(14, packet(14, 20), 0, 20, 0));
        assertEquals(CachePutResult.TOO_OLD, cache.put(10, packet(10, 20), 0, 20, 0)); // 14 - 4 = 10
        assertEquals(CachePutResult.STORED, cache.put(11, packet(11, 20), 0, 20, 0));   // late but in window
    }

    @Test
    void newerPacketsReuseTheSlotsOfOlderOnes() {
        BufferPool pool = new BufferPool(64, 16, 16);
        PacketCache cache = new PacketCache(pool, 8, 10_000);
        byte[] dst = new byte[64];
        for (int seq = 65_530; seq < 65_530 + 40; seq++) { // wraps at 65536
            cache.put(seq & 0xFFFF, packet(seq & 0xFFFF, 30), 0, 30, 0);
        }
        assertEquals(8, cache.size());
        assertEquals(8, pool.available()); // only 8 buffers ever taken
        int newest = (65_530 + 39) & 0xFFFF;
        for (int back = 0; back < 8; back++) {
            int seq = (newest - back) & 0xFFFF;
            assertEquals(30, cache.copyOut(seq, 0, dst, 0), "seq " + seq);
            assertTrue(matches(dst, 0, seq, 30));
        }
        assertEquals(PacketCache.MISS, cache.copyOut((newest - 8) & 0xFFFF, 0, dst, 0));
    }

    @Test
    void expiredPacketsAreNotServedAndTheirBuffersGoBack() {
        BufferPool pool = new BufferPool(64, 16, 16);
        PacketCache cache = new PacketCache(pool, 16, 100);
        byte[] dst = new byte[64];
        for (int seq = 0; seq < 10; seq++) {
            cache.put(seq, packet(seq, 10), 0, 10, seq * 10L); // one every 10 ms, all still fresh
        }
        assertEquals(6, pool.available());
        // At 150 ms, packets stored at 0..40 ms are older than 100 ms.
        assertEquals(PacketCache.MISS, cache.copyOut(4, 150, dst, 0));
        assertEquals(10, cache.copyOut(5, 150, dst, 0));
        assertEquals(5, cache.evictExpired(150));
        assertEquals(5, cache.size());
        assertEquals(11, pool.available());
        // put() also expires as it goes.
        cache.put(10, packet(10, 10), 0, 10, 1000);
        assertEquals(1, cache.size());
        assertEquals(15, pool.available());
    }

    @Test
    void clearReturnsEveryBufferSoThePoolIsFullAgain() {
        BufferPool pool = new BufferPool(64, 32, 32);
        PacketCache cache = new PacketCache(pool, 16, 1000);
        for (int seq = 0; seq < 1000; seq += 3) { // gaps, reuse, eviction
            cache.put(seq, packet(seq, 10), 0, 10, seq);
        }
        cache.put(20_000, packet(1, 10), 0, 10, 1000); // a jump: the old window is released at once
        assertEquals(1, cache.size());
        cache.put(20_001, packet(2, 10), 0, 10, 1000);
        cache.clear();
        assertEquals(0, cache.size());
        assertEquals(32, pool.available());
        assertEquals(0, pool.misses());
        assertEquals(0, pool.discards());
    }

    @Test
    void refusesToCopyIntoATooSmallDestination() {
        BufferPool pool = new BufferPool(64, 4, 4);
        PacketCache cache = new PacketCache(pool, 4, 1000);
        cache.put(1, packet(1, 50), 0, 50, 0);
        assertEquals(PacketCache.MISS, cache.copyOut(1, 0, new byte[60], 20));
        assertEquals(50, cache.copyOut(1, 0, new byte[60], 10));
    }

    /**
     * One writer stores packets as fast as it can while readers copy recent ones out: every copy a
     * reader gets is exactly the packet it asked for, never bytes of a buffer being recycled.
     */
    @Test
    void readersNeverSeeATornOrRecycledPacket() throws Exception {
        BufferPool pool = new BufferPool(256, 64, 64);
        PacketCache cache = new PacketCache(pool, 32, 1_000_000);
        AtomicLong newest = new AtomicLong(-1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong goodReads = new AtomicLong();
        Thread[] readers = new Thread[2];
        for (int t = 0; t < readers.length; t++) {
            int salt = t;
            readers[t] = new Thread(() -> {
                byte[] dst = new byte[256];
                long i = salt;
                try {
                    while (!done.get()) {
                        long n = newest.get();
                        if (n < 0) {
                            continue;
                        }
                        int seq = (int) ((n - (i++ % 40)) & 0xFFFF);
                        int len = cache.copyOut(seq, 0, dst, 0);
                        if (len != PacketCache.MISS) {
                            if (len != 100 + seq % 100 || !matches(dst, 0, seq, len)) {
                                throw new AssertionError("torn copy of " + seq);
                            }
                            goodReads.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            readers[t].start();
        }
        byte[][] packets = new byte[65_536][];
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (int seq = 0; seq < 300_000 && System.nanoTime() < deadline; seq++) {
            int s = seq & 0xFFFF;
            if (packets[s] == null) {
                packets[s] = packet(s, 100 + s % 100);
            }
            cache.put(s, packets[s], 0, packets[s].length, 0);
            newest.set(seq);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(goodReads.get() > 0);
        cache.clear();
        assertEquals(64, pool.available());
    }
}
