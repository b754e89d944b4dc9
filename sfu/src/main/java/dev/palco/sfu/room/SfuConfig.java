package dev.palco.sfu.room;

/**
 * Settings of the media plane.
 *
 * @param workerThreads media workers; 0 runs every participant's queue on the thread that feeds
 *     it (deterministic, for tests and tools)
 * @param timerPeriodMs how often the scheduler thread ticks every participant (NACK collection,
 *     keyframe retries, reports); 0 for no scheduler thread ({@link Sfu#tickTimers()} drives
 *     timers instead)
 * @param rtcpReportIntervalMs spacing of SR/RR reports (RFC 3550 §6.2: about 5 s is the minimum for
 *     plain RTP; WebRTC peers report about every second)
 * @param queueCapacityPackets datagrams a participant's queue holds before dropping
 * @param packetPoolCapacity pooled {@code PacketInfo}s kept idle
 * @param cacheBufferPoolCapacity pooled packet-cache buffers kept idle
 * @param videoCachePackets packets cached per video stream to answer NACKs (a power of two)
 * @param audioCachePackets packets cached per audio stream with NACK (a power of two, or 0)
 * @param cacheMaxAgeMs age after which a cached packet is no longer retransmitted
 * @param keyframeMinIntervalMs minimum spacing of PLI/FIR toward one publication
 * @param keyframeMaxAttempts requests for one keyframe need before giving up
 * @param leaveTimeoutMs how long {@link Participant#leave()} waits for its queue to finish
 */
public record SfuConfig(
    int workerThreads, long timerPeriodMs, long rtcpReportIntervalMs, int queueCapacityPackets,
    int packetPoolCapacity, int cacheBufferPoolCapacity, int videoCachePackets, int audioCachePackets,
    long cacheMaxAgeMs, long keyframeMinIntervalMs, int keyframeMaxAttempts, long leaveTimeoutMs) {

  /** Checks the ranges. */
  public SfuConfig {
    if (workerThreads < 0 || timerPeriodMs < 0 || rtcpReportIntervalMs <= 0 || queueCapacityPackets <= 0
        || packetPoolCapacity <= 0 || cacheBufferPoolCapacity <= 0 || videoCachePackets < 2
        || Integer.bitCount(videoCachePackets) != 1 || audioCachePackets < 0
        || (audioCachePackets > 0 && Integer.bitCount(audioCachePackets) != 1) || cacheMaxAgeMs <= 0
        || keyframeMinIntervalMs <= 0 || keyframeMaxAttempts < 1 || leaveTimeoutMs <= 0) {
      throw new IllegalArgumentException("invalid SFU configuration: " + this);
    }
  }

  /** One worker per core, a 10 ms timer, 1 s reports. */
  public static SfuConfig defaults() {
    return new SfuConfig(Runtime.getRuntime().availableProcessors(), 10, 1000, 1024, 4096, 8192, 512,
        64, 1000, 300, 10, 2000);
  }

  /** These settings with {@code workerThreads} workers. */
  public SfuConfig withWorkerThreads(int threads) {
    return new SfuConfig(threads, timerPeriodMs, rtcpReportIntervalMs, queueCapacityPackets,
        packetPoolCapacity, cacheBufferPoolCapacity, videoCachePackets, audioCachePackets, cacheMaxAgeMs,
        keyframeMinIntervalMs, keyframeMaxAttempts, leaveTimeoutMs);
  }

  /** These settings with the given timer period (0: no scheduler thread). */
  public SfuConfig withTimerPeriodMs(long periodMs) {
    return new SfuConfig(workerThreads, periodMs, rtcpReportIntervalMs, queueCapacityPackets,
        packetPoolCapacity, cacheBufferPoolCapacity, videoCachePackets, audioCachePackets, cacheMaxAgeMs,
        keyframeMinIntervalMs, keyframeMaxAttempts, leaveTimeoutMs);
  }
}
