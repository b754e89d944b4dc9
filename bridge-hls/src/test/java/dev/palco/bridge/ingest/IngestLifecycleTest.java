package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.stage.StageTrack;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.room.LocalMediaTransport;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.transport.SendResult;
import dev.palco.sfu.util.Clock;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

/**
 * Tracks coming and going (published before and after the ingest starts, unpublished, their
 * publisher leaving, left out by the resolver), closing (no thread left, the SFU's packet pool back
 * where it was), and a stalled listener that must not hold the SFU's workers up.
 */
class IngestLifecycleTest {

  private static StageTrack.Source cameraOrMic(dev.palco.sfu.room.TrackPublication pub) {
    return pub.kind() == TrackKind.VIDEO ? StageTrack.Source.CAMERA : StageTrack.Source.MICROPHONE;
  }

  /** Sends a few frames and audio packets: enough for each track's first decoded output. */
  private static void play(TestStagePublisher p, int frames) {
    for (int i = 0; i < frames; i++) {
      p.sendVideoFrame(i);
      p.sendAudio(2 * i);
      p.sendAudio(2 * i + 1);
    }
  }

  @Test
  void tracksStartAndEndAndCloseLeavesNothingBehind() {
    try (Sfu sfu = new Sfu(SfuConfig.defaults().withWorkerThreads(1), Clock.SYSTEM, new SplittableRandom(11))) {
      Room room = sfu.createRoom("life");
      long poolBaseline = sfu.packetPool().outstanding();
      RecordingStageListener listener = new RecordingStageListener();
      TestStagePublisher alice = new TestStagePublisher(room, "alice", false, 440, 1_000_000, 1);
      StageIngest ingest = StageIngest.attach(room, IngestConfig.defaults(),
          pub -> pub.publisher().id().equals("carol") ? null : cameraOrMic(pub), listener);
      ingest.start();
      TestStagePublisher bob = new TestStagePublisher(room, "bob", true, 660, 2_000_000, 2);
      TestStagePublisher carol = new TestStagePublisher(room, "carol", false, 880, 3_000_000, 3);
      try {
        play(alice, 3);
        play(bob, 3);
        play(carol, 3);
        awaitTrue(() -> listener.events().size() == 4, 5_000);
        assertEquals(List.of("started alice CAMERA", "started alice MICROPHONE", "started bob CAMERA",
            "started bob MICROPHONE"), listener.events().stream().sorted().toList(), "carol is not on stage");
        assertTrue(carol.camera.subscriptions().isEmpty(), "nor subscribed to");
        assertEquals(1, alice.camera.subscriptions().size());

        bob.participant.unpublish(bob.camera);
        awaitTrue(() -> listener.events().contains("ended bob CAMERA"), 5_000);
        assertTrue(listener.events().contains("ended bob CAMERA"), listener.events().toString());
        bob.participant.leave();
        awaitTrue(() -> listener.events().contains("ended bob MICROPHONE"), 5_000);
        assertTrue(listener.events().contains("ended bob MICROPHONE"), listener.events().toString());
        assertEquals(2, ingest.stats().tracks().size(), ingest.stats().toString());
      } finally {
        ingest.close();
        alice.close();
        bob.close();
        carol.close();
      }
      List<String> events = listener.events();
      assertTrue(events.containsAll(List.of("ended alice CAMERA", "ended alice MICROPHONE")), events.toString());
      assertEquals(8, events.size(), events.toString());
      assertNull(room.participant("palco-bridge"), "the ingest left the room");
      assertTrue(alice.camera.subscriptions().isEmpty());
      assertTrue(ingest.stats().tracks().isEmpty());
      assertEquals(0, ingestThreads(), "no ingest thread left");
      awaitTrue(() -> sfu.packetPool().outstanding() == poolBaseline, 5_000);
      assertEquals(poolBaseline, sfu.packetPool().outstanding(), "every pooled packet returned");
    }
  }

  @Test
  void closingBeforeStartingLeavesTheRoom() {
    try (Sfu sfu = new Sfu(SfuConfig.defaults().withWorkerThreads(1), Clock.SYSTEM, new SplittableRandom(12))) {
      Room room = sfu.createRoom("never");
      StageIngest ingest = StageIngest.attach(room, IngestConfig.defaults().withParticipantId("hls"),
          IngestLifecycleTest::cameraOrMic, new RecordingStageListener());
      assertEquals(ingest.participant(), room.participant("hls"));
      ingest.close();
      ingest.close();
      assertNull(room.participant("hls"));
      assertEquals(0, ingestThreads());
    }
  }

  /**
   * The listener blocks: the ingest thread stops taking packets, its queue fills and it drops and
   * counts, while the SFU's worker forwards every packet to another subscriber without delay.
   */
  @Test
  void aStalledListenerDoesNotHoldTheSfuUp() {
    try (Sfu sfu = new Sfu(SfuConfig.defaults().withWorkerThreads(1), Clock.SYSTEM, new SplittableRandom(13))) {
      Room room = sfu.createRoom("stall");
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      RecordingStageListener recorder = new RecordingStageListener();
      StageIngest ingest = StageIngest.attach(room, IngestConfig.defaults().withQueueCapacityPackets(16),
          IngestLifecycleTest::cameraOrMic, new RecordingStageListener() {
            @Override
            public void onVideoFrame(StageTrack track, AVFrame picture, long captureUs) {
              blocked.countDown();
              try {
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              recorder.onVideoFrame(track, picture, captureUs);
            }
          });
      ingest.start();
      CountingLocalTransport other = new CountingLocalTransport();
      TestStagePublisher alice = new TestStagePublisher(room, "alice", false, 440, 1_000_000, 1);
      try {
        TrackSubscription otherSub = room.join("viewer", other).subscribe(alice.camera);
        // Frames until the listener blocks in its first picture (the first keyframe, or the one the
        // ingest asks for should that one not make it), then a second's worth more behind it.
        int next = 0;
        for (; blocked.getCount() > 0 && next < 60; next++) {
          alice.sendVideoFrame(next);
          awaitTrue(() -> blocked.getCount() == 0, 100);
        }
        assertEquals(0, blocked.getCount(), "the listener is blocked in its first picture");
        for (int i = next; i < next + 60; i++) {
          alice.sendVideoFrame(i);
        }
        int sent = alice.videoPacketsSent;
        awaitTrue(() -> other.packets.get() >= sent, 5_000);
        assertEquals(sent, other.packets.get(), "the other subscriber got every packet while the ingest was stuck");
        assertTrue(ingest.stats().queueDrops() > 0, ingest.stats().toString());
        assertTrue(otherSub.stats().packets() >= sent);
      } finally {
        release.countDown();
        ingest.close();
        alice.close();
      }
      assertEquals(0, ingestThreads());
    }
  }

  /** Counts what an in-process subscriber is handed. */
  private static final class CountingLocalTransport implements LocalMediaTransport {
    final AtomicInteger packets = new AtomicInteger();

    @Override
    public void receiveForwarded(TrackSubscription subscription, byte[] buf, int off, int len, long sourceSsrc,
        long sourceTimestamp) {
      packets.incrementAndGet();
    }

    @Override
    public String id() {
      return "viewer";
    }

    @Override
    public void setMediaReceiver(MediaReceiver receiver) {}

    @Override
    public SrtpSession srtp() {
      return null;
    }

    @Override
    public SendResult send(byte[] buf, int off, int len) {
      return SendResult.SENT;
    }

    @Override
    public void close() {}
  }

  static int ingestThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("palco-ingest-") && t.isAlive()) {
        n++;
      }
    }
    return n;
  }

  private static void awaitTrue(BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }
}
