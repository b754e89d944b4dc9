package dev.palco.bridge.ingest;

import dev.palco.sfu.util.Clock;

import java.util.Objects;

/**
 * How the ingest subscribes and buffers.
 *
 * @param participantId the id the ingest joins the room with (signaling must not offer it a stage tile)
 * @param queueCapacityPackets slots of the hand-off queue from the SFU's media workers to the ingest
 *     thread; when it is full a packet is dropped and counted ({@link IngestDropReason#QUEUE_FULL})
 * @param jitterCapacityPackets the reorder window of each track, in packets
 * @param videoMaxWaitMs how long a video track waits for a missing packet (covers the SFU's NACK
 *     repair toward the publisher, one round trip)
 * @param audioMaxWaitMs the same for audio, which is played out sooner
 * @param targetLayer the simulcast layer to ask for (0 = lowest; {@link Integer#MAX_VALUE}: the highest)
 * @param keyframeRetryMs how often a video track that waits for a keyframe asks again
 * @param clock the time source: its monotonic time runs the waits, and its wall clock anchors capture times
 */
public record IngestConfig(String participantId, int queueCapacityPackets, int jitterCapacityPackets,
    long videoMaxWaitMs, long audioMaxWaitMs, int targetLayer, long keyframeRetryMs, Clock clock) {

  /** Checks the values. */
  public IngestConfig {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(clock, "clock");
    if (queueCapacityPackets < 1 || jitterCapacityPackets < 2 || videoMaxWaitMs < 0 || audioMaxWaitMs < 0
        || targetLayer < 0 || keyframeRetryMs < 1) {
      throw new IllegalArgumentException("bad ingest configuration: " + queueCapacityPackets + ", "
          + jitterCapacityPackets + ", " + videoMaxWaitMs + ", " + audioMaxWaitMs + ", " + targetLayer
          + ", " + keyframeRetryMs);
    }
  }

  /**
   * Joins as {@code palco-bridge}; 4,096 queued packets (about 1.5 s of a 720p stage of four);
   * 512-packet windows; 150 ms for video and 60 ms for audio; the highest layer; keyframe requests
   * repeated every 500 ms; the system clock.
   */
  public static IngestConfig defaults() {
    return new IngestConfig("palco-bridge", 4096, 512, 150, 60, Integer.MAX_VALUE, 500, Clock.SYSTEM);
  }

  /** The same with another participant id. */
  public IngestConfig withParticipantId(String id) {
    return new IngestConfig(id, queueCapacityPackets, jitterCapacityPackets, videoMaxWaitMs, audioMaxWaitMs,
        targetLayer, keyframeRetryMs, clock);
  }

  /** The same with another simulcast target layer. */
  public IngestConfig withTargetLayer(int layer) {
    return new IngestConfig(participantId, queueCapacityPackets, jitterCapacityPackets, videoMaxWaitMs,
        audioMaxWaitMs, layer, keyframeRetryMs, clock);
  }

  /** The same with another hand-off queue capacity. */
  public IngestConfig withQueueCapacityPackets(int packets) {
    return new IngestConfig(participantId, packets, jitterCapacityPackets, videoMaxWaitMs, audioMaxWaitMs,
        targetLayer, keyframeRetryMs, clock);
  }

  /** The same with other waits for missing packets. */
  public IngestConfig withMaxWaitMs(long videoMs, long audioMs) {
    return new IngestConfig(participantId, queueCapacityPackets, jitterCapacityPackets, videoMs, audioMs,
        targetLayer, keyframeRetryMs, clock);
  }

  /** The same on another clock. */
  public IngestConfig withClock(Clock c) {
    return new IngestConfig(participantId, queueCapacityPackets, jitterCapacityPackets, videoMaxWaitMs,
        audioMaxWaitMs, targetLayer, keyframeRetryMs, c);
  }
}
