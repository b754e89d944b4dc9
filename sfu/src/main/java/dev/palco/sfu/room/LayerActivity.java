package dev.palco.sfu.room;

/**
 * What one received layer (a simulcast stream) is doing now, for layer allocation: its bitrate
 * and frame rate over the last measurement window, its resolution from the last keyframe, and
 * whether it is live.
 *
 * <p>The publisher's worker writes ({@link #onPacket}, {@link #onKeyframe}) on every packet: a few
 * additions, no allocation. Subscribers' timers read the published values from other threads, so
 * those are volatile; the window accumulators are the writer's alone.
 *
 * <p>Liveness: a layer whose last packet is older than {@link #LIVE_TIMEOUT_MS} is not live. A
 * subscriber's allocation runs every {@link SubscriberSendControl#ALLOCATION_INTERVAL_MS}, so a
 * layer that stops is noticed within a second and forwarding moves to another one.
 */
final class LayerActivity {
  /** A layer with no packet for this long has stopped (a browser drops layers on CPU or uplink). */
  static final long LIVE_TIMEOUT_MS = 800;
  /** Bitrate and frame rate are measured over windows of this length. */
  static final long WINDOW_MS = 500;

  // Writer's accumulators (the publisher's worker).
  private long windowStartMs = Long.MIN_VALUE;
  private long windowBytes;
  private int windowFrames;
  private long lastTimestamp = -1;

  private volatile long lastPacketMs = Long.MIN_VALUE;
  private volatile long bitrateBps;
  private volatile int framesPerSecond;
  private volatile int widthPx;
  private volatile int heightPx;

  /** One packet of the layer (media or padding) arrived. */
  void onPacket(int sizeBytes, long rtpTimestamp, long nowMs) {
    lastPacketMs = nowMs;
    if (windowStartMs == Long.MIN_VALUE) {
      windowStartMs = nowMs;
    }
    windowBytes += sizeBytes;
    if (rtpTimestamp != lastTimestamp) {
      // A new timestamp is a new frame (RFC 3550 §5.1: the packets of one frame share it).
      lastTimestamp = rtpTimestamp;
      windowFrames++;
    }
    long elapsedMs = nowMs - windowStartMs;
    if (elapsedMs >= WINDOW_MS) {
      bitrateBps = windowBytes * 8_000 / elapsedMs;
      framesPerSecond = (int) (windowFrames * 1000L / elapsedMs);
      windowStartMs = nowMs;
      windowBytes = 0;
      windowFrames = 0;
    }
  }

  /** A keyframe said the coded size (VP8 keyframe header); 0 when the codec does not tell. */
  void onKeyframe(int width, int height) {
    if (width > 0 && height > 0) {
      widthPx = width;
      heightPx = height;
    }
  }

  /** Whether a packet arrived within {@link #LIVE_TIMEOUT_MS}. */
  boolean isLive(long nowMs) {
    long last = lastPacketMs;
    return last != Long.MIN_VALUE && nowMs - last < LIVE_TIMEOUT_MS;
  }

  /** Bitrate of the last complete window, 0 before the first. */
  long bitrateBps() {
    return bitrateBps;
  }

  /** Frames per second of the last complete window, 0 before the first. */
  int framesPerSecond() {
    return framesPerSecond;
  }

  /** Coded width from the last keyframe, 0 if unknown. */
  int widthPx() {
    return widthPx;
  }

  /** Coded height from the last keyframe, 0 if unknown. */
  int heightPx() {
    return heightPx;
  }

  /** When the last packet arrived (ms on the SFU clock), or Long.MIN_VALUE. */
  long lastPacketMs() {
    return lastPacketMs;
  }
}
