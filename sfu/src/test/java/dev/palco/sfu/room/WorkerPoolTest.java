package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/**
 * The same pipelines on real media workers and the real scheduler thread: ordering per
 * participant holds, timers fire, and close leaves no thread behind.
 */
class WorkerPoolTest {

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }

  @Test
  void forwardsInOrderOnTheWorkerPoolAndStopsEveryThreadOnClose() {
    SfuHarness h = new SfuHarness(SfuConfig.defaults().withWorkerThreads(2).withTimerPeriodMs(5));
    TestPeer alice = h.join("alice");
    TestPeer bob = h.join("bob");
    TestPeer carol = h.join("carol");
    TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", 0x77L, -1));
    TrackSubscription toBob = bob.participant.subscribe(cam);
    TrackSubscription toCarol = carol.participant.subscribe(cam);
    int packets = 1000;
    for (int i = 0; i < packets; i++) {
      alice.sendRtp(MediaFixtures.rtp(VP8_PT, i, i * 3000L, 0x77L, true,
          MediaFixtures.vp8Payload(i == 0, i & 0x7FFF, i & 0xFF, 10, i)));
    }
    await(() -> bob.rtpWithSsrc(toBob.ssrc()).size() == packets
        && carol.rtpWithSsrc(toCarol.ssrc()).size() == packets, "forwarding");
    List<byte[]> got = bob.rtpWithSsrc(toBob.ssrc());
    int first = RtpPacket.sequenceNumber(got.get(0), 0);
    for (int i = 0; i < packets; i++) {
      assertEquals((first + i) & 0xFFFF, RtpPacket.sequenceNumber(got.get(i), 0));
    }
    // The scheduler thread drives reports; the manual clock decides when they are due.
    h.clock.advanceMillis(1500);
    await(() -> !bob.rtcpPackets(dev.palco.rtp.rtcp.RtcpHeader.PT_SR).isEmpty(), "a sender report");
    assertEquals(0, bob.receiveFailures);
    h.close();
    assertEquals(0, h.sfu.workerThreadsAlive());
    await(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("palco-media")), "media threads to end");
    await(() -> h.sfu.packetPool().outstanding() == 0, "packets back in the pool");
    assertTrue(alice.transport.isClosed());
  }
}
