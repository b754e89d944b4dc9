package dev.palco.bridge.cmaf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link SegmenterListener} that keeps everything it is told, for tests. */
public final class RecordingListener implements SegmenterListener {

    /** One finished part. */
    public record Part(long msn, int index, boolean independent, long durationUs, byte[] bytes) {
    }

    /** One segment: its start, parts and end. */
    public static final class Segment {
        public final long msn;
        public final boolean discontinuity;
        public final long captureTimeMs;
        public final List<Part> parts = new ArrayList<>();
        public long durationUs = -1;

        Segment(long msn, boolean discontinuity, long captureTimeMs) {
            this.msn = msn;
            this.discontinuity = discontinuity;
            this.captureTimeMs = captureTimeMs;
        }
    }

    public final List<Segment> segments = new ArrayList<>();

    @Override
    public void onSegmentStart(long msn, boolean discontinuity, long captureTimeMs) {
        segments.add(new Segment(msn, discontinuity, captureTimeMs));
    }

    @Override
    public void onPart(long msn, int partIndex, boolean independent, long durationUs, byte[] buf, int off, int len) {
        Segment s = segments.get(segments.size() - 1);
        if (s.msn != msn || s.parts.size() != partIndex) {
            throw new AssertionError("part " + msn + "." + partIndex + " out of order");
        }
        s.parts.add(new Part(msn, partIndex, independent, durationUs, Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void onSegmentEnd(long msn, long durationUs) {
        Segment s = segments.get(segments.size() - 1);
        if (s.msn != msn) {
            throw new AssertionError("end of " + msn + " while " + s.msn + " is open");
        }
        s.durationUs = durationUs;
    }

    /** All parts in order. */
    public List<Part> parts() {
        List<Part> all = new ArrayList<>();
        for (Segment s : segments) {
            all.addAll(s.parts);
        }
        return all;
    }
}
