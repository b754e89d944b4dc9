package dev.palco.bridge.cmaf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Real encoded media for tests, made once with ffmpeg 5.1 and committed next to this class:
 * <ul>
 *   <li>{@code video-320x180-30fps-gop30.h264}: 3 s of testsrc2, libx264 constrained baseline,
 *       ultrafast/zerolatency, crf 45, an IDR every 30 frames, Annex B.
 *       {@code ffmpeg -f lavfi -i testsrc2=size=320x180:rate=30 -t 3 -c:v libx264 -profile:v baseline
 *       -preset ultrafast -tune zerolatency -crf 45 -g 30 -keyint_min 30 -sc_threshold 0 -f h264}</li>
 *   <li>{@code audio-48k-mono.aac}: 3 s of a 440 Hz sine, AAC LC 48 kHz mono 32 kb/s, ADTS.
 *       {@code ffmpeg -f lavfi -i sine=frequency=440:sample_rate=48000 -t 3 -c:a aac -b:a 32k -ac 1 -f adts}</li>
 * </ul>
 */
public final class MediaFixtures {

    /** Frame duration at 30 fps in 90 kHz ticks. */
    public static final int FRAME_TICKS_30FPS = 3000;

    private MediaFixtures() {
    }

    /** Reads a fixture from the test resources of this package. */
    public static byte[] resource(String name) {
        try (InputStream in = MediaFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Annex B video fixture split into access units (each still in Annex B form). */
    public static List<byte[]> videoAccessUnits() {
        byte[] es = resource("video-320x180-30fps-gop30.h264");
        List<int[]> nals = new ArrayList<>(); // {startCodeStart, nalStart}
        for (int i = 0; i + 3 <= es.length; i++) {
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
                int sc = i > 0 && es[i - 1] == 0 ? i - 1 : i;
                nals.add(new int[] {sc, i + 3});
                i += 2;
            }
        }
        List<byte[]> aus = new ArrayList<>();
        int auStart = 0;
        boolean auHasSlice = false;
        for (int[] nal : nals) {
            int type = es[nal[1]] & 0x1F;
            boolean slice = type == 1 || type == 5;
            boolean firstMbZero = slice && (es[nal[1] + 1] & 0x80) != 0;
            boolean startsAu = auHasSlice && (!slice || firstMbZero);
            if (startsAu) {
                aus.add(java.util.Arrays.copyOfRange(es, auStart, nal[0]));
                auStart = nal[0];
                auHasSlice = false;
            }
            auHasSlice |= slice;
        }
        aus.add(java.util.Arrays.copyOfRange(es, auStart, es.length));
        return aus;
    }

    /** The ADTS fixture split into raw AAC frames (ADTS headers removed). */
    public static List<byte[]> aacFrames() {
        byte[] adts = resource("audio-48k-mono.aac");
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos + 7 <= adts.length) {
            boolean protectionAbsent = (adts[pos + 1] & 1) == 1;
            int frameLen = (adts[pos + 3] & 0x03) << 11 | (adts[pos + 4] & 0xFF) << 3 | (adts[pos + 5] & 0xE0) >>> 5;
            int header = protectionAbsent ? 7 : 9;
            frames.add(java.util.Arrays.copyOfRange(adts, pos + header, pos + frameLen));
            pos += frameLen;
        }
        return frames;
    }

    /** AudioSpecificConfig of the ADTS fixture, built from its first header (ISO/IEC 14496-3 §1.6.2.1). */
    public static byte[] aacAudioSpecificConfig() {
        byte[] adts = resource("audio-48k-mono.aac");
        int objectType = ((adts[2] & 0xC0) >>> 6) + 1;
        int freqIndex = (adts[2] & 0x3C) >>> 2;
        int channels = (adts[2] & 0x01) << 2 | (adts[3] & 0xC0) >>> 6;
        int asc = objectType << 11 | freqIndex << 7 | channels << 3;
        return new byte[] {(byte) (asc >>> 8), (byte) asc};
    }

    /** The video track of the fixture: SPS and PPS taken from its first access unit. */
    public static TrackFormat videoFormat(int trackId) {
        AnnexBConverter c = new AnnexBConverter();
        c.convert(videoAccessUnits().get(0), 0, videoAccessUnits().get(0).length, new BoxWriter(1024));
        return TrackFormat.video(trackId, AvcConfiguration.of(c.sps(), c.pps()));
    }

    /** The audio track of the fixture. */
    public static TrackFormat audioFormat(int trackId) {
        return TrackFormat.audio(trackId, AacConfiguration.of(aacAudioSpecificConfig()));
    }
}
