package dev.palco.loadtest.generator;

/**
 * When a simulated publisher's next audio packet, video frame and sender report are due: Opus
 * every 20 ms, a frame every 1/fps s and an SR every second (RFC 3550 §6.2 leaves the interval to
 * the application; browsers send about one a second), all counted from the first call, so a late
 * media loop catches up on what it missed rather than drifting.
 *
 * <p>Used by the media loop's thread only.
 */
final class PublisherSchedule {
  /** What is due now. */
  enum Due {
    AUDIO,
    VIDEO,
    NOTHING
  }

  /** Packets a late call sends at most, so that a stalled loop does not burst a second's worth. */
  static final int MAX_CATCH_UP = 8;
  static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
  static final long SR_INTERVAL_NANOS = 1_000_000_000L;

  private final long frameIntervalNanos;
  private boolean started;
  private long startNanos;
  private long frames;
  private long audioPackets;
  private long nextSrNanos;

  PublisherSchedule(int fps) {
    this.frameIntervalNanos = 1_000_000_000L / fps;
  }

  /** The next thing due at {@code nowNanos}, audio first; counts it as done. */
  Due next(long nowNanos) {
    start(nowNanos);
    if (nowNanos - (startNanos + audioPackets * AUDIO_INTERVAL_NANOS) >= 0) {
      audioPackets++;
      return Due.AUDIO;
    }
    if (nowNanos - (startNanos + frames * frameIntervalNanos) >= 0) {
      frames++;
      return Due.VIDEO;
    }
    return Due.NOTHING;
  }

  /** Whether a sender report is due at {@code nowNanos}; if so, the next one is a second later. */
  boolean senderReportDue(long nowNanos) {
    start(nowNanos);
    if (nowNanos - nextSrNanos >= 0) {
      nextSrNanos = nowNanos + SR_INTERVAL_NANOS;
      return true;
    }
    return false;
  }

  /** When the next packet, frame or report is due. */
  long nextDueNanos() {
    long nextAudio = startNanos + audioPackets * AUDIO_INTERVAL_NANOS;
    long nextVideo = startNanos + frames * frameIntervalNanos;
    return Math.min(Math.min(nextAudio, nextVideo), nextSrNanos);
  }

  private void start(long nowNanos) {
    if (!started) {
      started = true;
      startNanos = nowNanos;
      nextSrNanos = nowNanos + SR_INTERVAL_NANOS;
    }
  }
}
