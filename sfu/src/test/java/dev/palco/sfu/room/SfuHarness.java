package dev.palco.sfu.room;

import dev.palco.sfu.util.ManualClock;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An SFU with a manual clock, no scheduler thread and inline workers (every participant's queue
 * is drained on the thread that feeds it), so a test drives packets and timers deterministically.
 */
final class SfuHarness implements AutoCloseable {
  /** Wall clock at the start: 2023-11-14T22:13:20Z. */
  static final long WALL_START_MS = 1_700_000_000_000L;

  final ManualClock clock = new ManualClock(10_000, WALL_START_MS);
  final Sfu sfu;
  final Room room;
  final List<String> events = new ArrayList<>();
  private int nextSeed = 1;

  SfuHarness() {
    this(SfuConfig.defaults().withWorkerThreads(0).withTimerPeriodMs(0));
  }

  SfuHarness(SfuConfig config) {
    this(config, SendSideConfig.DEFAULT);
  }

  /** With its own send-side tuning (Last-N, estimate bounds). */
  SfuHarness(SendSideConfig sendSide) {
    this(SfuConfig.defaults().withWorkerThreads(0).withTimerPeriodMs(0), sendSide);
  }

  SfuHarness(SfuConfig config, SendSideConfig sendSide) {
    sfu = new Sfu(config, clock, new SplittableRandom(42),
        dev.palco.sfu.sdp.SfuCapabilities.defaults(), sendSide);
    room = sfu.createRoom("stage");
    room.addListener(new RoomListener() {
      @Override
      public void onParticipantJoined(Participant p) {
        record("joined " + p.id());
      }

      @Override
      public void onParticipantLeft(Participant p, String reason) {
        record("left " + p.id() + " " + reason);
      }

      @Override
      public void onTrackPublished(TrackPublication pub) {
        record("published " + pub.mid() + " by " + pub.publisher().id());
      }

      @Override
      public void onTrackUnpublished(TrackPublication pub) {
        record("unpublished " + pub.mid() + " by " + pub.publisher().id());
      }

      @Override
      public void onTrackUnsubscribed(TrackSubscription sub) {
        record("unsubscribed " + sub.subscriber().id() + " from " + sub.publication().mid());
      }

      @Override
      public void onKeyframeRequested(TrackPublication pub) {
        record("keyframe " + pub.mid());
      }

      @Override
      public void onDominantSpeakerChanged(Room r, String participantId, String previousId) {
        record("speaker " + participantId + " after " + previousId);
      }

      @Override
      public void onSubscriptionPauseChanged(TrackSubscription sub,
          dev.palco.sfu.alloc.PauseReason reason) {
        record("pause " + sub.subscriber().id() + " " + sub.publication().publisher().id() + " "
            + reason);
      }
    });
  }

  private synchronized void record(String event) {
    events.add(event);
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  TestPeer join(String id) {
    TestPeer peer = new TestPeer(id, nextSeed++);
    peer.participant = room.join(id, peer.transport);
    return peer;
  }

  /** Moves the clock and runs every participant's timers. */
  void advance(long ms) {
    clock.advanceMillis(ms);
    sfu.tickTimers();
  }

  @Override
  public void close() {
    sfu.close();
  }
}
