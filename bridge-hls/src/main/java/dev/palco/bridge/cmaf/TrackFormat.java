package dev.palco.bridge.cmaf;

/**
 * One CMAF track: its kind, ID, timescale and decoder configuration. Immutable.
 *
 * <p>Video uses a 90 kHz timescale (the RTP clock of H.264, so bridge timestamps need no
 * rescaling); audio uses its sampling rate, so every AAC frame lasts exactly 1024 ticks.
 */
public final class TrackFormat {

    /** Timescale of video tracks, in ticks per second. */
    public static final int VIDEO_TIMESCALE_HZ = 90_000;

    private final MediaKind kind;
    private final int trackId;
    private final int timescaleHz;
    private final AvcConfiguration avc;
    private final AacConfiguration aac;

    private TrackFormat(MediaKind kind, int trackId, int timescaleHz, AvcConfiguration avc, AacConfiguration aac) {
        if (trackId <= 0) {
            throw new IllegalArgumentException("track_ID must be positive");
        }
        this.kind = kind;
        this.trackId = trackId;
        this.timescaleHz = timescaleHz;
        this.avc = avc;
        this.aac = aac;
    }

    /** An H.264 video track with a 90 kHz timescale. */
    public static TrackFormat video(int trackId, AvcConfiguration avc) {
        return new TrackFormat(MediaKind.VIDEO, trackId, VIDEO_TIMESCALE_HZ, avc, null);
    }

    /** An AAC audio track whose timescale is its sampling rate. */
    public static TrackFormat audio(int trackId, AacConfiguration aac) {
        return new TrackFormat(MediaKind.AUDIO, trackId, aac.sampleRateHz(), null, aac);
    }

    /** Video or audio. */
    public MediaKind kind() {
        return kind;
    }

    /** track_ID in {@code tkhd}, {@code trex} and {@code tfhd}. */
    public int trackId() {
        return trackId;
    }

    /** Media timescale in ticks per second. */
    public int timescaleHz() {
        return timescaleHz;
    }

    /** The H.264 configuration; only for video. */
    public AvcConfiguration avc() {
        if (avc == null) {
            throw new IllegalStateException("not a video track");
        }
        return avc;
    }

    /** The AAC configuration; only for audio. */
    public AacConfiguration aac() {
        if (aac == null) {
            throw new IllegalStateException("not an audio track");
        }
        return aac;
    }

    /** RFC 6381 codecs string of this track. */
    public String codecs() {
        return kind == MediaKind.VIDEO ? avc.codecs() : aac.codecs();
    }

    /** Converts a duration in ticks of this track to microseconds, rounding down. */
    public long ticksToMicros(long ticks) {
        return ticks * 1_000_000L / timescaleHz;
    }

    /** Converts milliseconds to ticks of this track, rounding down. */
    public long millisToTicks(long ms) {
        return ms * timescaleHz / 1000L;
    }
}
