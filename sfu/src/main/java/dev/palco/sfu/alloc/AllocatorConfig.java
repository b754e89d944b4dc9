package dev.palco.sfu.alloc;

/**
 * Tuning of a {@link LayerAllocator}.
 *
 * @param lastN most video tracks forwarded at once; negative for no limit
 * @param upswitchHeadroom an upswitch needs the estimate at the next layer's bitrate times this
 * @param downswitchDelayMs how long the current layers must exceed the estimate before stepping
 *     down: long enough to ride out one AIMD dip, short enough to react within 1–2 s of a drop
 * @param upswitchDampingMs how long an upswitch must stay possible before it happens
 * @param upswitchDampingAfterDownMs the damping while a downswitch is recent
 * @param recentDownswitchMs how long a downswitch counts as recent
 */
public record AllocatorConfig(
    int lastN,
    double upswitchHeadroom,
    long downswitchDelayMs,
    long upswitchDampingMs,
    long upswitchDampingAfterDownMs,
    long recentDownswitchMs) {

  /** No Last-N limit, 10% headroom, 500 ms down, 2.5 s up (6 s within 10 s of a downswitch). */
  public static final AllocatorConfig DEFAULT = new AllocatorConfig(-1, 1.1, 500, 2_500, 6_000, 10_000);

  /** This configuration with another Last-N. */
  public AllocatorConfig withLastN(int n) {
    return new AllocatorConfig(
        n, upswitchHeadroom, downswitchDelayMs, upswitchDampingMs, upswitchDampingAfterDownMs,
        recentDownswitchMs);
  }
}
