package dev.palco.bridge.cmaf;

/**
 * Writes a CMAF header (the HLS Media Initialization Section): {@code ftyp} + {@code moov} for one
 * track, with empty sample tables and an {@code mvex}, as fragmented files require.
 *
 * <pre>
 * ftyp                      major iso6, compatible iso6 + cmfc (ISO/IEC 23000-19 §7.2)
 * moov
 *   mvhd                    timescale 1000, duration 0 (live)
 *   trak
 *     tkhd                  enabled | in_movie, width/height (video) or volume (audio)
 *     mdia
 *       mdhd                media timescale, language "und"
 *       hdlr                vide | soun
 *       minf
 *         vmhd | smhd
 *         dinf/dref/"url "  self-contained
 *         stbl
 *           stsd            avc1+avcC | mp4a+esds
 *           stts stsc stsz stco   all empty: samples live in the fragments
 *   mvex
 *     trex                  defaults 0: every trun carries its own duration, size and flags
 * </pre>
 */
public final class InitSegmentWriter {

    private static final int FTYP = BoxWriter.fourcc("ftyp");
    private static final int MOOV = BoxWriter.fourcc("moov");
    private static final int MVHD = BoxWriter.fourcc("mvhd");
    private static final int TRAK = BoxWriter.fourcc("trak");
    private static final int TKHD = BoxWriter.fourcc("tkhd");
    private static final int MDIA = BoxWriter.fourcc("mdia");
    private static final int MDHD = BoxWriter.fourcc("mdhd");
    private static final int HDLR = BoxWriter.fourcc("hdlr");
    private static final int MINF = BoxWriter.fourcc("minf");
    private static final int VMHD = BoxWriter.fourcc("vmhd");
    private static final int SMHD = BoxWriter.fourcc("smhd");
    private static final int DINF = BoxWriter.fourcc("dinf");
    private static final int DREF = BoxWriter.fourcc("dref");
    private static final int URL = BoxWriter.fourcc("url ");
    private static final int STBL = BoxWriter.fourcc("stbl");
    private static final int STSD = BoxWriter.fourcc("stsd");
    private static final int AVC1 = BoxWriter.fourcc("avc1");
    private static final int AVCC = BoxWriter.fourcc("avcC");
    private static final int MP4A = BoxWriter.fourcc("mp4a");
    private static final int ESDS = BoxWriter.fourcc("esds");
    private static final int STTS = BoxWriter.fourcc("stts");
    private static final int STSC = BoxWriter.fourcc("stsc");
    private static final int STSZ = BoxWriter.fourcc("stsz");
    private static final int STCO = BoxWriter.fourcc("stco");
    private static final int MVEX = BoxWriter.fourcc("mvex");
    private static final int TREX = BoxWriter.fourcc("trex");

    /** Major and first compatible brand: ISO BMFF edition 6 (tfdt v1, default-base-is-moof). */
    public static final int BRAND_ISO6 = BoxWriter.fourcc("iso6");
    /** CMAF structural brand (ISO/IEC 23000-19 §7.2). */
    public static final int BRAND_CMFC = BoxWriter.fourcc("cmfc");

    private static final int MOVIE_TIMESCALE_HZ = 1000;
    private static final int LANGUAGE_UND = ('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60);
    private static final int TKHD_ENABLED_IN_MOVIE = 0x000003;
    private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

    // MPEG-4 Systems (ISO/IEC 14496-1 §7.2.6) descriptor tags and codes used in esds.
    private static final int ES_DESCRIPTOR_TAG = 0x03;
    private static final int DECODER_CONFIG_DESCRIPTOR_TAG = 0x04;
    private static final int DECODER_SPECIFIC_INFO_TAG = 0x05;
    private static final int SL_CONFIG_DESCRIPTOR_TAG = 0x06;
    private static final int OBJECT_TYPE_AAC = 0x40;
    private static final int STREAM_TYPE_AUDIO_UPSTREAM0_RESERVED1 = 0x05 << 2 | 1;

    private InitSegmentWriter() {
    }

    /** Writes the init segment for {@code format} at the end of {@code out}; returns its length. */
    public static int write(TrackFormat format, BoxWriter out) {
        int start = out.length();
        out.startBox(FTYP);
        out.u32(BRAND_ISO6);
        out.u32(0); // minor_version
        out.u32(BRAND_ISO6);
        out.u32(BRAND_CMFC);
        out.endBox();

        out.startBox(MOOV);
        writeMvhd(format, out);
        out.startBox(TRAK);
        writeTkhd(format, out);
        out.startBox(MDIA);
        out.startFullBox(MDHD, 0, 0);
        out.u32(0); // creation_time
        out.u32(0); // modification_time
        out.u32(format.timescaleHz());
        out.u32(0); // duration: unknown, live
        out.u16(LANGUAGE_UND);
        out.u16(0); // pre_defined
        out.endBox();
        writeHdlr(format, out);
        out.startBox(MINF);
        if (format.kind() == MediaKind.VIDEO) {
            out.startFullBox(VMHD, 0, 1); // flags = 1 is mandated by §12.1.2
            out.u16(0); // graphicsmode: copy
            out.zeros(6); // opcolor
            out.endBox();
        } else {
            out.startFullBox(SMHD, 0, 0);
            out.u16(0); // balance: centre
            out.u16(0); // reserved
            out.endBox();
        }
        out.startBox(DINF);
        out.startFullBox(DREF, 0, 0);
        out.u32(1); // entry_count
        out.startFullBox(URL, 0, 1); // flags = 1: media data is in this file
        out.endBox();
        out.endBox();
        out.endBox();
        out.startBox(STBL);
        out.startFullBox(STSD, 0, 0);
        out.u32(1); // entry_count
        if (format.kind() == MediaKind.VIDEO) {
            writeAvc1(format.avc(), out);
        } else {
            writeMp4a(format.aac(), out);
        }
        out.endBox();
        emptyTable(STTS, out);
        emptyTable(STSC, out);
        out.startFullBox(STSZ, 0, 0);
        out.u32(0); // sample_size: per sample
        out.u32(0); // sample_count
        out.endBox();
        emptyTable(STCO, out);
        out.endBox(); // stbl
        out.endBox(); // minf
        out.endBox(); // mdia
        out.endBox(); // trak
        out.startBox(MVEX);
        out.startFullBox(TREX, 0, 0);
        out.u32(format.trackId());
        out.u32(1); // default_sample_description_index
        out.u32(0); // default_sample_duration
        out.u32(0); // default_sample_size
        out.u32(0); // default_sample_flags
        out.endBox();
        out.endBox(); // mvex
        out.endBox(); // moov
        return out.length() - start;
    }

    private static void writeMvhd(TrackFormat format, BoxWriter out) {
        out.startFullBox(MVHD, 0, 0);
        out.u32(0); // creation_time
        out.u32(0); // modification_time
        out.u32(MOVIE_TIMESCALE_HZ);
        out.u32(0); // duration
        out.u32(0x00010000); // rate 1.0
        out.u16(0x0100); // volume 1.0
        out.zeros(2 + 8); // reserved
        for (int m : UNITY_MATRIX) {
            out.u32(m);
        }
        out.zeros(6 * 4); // pre_defined
        out.u32(format.trackId() + 1L); // next_track_ID
        out.endBox();
    }

    private static void writeTkhd(TrackFormat format, BoxWriter out) {
        out.startFullBox(TKHD, 0, TKHD_ENABLED_IN_MOVIE);
        out.u32(0); // creation_time
        out.u32(0); // modification_time
        out.u32(format.trackId());
        out.u32(0); // reserved
        out.u32(0); // duration
        out.zeros(8); // reserved
        out.u16(0); // layer
        out.u16(0); // alternate_group
        out.u16(format.kind() == MediaKind.AUDIO ? 0x0100 : 0); // volume
        out.u16(0); // reserved
        for (int m : UNITY_MATRIX) {
            out.u32(m);
        }
        if (format.kind() == MediaKind.VIDEO) {
            out.u32((long) format.avc().widthPx() << 16); // 16.16 fixed point
            out.u32((long) format.avc().heightPx() << 16);
        } else {
            out.u32(0);
            out.u32(0);
        }
        out.endBox();
    }

    private static void writeHdlr(TrackFormat format, BoxWriter out) {
        boolean video = format.kind() == MediaKind.VIDEO;
        out.startFullBox(HDLR, 0, 0);
        out.u32(0); // pre_defined
        out.u32(BoxWriter.fourcc(video ? "vide" : "soun"));
        out.zeros(12); // reserved
        byte[] name = (video ? "Palco video" : "Palco audio").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.bytes(name, 0, name.length);
        out.u8(0); // null-terminated
        out.endBox();
    }

    private static void writeAvc1(AvcConfiguration avc, BoxWriter out) {
        // ISO/IEC 14496-12 §12.1.3 VisualSampleEntry, then the avcC box of ISO/IEC 14496-15.
        out.startBox(AVC1);
        out.zeros(6); // reserved
        out.u16(1); // data_reference_index
        out.u16(0); // pre_defined
        out.u16(0); // reserved
        out.zeros(12); // pre_defined
        out.u16(avc.widthPx());
        out.u16(avc.heightPx());
        out.u32(0x00480000); // horizresolution 72 dpi
        out.u32(0x00480000); // vertresolution 72 dpi
        out.u32(0); // reserved
        out.u16(1); // frame_count
        out.zeros(32); // compressorname: empty Pascal string
        out.u16(0x0018); // depth: colour, no alpha
        out.u16(0xFFFF); // pre_defined = -1
        out.startBox(AVCC);
        avc.writeRecord(out);
        out.endBox();
        out.endBox();
    }

    private static void writeMp4a(AacConfiguration aac, BoxWriter out) {
        // ISO/IEC 14496-12 §12.2.3 AudioSampleEntry, then esds (ISO/IEC 14496-14 §5.6).
        out.startBox(MP4A);
        out.zeros(6); // reserved
        out.u16(1); // data_reference_index
        out.zeros(8); // reserved
        out.u16(aac.channelCount());
        out.u16(16); // samplesize
        out.u16(0); // pre_defined
        out.u16(0); // reserved
        out.u32((long) aac.sampleRateHz() << 16); // 16.16; rates above 65535 Hz do not fit
        out.startFullBox(ESDS, 0, 0);
        int ascLen = aac.configLength();
        int decSpecificLen = 2 + ascLen;
        int decConfigLen = 2 + 13 + decSpecificLen;
        int slConfigLen = 2 + 1;
        // One-byte descriptor lengths (ISO/IEC 14496-1 §8.3.3 allows 1-4 bytes): all stay < 128.
        out.u8(ES_DESCRIPTOR_TAG);
        out.u8(3 + decConfigLen + slConfigLen);
        out.u16(0); // ES_ID
        out.u8(0); // streamDependenceFlag, URL_Flag, OCRstreamFlag, streamPriority
        out.u8(DECODER_CONFIG_DESCRIPTOR_TAG);
        out.u8(decConfigLen - 2);
        out.u8(OBJECT_TYPE_AAC);
        out.u8(STREAM_TYPE_AUDIO_UPSTREAM0_RESERVED1);
        out.u24(0); // bufferSizeDB
        out.u32(0); // maxBitrate: unknown
        out.u32(0); // avgBitrate: variable
        out.u8(DECODER_SPECIFIC_INFO_TAG);
        out.u8(ascLen);
        aac.writeConfig(out);
        out.u8(SL_CONFIG_DESCRIPTOR_TAG);
        out.u8(1);
        out.u8(2); // predefined: reserved for MP4 files
        out.endBox();
        out.endBox();
    }

    private static void emptyTable(int type, BoxWriter out) {
        out.startFullBox(type, 0, 0);
        out.u32(0); // entry_count
        out.endBox();
    }
}
