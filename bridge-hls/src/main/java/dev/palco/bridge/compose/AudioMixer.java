package dev.palco.bridge.compose;

import dev.palco.bridge.stage.StageTrack;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mixes the stage's microphones into one continuous 48 kHz stream.
 *
 * <p><b>Placement by capture time.</b> Every track writes into a ring of one second, addressed by
 * absolute sample position on the wall clock ({@code position = captureUs x 48 000 / 10^6}), so
 * samples captured at the same instant by different people land at the same position, whatever
 * each track's network delay. A block that continues the track's previous one within
 * {@link #REANCHOR_TOLERANCE_FRAMES} is written right after it (capture-time jitter does not tear
 * the waveform); a larger jump re-anchors the track at the new position, with silence in any gap.
 *
 * <p><b>Output.</b> {@link #mix} reads one block at a given position from every track, sums,
 * limits ({@link SoftLimiter}) and converts to 16 bits. Positions no track wrote (nobody talks, a
 * track left, a packet was lost) are silence: the output is always a full block, so the stream
 * stays continuous. Samples that arrive after their position was mixed are lost, which is what
 * the presentation delay of the caller's clock is for.
 *
 * <p><b>Threads.</b> {@link #write}, {@link #addTrack} and {@link #removeTrack} from any thread
 * (each track's ingest thread); {@link #mix} from one mixer thread. Each track's ring has its own
 * monitor, held for one block copy.
 */
public final class AudioMixer {

    /** The mixer's rate: WebRTC's Opus decodes at 48 kHz. */
    public static final int SAMPLE_RATE_HZ = 48_000;
    /** Ring length per track: one second. */
    static final int RING_FRAMES = SAMPLE_RATE_HZ;
    /** A block within 20 ms of where the last one ended continues it. */
    public static final int REANCHOR_TOLERANCE_FRAMES = SAMPLE_RATE_HZ / 50;

    private final int channels;
    private final SoftLimiter limiter = new SoftLimiter(SAMPLE_RATE_HZ);
    private final Map<String, TrackRing> tracks = new ConcurrentHashMap<>();
    private float[] sum = new float[0];
    private long mixedBlocks;
    private long silentBlocks;
    private long limitedBlocks;

    /** A mixer whose output has {@code channels} (1 or 2) interleaved channels. */
    public AudioMixer(int channels) {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("1 or 2 channels");
        }
        this.channels = channels;
    }

    /** Output channels. */
    public int channels() {
        return channels;
    }

    /** Absolute sample position of a wall-clock instant (epoch µs). */
    public static long positionOf(long captureUs) {
        return Math.floorDiv(captureUs * 6, 125); // x 48 000 / 1 000 000 without overflow
    }

    /** Wall-clock instant (epoch µs) of an absolute sample position. */
    public static long timeOf(long position) {
        return Math.floorDiv(position * 125, 6);
    }

    /** A microphone joined the stage. */
    public void addTrack(StageTrack track) {
        if (track.source() == StageTrack.Source.MICROPHONE) {
            tracks.computeIfAbsent(track.trackId(), k -> new TrackRing(channels));
        }
    }

    /** A microphone left the stage: its unread samples are dropped, the mix goes on without it. */
    public void removeTrack(StageTrack track) {
        tracks.remove(track.trackId());
    }

    /** Microphones on stage. */
    public int trackCount() {
        return tracks.size();
    }

    /**
     * Decoded PCM of a microphone: 48 kHz, 16 bit, {@code inChannels} (1 or 2) interleaved, the
     * first frame captured at {@code captureUs}. Copied before returning.
     *
     * @return false for an unknown track or malformed input
     */
    public boolean write(StageTrack track, short[] pcm, int off, int frames, int inChannels, long captureUs) {
        if ((inChannels != 1 && inChannels != 2) || frames <= 0 || off < 0
                || (long) off + (long) frames * inChannels > pcm.length) {
            return false;
        }
        TrackRing r = tracks.get(track.trackId());
        if (r == null) {
            addTrack(track);
            r = tracks.get(track.trackId());
            if (r == null) {
                return false;
            }
        }
        r.write(pcm, off, frames, inChannels, positionOf(captureUs));
        return true;
    }

    /**
     * Mixes the block of {@code frames} starting at absolute position {@code position} into
     * {@code out} (interleaved, {@link #channels()}), silence where nobody wrote.
     */
    public void mix(long position, int frames, short[] out, int off) {
        int n = frames * channels;
        if (sum.length < n) {
            sum = new float[n];
        }
        Arrays.fill(sum, 0, n, 0f);
        boolean any = false;
        for (TrackRing r : tracks.values()) {
            any |= r.addInto(sum, position, frames);
        }
        limiter.process(sum, frames, channels);
        if (limiter.gain() < 1f) {
            limitedBlocks++;
        }
        for (int i = 0; i < n; i++) {
            out[off + i] = (short) Math.round(sum[i] * 32767f);
        }
        mixedBlocks++;
        if (!any) {
            silentBlocks++;
        }
    }

    /** Blocks mixed. */
    public long mixedBlocks() {
        return mixedBlocks;
    }

    /** Blocks in which no track had samples. */
    public long silentBlocks() {
        return silentBlocks;
    }

    /** Blocks during which the limiter reduced the gain. */
    public long limitedBlocks() {
        return limitedBlocks;
    }

    /** Samples (frames) written late, after their position was mixed, over the tracks on stage. */
    public long lateFrames() {
        long n = 0;
        for (TrackRing r : tracks.values()) {
            n += r.lateFrames();
        }
        return n;
    }

    /** One track's samples by absolute position. */
    private static final class TrackRing {
        private final int channels;
        private final float[] ring;
        // Guarded by this.
        private long writeEnd = Long.MIN_VALUE; // position after the last written frame
        private long validStart;                // first position holding this track's samples
        private long readEnd = Long.MIN_VALUE;  // position after the last mixed frame
        private long lateFrames;

        TrackRing(int channels) {
            this.channels = channels;
            this.ring = new float[RING_FRAMES * channels];
        }

        synchronized void write(short[] pcm, int off, int frames, int inChannels, long position) {
            long pos = position;
            if (writeEnd == Long.MIN_VALUE || pos < writeEnd - REANCHOR_TOLERANCE_FRAMES
                    || pos > writeEnd + REANCHOR_TOLERANCE_FRAMES) {
                if (writeEnd != Long.MIN_VALUE && pos > writeEnd) {
                    // A gap (loss, silence suppression): clear what the ring held there.
                    long from = Math.max(writeEnd, pos - RING_FRAMES);
                    for (long p = from; p < pos; p++) {
                        int i = (int) Math.floorMod(p, (long) RING_FRAMES) * channels;
                        for (int c = 0; c < channels; c++) {
                            ring[i + c] = 0f;
                        }
                    }
                } else {
                    validStart = pos; // first block, or the clock jumped back: start over
                }
            } else {
                pos = writeEnd; // jitter: continue where the last block ended
            }
            if (readEnd != Long.MIN_VALUE && pos < readEnd) {
                lateFrames += Math.min(frames, readEnd - pos);
            }
            int i = (int) Math.floorMod(pos, (long) RING_FRAMES) * channels;
            for (int f = 0; f < frames; f++, i += channels) {
                if (i == ring.length) {
                    i = 0;
                }
                int s = off + f * inChannels;
                if (inChannels == channels) {
                    for (int c = 0; c < channels; c++) {
                        ring[i + c] = pcm[s + c] * (1f / 32768f);
                    }
                } else if (inChannels == 1) {
                    float v = pcm[s] * (1f / 32768f);
                    ring[i] = v;
                    ring[i + 1] = v;
                } else {
                    ring[i] = (pcm[s] + pcm[s + 1]) * (0.5f / 32768f);
                }
            }
            writeEnd = pos + frames;
            if (validStart < writeEnd - RING_FRAMES) {
                validStart = writeEnd - RING_FRAMES;
            }
        }

        /** Adds the block's samples this track holds into {@code sum}; whether it held any. */
        synchronized boolean addInto(float[] sum, long position, int frames) {
            readEnd = position + frames;
            if (writeEnd == Long.MIN_VALUE) {
                return false;
            }
            long from = Math.max(position, Math.max(validStart, writeEnd - RING_FRAMES));
            long to = Math.min(position + frames, writeEnd);
            if (from >= to) {
                return false;
            }
            // One modulo per block, then a plain walk around the ring.
            int i = (int) Math.floorMod(from, (long) RING_FRAMES) * channels;
            int o = (int) (from - position) * channels;
            int end = (int) (to - position) * channels;
            int ringLength = ring.length;
            while (o < end) {
                sum[o++] += ring[i++];
                if (i == ringLength) {
                    i = 0;
                }
            }
            return true;
        }

        synchronized long lateFrames() {
            return lateFrames;
        }
    }
}
