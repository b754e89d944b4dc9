package dev.palco.bridge.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InitSegmentWriterTest {

    @Test
    void videoInitSegmentHasTheCmafBoxTree() {
        TrackFormat f = MediaFixtures.videoFormat(1);
        BoxWriter out = new BoxWriter(256);
        int len = InitSegmentWriter.write(f, out);
        byte[] b = out.toByteArray();
        assertEquals(len, b.length);
        assertEquals(List.of("ftyp", "moov", "mvhd", "trak", "tkhd", "mdia", "mdhd", "hdlr", "minf", "vmhd", "dinf",
                "dref", "url ", "stbl", "stsd", "avc1", "avcC", "stts", "stsc", "stsz", "stco", "mvex", "trex"),
                BoxReader.types(b, 0, len));

        BoxReader.Box ftyp = BoxReader.find(b, 0, len, "ftyp");
        assertEquals(BoxWriter.fourcc("iso6"), (int) BoxReader.u32(b, ftyp.payload())); // major_brand
        assertEquals(BoxWriter.fourcc("iso6"), (int) BoxReader.u32(b, ftyp.payload() + 8));
        assertEquals(BoxWriter.fourcc("cmfc"), (int) BoxReader.u32(b, ftyp.payload() + 12));

        BoxReader.Box mdhd = BoxReader.find(b, 0, len, "mdhd");
        assertEquals(90_000, BoxReader.u32(b, mdhd.payload() + 12)); // timescale after version+2 times
        BoxReader.Box hdlr = BoxReader.find(b, 0, len, "hdlr");
        assertEquals(BoxWriter.fourcc("vide"), (int) BoxReader.u32(b, hdlr.payload() + 8));
        BoxReader.Box avc1 = BoxReader.find(b, 0, len, "avc1");
        assertEquals(320, BoxReader.u16(b, avc1.payload() + 24));
        assertEquals(180, BoxReader.u16(b, avc1.payload() + 26));
        BoxReader.Box tkhd = BoxReader.find(b, 0, len, "tkhd");
        assertEquals(320L << 16, BoxReader.u32(b, tkhd.end() - 8));
        assertEquals(180L << 16, BoxReader.u32(b, tkhd.end() - 4));

        BoxReader.Box avcC = BoxReader.find(b, 0, len, "avcC");
        assertEquals(1, b[avcC.payload()]); // configurationVersion
        assertEquals(66, b[avcC.payload() + 1]); // AVCProfileIndication: baseline
        assertEquals(0xFF, b[avcC.payload() + 4] & 0xFF); // lengthSizeMinusOne = 3
        assertEquals(0xE1, b[avcC.payload() + 5] & 0xFF); // one SPS
        assertEquals("avc1.42c00d", f.codecs());

        BoxReader.Box trex = BoxReader.find(b, 0, len, "trex");
        assertEquals(1, BoxReader.u32(b, trex.payload() + 4)); // track_ID
        assertEquals(1, BoxReader.u32(b, trex.payload() + 8)); // default_sample_description_index
        BoxReader.Box stsz = BoxReader.find(b, 0, len, "stsz");
        assertEquals(0, BoxReader.u32(b, stsz.payload() + 8)); // no samples in the header
    }

    @Test
    void audioInitSegmentCarriesTheAudioSpecificConfig() {
        TrackFormat f = MediaFixtures.audioFormat(2);
        BoxWriter out = new BoxWriter(256);
        int len = InitSegmentWriter.write(f, out);
        byte[] b = out.toByteArray();
        assertEquals(List.of("ftyp", "moov", "mvhd", "trak", "tkhd", "mdia", "mdhd", "hdlr", "minf", "smhd", "dinf",
                "dref", "url ", "stbl", "stsd", "mp4a", "esds", "stts", "stsc", "stsz", "stco", "mvex", "trex"),
                BoxReader.types(b, 0, len));
        BoxReader.Box mp4a = BoxReader.find(b, 0, len, "mp4a");
        assertEquals(1, BoxReader.u16(b, mp4a.payload() + 16)); // channelcount
        assertEquals(48_000L << 16, BoxReader.u32(b, mp4a.payload() + 24)); // samplerate 16.16
        BoxReader.Box esds = BoxReader.find(b, 0, len, "esds");
        byte[] asc = MediaFixtures.aacAudioSpecificConfig();
        // The DecoderSpecificInfo (tag 5) ends the DecoderConfigDescriptor, just before SLConfig (3 bytes).
        int dsi = esds.end() - 3 - asc.length - 2;
        assertEquals(5, b[dsi]);
        assertEquals(asc.length, b[dsi + 1]);
        assertEquals(asc[0], b[dsi + 2]);
        assertEquals(asc[1], b[dsi + 3]);
        assertEquals("mp4a.40.2", f.codecs());
        assertEquals(48_000, f.timescaleHz());
    }

    @Test
    void aacConfigurationReadsExplicitFrequencies() {
        // objectType 2, freqIndex 15, frequency 0x00BB80 (48000), channelConfiguration 2:
        // 00010 1111 000000001011101110000000 0010 + padding
        byte[] asc = {(byte) 0x17, (byte) 0x80, (byte) 0x5D, (byte) 0xC0, (byte) 0x10};
        AacConfiguration c = AacConfiguration.of(asc);
        assertEquals(48_000, c.sampleRateHz());
        assertEquals(2, c.channelCount());
    }
}
