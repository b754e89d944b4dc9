package dev.palco.bridge.cmaf;

/**
 * Cuts one track's encoded samples into LL-HLS parts and segments, each part written as one CMAF
 * chunk ({@code moof}+{@code mdat}).
 *
 * <p>Rules, and where they come from:
 * <ul>
 *   <li>A segment starts on a sync sample (IDR; every AAC frame is one) once the current segment
 *       holds at least {@link SegmenterConfig#segmentMinMs()} (RFC 8216bis §6.2.1: divide at key
 *       frames). If none arrives before the segment would round above EXT-X-TARGETDURATION
 *       (§4.4.3.1), the segment is cut anyway, at a non-sync sample.</li>
 *   <li>Parts are cut on decode time: a part never exceeds PART-TARGET, and it is published as
 *       soon as one more sample of the same duration would not fit, so it is at least
 *       PART-TARGET minus one sample long (§4.4.4.9: at least 85%, except for an INDEPENDENT part
 *       or the last part of a segment, which may be shorter).</li>
 *   <li>A part is INDEPENDENT when its first sample is a sync sample (§4.4.4.9).</li>
 *   <li>{@code tfdt} of a part is the decode time of its first sample, so decode time runs on
 *       continuously from part to part and segment to segment.</li>
 * </ul>
 *
 * <p>A sample's duration is only known when the next sample arrives (the distance between their
 * decode times), so the segmenter holds one sample back. A part therefore appears one sample
 * after its last sample was handed in; a segment ends as soon as the sync sample that starts the
 * next one is handed in.
 *
 * <p>The steady path allocates nothing: sample bytes are copied into reused buffers, and each
 * finished part is handed to the listener as a view of a reused buffer. Not thread-safe: one
 * producer thread per track.
 */
public final class CmafSegmenter {

    private final TrackFormat format;
    private final SegmenterListener listener;
    private final long partTargetTicks;
    private final long segmentMinTicks;
    private final long segmentMaxTicks;

    private final SampleTable part = new SampleTable();
    private final BoxWriter out = new BoxWriter(64 * 1024);

    // The held-back sample, waiting for its duration.
    private final BoxWriter pendingData = new BoxWriter(64 * 1024);
    private boolean hasPending;
    private long pendingDecodeTime;
    private int pendingCompositionOffset;
    private boolean pendingSync;
    private long pendingCaptureTimeMs;
    private long lastDurationTicks;

    private boolean segmentOpen;
    private long msn;
    private long segmentDurationTicks;
    private int partIndex;
    private long partStartDecodeTime;
    private boolean partIndependent;
    private long fragmentSequence = 1;
    private boolean discontinuityRequested;
    private boolean nextSegmentDiscontinuous;
    private boolean seenSync;
    private boolean finished;
    private long clampedSamples;

    /** A segmenter for {@code format}, reporting to {@code listener}. */
    public CmafSegmenter(TrackFormat format, SegmenterConfig config, SegmenterListener listener) {
        this.format = format;
        this.listener = listener;
        this.partTargetTicks = format.millisToTicks(config.partTargetMs());
        this.segmentMinTicks = format.millisToTicks(config.segmentMinMs());
        // Rounded to the nearest second, the segment must not exceed the target duration.
        this.segmentMaxTicks = format.millisToTicks(config.targetDurationS() * 1000L + 499);
        this.msn = config.firstMediaSequence();
    }

    /**
     * Hands in one sample.
     *
     * @param decodeTime decode time in track ticks; strictly increasing (except across a
     *     {@link #startDiscontinuity})
     * @param compositionOffset presentation minus decode time, in ticks (0 without B-frames)
     * @param sync whether the sample is a random-access point (IDR, or any AAC frame)
     * @param captureTimeMs wall-clock capture time of the sample, epoch ms
     * @param buf sample bytes: a length-prefixed H.264 access unit or one raw AAC frame
     * @return {@link SampleDropReason#OK} or why the sample was not taken
     */
    public SampleDropReason addSample(long decodeTime, int compositionOffset, boolean sync, long captureTimeMs,
            byte[] buf, int off, int len) {
        if (finished) {
            return SampleDropReason.FINISHED;
        }
        if (len <= 0) {
            return SampleDropReason.EMPTY;
        }
        if (!seenSync && !sync) {
            return SampleDropReason.WAITING_FOR_SYNC_SAMPLE;
        }
        if (discontinuityRequested && !sync) {
            return SampleDropReason.WAITING_FOR_SYNC_SAMPLE;
        }
        SampleDropReason result = SampleDropReason.OK;
        if (hasPending) {
            long duration;
            if (discontinuityRequested) {
                // The timeline restarts: the last sample keeps the duration of the one before it.
                duration = lastDurationTicks > 0 ? lastDurationTicks : partTargetTicks / 4;
            } else {
                if (decodeTime <= pendingDecodeTime) {
                    return SampleDropReason.NON_MONOTONIC_DECODE_TIME;
                }
                duration = decodeTime - pendingDecodeTime;
            }
            if (duration > partTargetTicks) {
                duration = partTargetTicks;
                clampedSamples++;
                result = SampleDropReason.OK_DURATION_CLAMPED;
            }
            placePending(duration);
        }
        seenSync |= sync;
        if (discontinuityRequested) {
            if (segmentOpen) {
                closeSegment();
            }
            discontinuityRequested = false;
            nextSegmentDiscontinuous = true;
        } else if (sync && segmentOpen && segmentDurationTicks >= segmentMinTicks) {
            closeSegment();
        }
        pendingData.reset();
        pendingData.bytes(buf, off, len);
        pendingDecodeTime = decodeTime;
        pendingCompositionOffset = compositionOffset;
        pendingSync = sync;
        pendingCaptureTimeMs = captureTimeMs;
        hasPending = true;
        return result;
    }

    /**
     * Marks a break in the timeline (an encoder restart, a format change): the current segment ends
     * at the next sync sample, which starts a segment with EXT-X-DISCONTINUITY and may restart
     * decode time.
     */
    public void startDiscontinuity() {
        discontinuityRequested = true;
    }

    /**
     * Ends the stream: the held-back sample is placed with {@code lastDurationTicks} and the
     * current part and segment are published.
     */
    public void finish(long lastDurationTicks) {
        if (finished) {
            return;
        }
        if (hasPending) {
            placePending(Math.min(Math.max(1, lastDurationTicks), partTargetTicks));
        }
        if (segmentOpen) {
            closeSegment();
        }
        finished = true;
    }

    /** Media sequence number of the segment being filled (or the next one, between segments). */
    public long currentMediaSequence() {
        return msn;
    }

    /** Samples whose duration had to be clamped to the part target (decode-time gaps). */
    public long clampedSamples() {
        return clampedSamples;
    }

    /** The track this segmenter cuts. */
    public TrackFormat format() {
        return format;
    }

    private void placePending(long duration) {
        hasPending = false;
        lastDurationTicks = duration;
        if (!segmentOpen) {
            openSegment();
        } else if (segmentDurationTicks + duration > segmentMaxTicks) {
            closeSegment();
            openSegment();
        }
        if (part.count() > 0 && part.totalDurationTicks() + duration > partTargetTicks) {
            closePart();
        }
        if (part.count() == 0) {
            partStartDecodeTime = pendingDecodeTime;
            partIndependent = pendingSync;
        }
        part.add((int) duration, pendingSync ? SampleFlags.SYNC : SampleFlags.NON_SYNC, pendingCompositionOffset,
                pendingData.array(), 0, pendingData.length());
        segmentDurationTicks += duration;
        // Publish now if one more sample like this one would overflow the part: waiting for the
        // next sample would only add latency.
        if (part.totalDurationTicks() + duration > partTargetTicks) {
            closePart();
        }
    }

    private void openSegment() {
        segmentOpen = true;
        segmentDurationTicks = 0;
        partIndex = 0;
        listener.onSegmentStart(msn, nextSegmentDiscontinuous, pendingCaptureTimeMs);
        nextSegmentDiscontinuous = false;
    }

    private void closePart() {
        out.reset();
        int len = FragmentWriter.write(out, fragmentSequence++, format.trackId(), partStartDecodeTime, part);
        listener.onPart(msn, partIndex++, partIndependent, format.ticksToMicros(part.totalDurationTicks()),
                out.array(), 0, len);
        part.clear();
    }

    private void closeSegment() {
        if (part.count() > 0) {
            closePart();
        }
        listener.onSegmentEnd(msn, format.ticksToMicros(segmentDurationTicks));
        segmentOpen = false;
        msn++;
    }
}
