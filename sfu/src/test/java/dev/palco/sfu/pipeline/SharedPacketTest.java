package dev.palco.sfu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A packet shared by the fan-out ({@link PacketInfo#share}) goes back to the pool once, when its
 * last holder gives its share back, whichever thread that is.
 */
class SharedPacketTest {

  @Test
  void lastShareReturnsThePacketToThePool() {
    PacketInfoPool pool = new PacketInfoPool(8, 0);
    PacketInfo p = pool.acquire();
    p.share(3);
    assertEquals(3, p.sharedHolders());
    pool.releaseShared(p);
    pool.releaseShared(p);
    assertEquals(1, pool.outstanding());
    assertEquals(0, pool.idle());
    pool.releaseShared(p);
    assertEquals(0, pool.outstanding());
    assertEquals(1, pool.idle());
  }

  @Test
  void aSharedPacketCannotBeReleasedAsIfOwnedNorGivenBackTooOften() {
    PacketInfoPool pool = new PacketInfoPool(8, 0);
    PacketInfo p = pool.acquire();
    p.share(2);
    assertThrows(IllegalStateException.class, () -> pool.release(p));
    pool.releaseShared(p);
    pool.releaseShared(p);
    assertThrows(IllegalStateException.class, () -> pool.releaseShared(p));
    assertThrows(IllegalArgumentException.class, () -> pool.acquire().share(0));
  }

  @Test
  void anUnsharedPacketIsReleasedAsBefore() {
    PacketInfoPool pool = new PacketInfoPool(8, 0);
    PacketInfo p = pool.acquire();
    assertEquals(0, p.sharedHolders());
    pool.release(p);
    assertEquals(0, pool.outstanding());
    assertThrows(IllegalStateException.class, () -> pool.releaseShared(pool.acquire()));
  }

  /**
   * Many threads give back their shares of many packets at once (started together by a barrier):
   * every packet is released exactly once, never early, and the pool ends with nothing
   * outstanding.
   */
  @Test
  void concurrentHoldersReleaseEachPacketExactlyOnce() throws Exception {
    int threads = 4;
    int packets = 20_000;
    PacketInfoPool pool = new PacketInfoPool(packets, 0);
    PacketInfo[] shared = new PacketInfo[packets];
    for (int i = 0; i < packets; i++) {
      shared[i] = pool.acquire();
      shared[i].load(new byte[] {(byte) i, (byte) (i >> 8)}, 0, 2);
      shared[i].share(threads);
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger earlyReleases = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    Thread[] holders = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      holders[t] = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < packets; i++) {
            PacketInfo p = shared[i];
            // A holder still holds its share, so the packet cannot have been reset yet.
            if (p.length() != 2 || p.buffer()[PacketInfo.HEADROOM_BYTES] != (byte) i) {
              earlyReleases.incrementAndGet();
            }
            pool.releaseShared(p);
          }
        } catch (Exception | AssertionError e) {
          failures.incrementAndGet();
        }
      });
      holders[t].start();
    }
    for (Thread t : holders) {
      t.join();
    }
    assertEquals(0, failures.get());
    assertEquals(0, earlyReleases.get());
    assertEquals(0, pool.outstanding());
    assertEquals(packets, pool.idle());
    for (PacketInfo p : shared) {
      assertEquals(0, p.sharedHolders());
      assertTrue(p.pooled);
      assertFalse(p.length() != 0);
    }
  }
}
