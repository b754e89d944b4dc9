package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.stage.StageTrack;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.util.Clock;
import dev.palco.sfu.util.ManualClock;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real media through a real SFU room into the ingest: a presenter's camera (libvpx VP8 or libx264
 * H.264, 320x180 at 30 fps, each picture drawing its frame number in luma stripes) and microphone
 * (libopus, a 440 Hz sine), packetized per RFC 7741 / RFC 6184 / RFC 7587 with sender reports from
 * a clock 7 s ahead of ours, forwarded by the SFU's workers to the ingest's local transport,
 * depacketized, decoded and handed to a listener that reads every picture back.
 *
 * <p>The source is paced in real time (the SFU's keyframe requests run on its real timer); the
 * ingest runs on a manual clock advanced with the media, so its waits and capture times are
 * exact. With loss (5 % of camera packets from the second to the fifth second, 10 % of them
 * swapped with their neighbour), broken frames are dropped, the ingest asks for a keyframe, and
 * the picture resumes at it, while the microphone plays on untouched.
 */
class IngestRoundTripTest {
  private static final long WALL0_MS = 1_800_000_000_000L;
  private static final long SENDER_AHEAD_US = 7_000_000L;
  private static final int FRAMES = 120;
  private static final int AUDIO_PACKETS = FRAMES * 20 / 30;
  private static final int LOSS_FROM_FRAME = 30;
  private static final int LOSS_TO_FRAME = 75;

  @ParameterizedTest(name = "{0}, loss {1}")
  @CsvSource({"VP8, false", "H264, false", "VP8, true", "H264, true"})
  void mediaRoundTrip(String codec, boolean lossy) {
    boolean h264 = codec.equals("H264");
    ManualClock ingestClock = new ManualClock(1_000, WALL0_MS);
    RecordingStageListener listener = new RecordingStageListener();
    try (Sfu sfu = new Sfu(SfuConfig.defaults().withWorkerThreads(1), Clock.SYSTEM, new SplittableRandom(7))) {
      Room room = sfu.createRoom("rt-" + codec + "-" + lossy);
      StageIngest ingest = StageIngest.attach(room,
          IngestConfig.defaults().withClock(ingestClock).withMaxWaitMs(60, 40),
          pub -> pub.kind() == TrackKind.VIDEO ? StageTrack.Source.CAMERA : StageTrack.Source.MICROPHONE,
          listener);
      ingest.start();
      try (TestStagePublisher alice = new TestStagePublisher(room, "alice", h264, 440, WALL0_MS * 1000 + SENDER_AHEAD_US, 3)) {
        String cam = alice.camera.id();
        String mic = alice.microphone.id();
        long startNanos = System.nanoTime();
        int frame = 0;
        int audio = 0;
        long mediaUs = 0;
        while (frame < FRAMES || audio < AUDIO_PACKETS) {
          long videoUs = frame < FRAMES ? TestStagePublisher.videoMediaUs(frame) : Long.MAX_VALUE;
          long audioUs = audio < AUDIO_PACKETS ? audio * 20_000L : Long.MAX_VALUE;
          long nextUs = Math.min(videoUs, audioUs);
          ingestClock.advanceMicros(nextUs - mediaUs);
          mediaUs = nextUs;
          paceTo(startNanos, mediaUs);
          if (videoUs == nextUs) {
            if (lossy) {
              boolean impaired = frame >= LOSS_FROM_FRAME && frame < LOSS_TO_FRAME;
              alice.impair(impaired ? 0.05 : 0, impaired ? 0.10 : 0);
            }
            alice.sendVideoFrame(frame++);
          } else {
            alice.sendAudio(audio++);
          }
          int sent = alice.videoPacketsSent + alice.audioPacketsSent;
          awaitTrue(() -> received(ingest) >= sent, 2_000);
        }
        alice.flush();
        int sent = alice.videoPacketsSent + alice.audioPacketsSent;
        awaitTrue(() -> received(ingest) >= sent, 2_000);
        // Let every wait run out.
        ingestClock.advanceMillis(1_000);
        awaitTrue(() -> {
          List<RecordingStageListener.Picture> p = listener.pictures(cam);
          return !p.isEmpty() && p.get(p.size() - 1).index() == FRAMES - 1
              && listener.blocks(mic).size() >= alice.audioPacketsSent;
        }, 5_000);

        IngestStats stats = ingest.stats();
        IngestStats.Track camStats = stats.track(cam);
        IngestStats.Track micStats = stats.track(mic);
        List<RecordingStageListener.Picture> pictures = listener.pictures(cam);
        String summary = codec + " lossy=" + lossy + ": " + pictures.size() + " pictures, keyframes at "
            + new java.util.TreeSet<>(alice.keyframeIndices) + ", " + camStats + ", PLIs "
            + alice.transport.keyframeRequests.get();
        System.out.println(summary);

        assertEquals(0, stats.queueDrops(), summary);
        assertEquals(List.of("started alice CAMERA", "started alice MICROPHONE"),
            listener.events().stream().sorted().toList(), summary);
        checkPictures(pictures, alice, lossy, summary);
        checkAudio(listener, mic, alice, summary);
        // Lip sync: both tracks map the presenter's clock onto ours with one offset.
        long videoOffset = pictures.get(pictures.size() - 1).captureUs()
            - (WALL0_MS * 1000 + TestStagePublisher.videoMediaUs(pictures.get(pictures.size() - 1).index()));
        List<RecordingStageListener.Block> blocks = listener.blocks(mic);
        long audioOffset = blocks.get(blocks.size() - 1).captureUs() - (WALL0_MS * 1000 + (blocks.size() - 1) * 20_000L);
        assertTrue(Math.abs(videoOffset - audioOffset) <= 1_000, "lip sync: video " + videoOffset + " µs, audio "
            + audioOffset + " µs; " + summary);
        if (lossy) {
          assertTrue(camStats.drops(IngestDropReason.INCOMPLETE_FRAME) + camStats.drops(IngestDropReason.LOST) > 0, summary);
          assertTrue(camStats.keyframeRequests() > 0, summary);
          assertTrue(alice.keyframeIndices.stream().anyMatch(i -> i > LOSS_FROM_FRAME), "a keyframe after the loss: " + summary);
          assertEquals(0, micStats.drops(IngestDropReason.LOST), "the microphone is untouched: " + summary);
        } else {
          assertEquals(FRAMES, pictures.size(), summary);
          assertEquals(0, camStats.drops(IngestDropReason.INCOMPLETE_FRAME), summary);
        }
      } finally {
        ingest.close();
      }
      assertEquals(List.of("ended alice CAMERA", "ended alice MICROPHONE", "started alice CAMERA",
          "started alice MICROPHONE"), listener.events().stream().sorted().toList());
    }
  }

  /**
   * Every picture shows the frame it was encoded from, exactly, at 320x180, in order; its capture
   * time is the time we sent it (our clock: the presenter's is moved onto ours); after a gap the
   * next picture is a keyframe (the decoder waited for one).
   */
  private static void checkPictures(List<RecordingStageListener.Picture> pictures, TestStagePublisher alice,
      boolean lossy, String summary) {
    assertTrue(pictures.size() >= (lossy ? FRAMES / 3 : FRAMES), summary);
    int previous = -1;
    List<Integer> resumedAt = new ArrayList<>();
    for (RecordingStageListener.Picture p : pictures) {
      assertTrue(p.contentMatches(), "picture " + p + " " + summary);
      assertEquals(TestStagePublisher.WIDTH, p.width());
      assertEquals(TestStagePublisher.HEIGHT, p.height());
      assertTrue(p.index() > previous, "in order: " + p.index() + " after " + previous);
      if (p.index() != previous + 1) {
        resumedAt.add(p.index());
        assertTrue(alice.keyframeIndices.contains(p.index()), "resumed at a keyframe: " + p.index() + " " + summary);
      }
      long expectedUs = WALL0_MS * 1000 + TestStagePublisher.videoMediaUs(p.index());
      assertTrue(Math.abs(p.captureUs() - expectedUs) <= 1_000, "capture time of " + p + ", expected " + expectedUs);
      assertTrue(p.thread().startsWith("palco-ingest-"), p.thread());
      previous = p.index();
    }
    assertEquals(lossy, !resumedAt.isEmpty(), "gaps at " + resumedAt + " " + summary);
    assertEquals(FRAMES - 1, previous, "the picture continues to the end: " + summary);
  }

  /** Every packet decoded; the left channel is a 440 Hz tone of the amplitude sent. */
  private static void checkAudio(RecordingStageListener listener, String mic, TestStagePublisher alice, String summary) {
    List<RecordingStageListener.Block> blocks = listener.blocks(mic);
    assertEquals(alice.audioPacketsSent, blocks.size(), summary);
    for (int i = 0; i < blocks.size(); i++) {
      RecordingStageListener.Block b = blocks.get(i);
      assertEquals(960, b.sampleFrames());
      assertEquals(2, b.channels());
      long expectedUs = WALL0_MS * 1000 + i * 20_000L;
      assertTrue(Math.abs(b.captureUs() - expectedUs) <= 1_000, "capture time of block " + i + ": " + b.captureUs()
          + " expected " + expectedUs);
    }
    short[] pcm = listener.leftChannel(mic);
    int from = 4_800; // past the codec's start
    int crossings = 0;
    double energy = 0;
    for (int i = from + 1; i < pcm.length; i++) {
      if ((pcm[i - 1] < 0) != (pcm[i] < 0)) {
        crossings++;
      }
      energy += (double) pcm[i] * pcm[i];
    }
    double seconds = (pcm.length - from) / 48_000.0;
    double hz = crossings / 2.0 / seconds;
    double rms = Math.sqrt(energy / (pcm.length - from));
    assertTrue(Math.abs(hz - 440) < 8, "tone " + hz + " Hz");
    assertTrue(rms > 8000 / Math.sqrt(2) * 0.7 && rms < 8000 / Math.sqrt(2) * 1.3, "rms " + rms);
  }

  /**
   * The subscription's very first frame is a keyframe that arrives broken (a packet lost for good):
   * the track has not started yet, and the ingest must still ask for the next keyframe rather than
   * wait for the publisher's own, seconds later.
   */
  @org.junit.jupiter.api.Test
  void aBrokenFirstKeyframeIsFollowedByARequestForAnother() {
    ManualClock ingestClock = new ManualClock(1_000, WALL0_MS);
    RecordingStageListener listener = new RecordingStageListener();
    try (Sfu sfu = new Sfu(SfuConfig.defaults().withWorkerThreads(1), Clock.SYSTEM, new SplittableRandom(7))) {
      Room room = sfu.createRoom("broken-first");
      StageIngest ingest = StageIngest.attach(room,
          IngestConfig.defaults().withClock(ingestClock).withMaxWaitMs(60, 40),
          pub -> pub.kind() == TrackKind.VIDEO ? StageTrack.Source.CAMERA : null, listener);
      try (TestStagePublisher alice = new TestStagePublisher(room, "alice", false, 440, WALL0_MS * 1000, 3)) {
        ingest.start();
        String cam = alice.camera.id();
        alice.dropSecondPacketOf(0);
        // In real time: the SFU spaces its PLIs by 300 ms of its own clock.
        long startNanos = System.nanoTime();
        for (int frame = 0; frame < 90 && alice.keyframeIndices.size() < 2; frame++) {
          ingestClock.advanceMicros(TestStagePublisher.videoMediaUs(1));
          paceTo(startNanos, TestStagePublisher.videoMediaUs(frame));
          alice.sendVideoFrame(frame);
          int sent = alice.videoPacketsSent;
          awaitTrue(() -> received(ingest) >= sent, 2_000);
        }
        for (int frame = 0; frame < 3; frame++) {
          alice.sendVideoFrame(90 + frame);
        }
        alice.flush();
        ingestClock.advanceMillis(1_000);
        IngestStats.Track stats = ingest.stats().track(cam);
        String summary = stats + ", keyframes at " + new java.util.TreeSet<>(alice.keyframeIndices);
        assertTrue(stats.keyframeRequests() > 0, "asked for a keyframe: " + summary);
        assertTrue(alice.keyframeIndices.stream().anyMatch(i -> i > 0), "another keyframe came: " + summary);
        awaitTrue(() -> !listener.pictures(cam).isEmpty(), 5_000);
      } finally {
        ingest.close();
      }
    }
  }

  private static long received(StageIngest ingest) {
    long n = 0;
    for (IngestStats.Track t : ingest.stats().tracks()) {
      n += t.received();
    }
    return n;
  }

  /** Holds the source to real time (a camera does not run ahead of its clock). */
  private static void paceTo(long startNanos, long mediaUs) {
    long due = startNanos + mediaUs * 1_000L;
    long now;
    while ((now = System.nanoTime()) < due) {
      LockSupport.parkNanos(due - now);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return; // the assertions that follow say what is missing
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }
}
