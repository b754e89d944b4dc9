package dev.palco.sfu.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void defaultBufferHasRoomForHeadroomPacketAndSrtpTag() {
        BufferPool pool = BufferPool.ofDefaultSize(4);
        assertEquals(32 + 1500 + 32, pool.bufferSizeBytes());
        assertEquals(1564, pool.acquire().length);
    }

    @Test
    void reusesReleasedBuffersWithoutMisses() {
        BufferPool pool = new BufferPool(100, 2, 2);
        byte[] a = pool.acquire();
        pool.release(a);
        assertSame(a, pool.acquire());
        assertEquals(0, pool.misses());
    }

    @Test
    void countsMissesWhenEmptyAndDiscardsWhenFull() {
        BufferPool pool = new BufferPool(100, 2, 1);
        byte[] a = pool.acquire();
        byte[] b = pool.acquire(); // pool empty: allocated
        byte[] c = pool.acquire();
        assertEquals(2, pool.misses());
        pool.release(a);
        pool.release(b);
        pool.release(c); // bound is 2
        assertEquals(1, pool.discards());
        assertEquals(2, pool.available());
    }

    @Test
    void refusesForeignBuffers() {
        BufferPool pool = new BufferPool(100, 4, 0);
        pool.release(new byte[99]);
        pool.release(null);
        assertEquals(2, pool.rejected());
        assertEquals(0, pool.available());
        assertEquals(100, pool.acquire().length);
    }

    @Test
    void distinctBuffersWhileHeld() {
        BufferPool pool = new BufferPool(10, 8, 8);
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] b = pool.acquire();
            for (byte[] other : held) {
                assertNotSame(other, b);
            }
            held.add(b);
        }
        held.forEach(pool::release);
        assertEquals(8, pool.available());
        assertEquals(0, pool.misses());
    }

    @Test
    void concurrentAcquireReleaseKeepsThePoolWhole() throws Exception {
        BufferPool pool = new BufferPool(64, 16, 16);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            byte marker = (byte) (t + 1);
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 50_000; i++) {
                        byte[] a = pool.acquire();
                        byte[] b = pool.acquire();
                        a[0] = marker;
                        b[0] = marker;
                        // No other thread may hold the same buffer meanwhile.
                        if (a == b || a[0] != marker || b[0] != marker) {
                            throw new AssertionError("buffer shared between holders");
                        }
                        pool.release(b);
                        pool.release(a);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        // 4 threads x 2 buffers never exceed 16: no misses, and every buffer came back.
        assertEquals(0, pool.misses());
        assertEquals(16, pool.available());
        assertTrue(pool.discards() == 0);
    }
}
