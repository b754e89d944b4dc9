package dev.palco.bridge.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CmafSegmenterTest {

    private static final long CAPTURE_EPOCH_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    /** Feeds the video fixture (90 frames, IDR every 30) at 30 fps. */
    static RecordingListener segmentVideo(SegmenterConfig config) {
        TrackFormat f = MediaFixtures.videoFormat(1);
        RecordingListener l = new RecordingListener();
        CmafSegmenter s = new CmafSegmenter(f, config, l);
        AnnexBConverter conv = new AnnexBConverter();
        BoxWriter au = new BoxWriter(4096);
        long dts = 0;
        for (byte[] annexB : MediaFixtures.videoAccessUnits()) {
            au.reset();
            conv.convert(annexB, 0, annexB.length, au);
            assertEquals(SampleDropReason.OK, s.addSample(dts, 0, conv.lastWasIdr(), CAPTURE_EPOCH_MS + dts / 90,
                    au.array(), 0, au.length()));
            dts += MediaFixtures.FRAME_TICKS_30FPS;
        }
        s.finish(MediaFixtures.FRAME_TICKS_30FPS);
        return l;
    }

    /** Feeds the audio fixture. */
    static RecordingListener segmentAudio(SegmenterConfig config) {
        TrackFormat f = MediaFixtures.audioFormat(2);
        RecordingListener l = new RecordingListener();
        CmafSegmenter s = new CmafSegmenter(f, config, l);
        long dts = 0;
        for (byte[] frame : MediaFixtures.aacFrames()) {
            assertEquals(SampleDropReason.OK, s.addSample(dts, 0, true, CAPTURE_EPOCH_MS + dts / 48, frame, 0, frame.length));
            dts += AacConfiguration.SAMPLES_PER_FRAME;
        }
        s.finish(AacConfiguration.SAMPLES_PER_FRAME);
        return l;
    }

    @Test
    void fixtureHasNinetyFramesWithAnIdrEveryThirty() {
        List<byte[]> aus = MediaFixtures.videoAccessUnits();
        assertEquals(90, aus.size());
        AnnexBConverter c = new AnnexBConverter();
        for (int i = 0; i < aus.size(); i++) {
            c.convert(aus.get(i), 0, aus.get(i).length, new BoxWriter(1024));
            assertEquals(i % 30 == 0, c.lastWasIdr(), "frame " + i);
        }
    }

    @Test
    void rfc8216bis_6_2_1_segmentsStartOnKeyFramesOncePerGop() {
        RecordingListener l = segmentVideo(SegmenterConfig.lowLatencyDefaults());
        assertEquals(3, l.segments.size());
        for (RecordingListener.Segment s : l.segments) {
            assertTrue(s.parts.get(0).independent(), "segment " + s.msn + " starts with an IDR");
            assertEquals(1_000_000, s.durationUs);
            assertEquals(5, s.parts.size());
        }
        assertEquals(CAPTURE_EPOCH_MS, l.segments.get(0).captureTimeMs);
        assertEquals(CAPTURE_EPOCH_MS + 1000, l.segments.get(1).captureTimeMs);
    }

    @Test
    void rfc8216bis_4_4_4_9_partsNeverExceedPartTargetAndAreAtLeast85PercentOfIt() {
        for (int partTargetMs : new int[] {200, 250, 300, 333}) {
            SegmenterConfig c = new SegmenterConfig(partTargetMs, 1000, 2, 0);
            assertPartBounds(segmentVideo(c), partTargetMs);
            assertPartBounds(segmentAudio(c), partTargetMs);
        }
    }

    private static void assertPartBounds(RecordingListener l, int partTargetMs) {
        for (RecordingListener.Segment s : l.segments) {
            for (int i = 0; i < s.parts.size(); i++) {
                RecordingListener.Part p = s.parts.get(i);
                assertTrue(p.durationUs() <= partTargetMs * 1000L, "part " + p + " exceeds " + partTargetMs);
                boolean exempt = p.independent() || i == s.parts.size() - 1;
                assertTrue(exempt || p.durationUs() >= partTargetMs * 850L,
                        "part " + s.msn + "." + i + " is " + p.durationUs() + " us, below 85% of " + partTargetMs);
            }
        }
    }

    @Test
    void rfc8216bis_4_4_4_9_independentExactlyWhenThePartStartsWithASyncSample() {
        RecordingListener l = segmentVideo(SegmenterConfig.lowLatencyDefaults());
        for (RecordingListener.Part p : l.parts()) {
            byte[] b = p.bytes();
            BoxReader.Box trun = BoxReader.find(b, 0, b.length, "trun");
            int firstFlags = (int) BoxReader.u32(b, trun.payload() + 12 + 8);
            assertEquals(p.independent(), !SampleFlags.isNonSync(firstFlags));
            assertEquals(p.independent(), p.index() == 0);
        }
    }

    @Test
    void iso14496_12_8_8_12_decodeTimeIsContinuousAcrossPartsAndSegments() {
        for (RecordingListener l : new RecordingListener[] {
                segmentVideo(SegmenterConfig.lowLatencyDefaults()), segmentAudio(SegmenterConfig.lowLatencyDefaults())}) {
            long expectedTfdt = 0;
            long expectedSequence = 1;
            for (RecordingListener.Part p : l.parts()) {
                byte[] b = p.bytes();
                assertEquals(List.of("moof", "mfhd", "traf", "tfhd", "tfdt", "trun", "mdat"), BoxReader.types(b, 0, b.length));
                BoxReader.Box mfhd = BoxReader.find(b, 0, b.length, "mfhd");
                assertEquals(expectedSequence++, BoxReader.u32(b, mfhd.payload() + 4));
                BoxReader.Box tfdt = BoxReader.find(b, 0, b.length, "tfdt");
                assertEquals(expectedTfdt, BoxReader.u64(b, tfdt.payload() + 4));
                BoxReader.Box trun = BoxReader.find(b, 0, b.length, "trun");
                int n = (int) BoxReader.u32(b, trun.payload() + 4);
                for (int i = 0; i < n; i++) {
                    expectedTfdt += BoxReader.u32(b, trun.payload() + 12 + i * 12);
                }
            }
            assertTrue(expectedTfdt > 0);
        }
    }

    @Test
    void everySampleIsKeptExactlyOnce() {
        RecordingListener l = segmentVideo(SegmenterConfig.lowLatencyDefaults());
        int samples = 0;
        for (RecordingListener.Part p : l.parts()) {
            byte[] b = p.bytes();
            samples += (int) BoxReader.u32(b, BoxReader.find(b, 0, b.length, "trun").payload() + 4);
        }
        assertEquals(90, samples);
        RecordingListener a = segmentAudio(SegmenterConfig.lowLatencyDefaults());
        int audioSamples = 0;
        for (RecordingListener.Part p : a.parts()) {
            assertTrue(p.independent(), "every AAC frame is a sync sample");
            byte[] b = p.bytes();
            audioSamples += (int) BoxReader.u32(b, BoxReader.find(b, 0, b.length, "trun").payload() + 4);
        }
        assertEquals(MediaFixtures.aacFrames().size(), audioSamples);
    }

    @Test
    void rfc8216bis_4_4_3_1_withoutKeyFramesTheSegmentIsCutBeforeItRoundsAboveTheTargetDuration() {
        RecordingListener l = new RecordingListener();
        CmafSegmenter s = new CmafSegmenter(MediaFixtures.videoFormat(1), new SegmenterConfig(200, 1000, 2, 0), l);
        byte[] sample = {0, 0, 0, 1, 0x41};
        for (int i = 0; i < 300; i++) { // 10 s, only the first frame is a key frame
            s.addSample(i * 3000L, 0, i == 0, 0, sample, 0, sample.length);
        }
        s.finish(3000);
        for (RecordingListener.Segment seg : l.segments) {
            assertTrue(Math.round(seg.durationUs / 1e6) <= 2, "segment " + seg.msn + " lasts " + seg.durationUs);
        }
        assertFalse(l.segments.get(1).parts.get(0).independent());
    }

    @Test
    void rfc8216bis_6_2_1_discontinuityStartsANewSegmentOnTheNextKeyFrame() {
        RecordingListener l = new RecordingListener();
        CmafSegmenter s = new CmafSegmenter(MediaFixtures.videoFormat(1), SegmenterConfig.lowLatencyDefaults(), l);
        byte[] sample = {0, 0, 0, 1, 0x41};
        for (int i = 0; i < 10; i++) {
            s.addSample(i * 3000L, 0, i == 0, 0, sample, 0, sample.length);
        }
        s.startDiscontinuity();
        assertEquals(SampleDropReason.WAITING_FOR_SYNC_SAMPLE, s.addSample(99_000, 0, false, 0, sample, 0, sample.length));
        // The new encoder restarts its clock at 0.
        assertEquals(SampleDropReason.OK, s.addSample(0, 0, true, 0, sample, 0, sample.length));
        s.addSample(3000, 0, false, 0, sample, 0, sample.length);
        s.finish(3000);
        assertEquals(2, l.segments.size());
        assertFalse(l.segments.get(0).discontinuity);
        assertTrue(l.segments.get(1).discontinuity);
        assertEquals(333_333, l.segments.get(0).durationUs); // ten frames of 3000 ticks
    }

    @Test
    void refusesWhatCannotBeSegmented() {
        RecordingListener l = new RecordingListener();
        CmafSegmenter s = new CmafSegmenter(MediaFixtures.videoFormat(1), SegmenterConfig.lowLatencyDefaults(), l);
        byte[] sample = {0, 0, 0, 1, 0x41};
        assertEquals(SampleDropReason.WAITING_FOR_SYNC_SAMPLE, s.addSample(0, 0, false, 0, sample, 0, 5));
        assertEquals(SampleDropReason.EMPTY, s.addSample(0, 0, true, 0, sample, 0, 0));
        assertEquals(SampleDropReason.OK, s.addSample(3000, 0, true, 0, sample, 0, 5));
        assertEquals(SampleDropReason.NON_MONOTONIC_DECODE_TIME, s.addSample(3000, 0, false, 0, sample, 0, 5));
        assertEquals(SampleDropReason.OK_DURATION_CLAMPED, s.addSample(900_000, 0, false, 0, sample, 0, 5));
        s.finish(3000);
        assertEquals(SampleDropReason.FINISHED, s.addSample(903_000, 0, false, 0, sample, 0, 5));
        assertEquals(1, s.clampedSamples());
    }
}
