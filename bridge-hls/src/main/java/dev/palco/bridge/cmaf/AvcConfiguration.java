package dev.palco.bridge.cmaf;

import dev.palco.rtp.codec.H264SpsParser;
import dev.palco.rtp.codec.PayloadDropReason;
import java.util.Arrays;
import java.util.Locale;

/**
 * An H.264 decoder configuration: the {@code avcC} record built from one SPS and one PPS, plus what
 * the playlists need from the SPS (the RFC 6381 codecs string and the picture size).
 *
 * <pre>
 * ISO/IEC 14496-15 §5.3.3.1, AVCDecoderConfigurationRecord:
 *
 *   unsigned int(8) configurationVersion = 1;
 *   unsigned int(8) AVCProfileIndication;      // SPS profile_idc
 *   unsigned int(8) profile_compatibility;     // SPS constraint_set flags byte
 *   unsigned int(8) AVCLevelIndication;        // SPS level_idc
 *   bit(6) reserved = '111111'b;  unsigned int(2) lengthSizeMinusOne;   // 3: 4-byte NAL lengths
 *   bit(3) reserved = '111'b;     unsigned int(5) numOfSequenceParameterSets;
 *   { unsigned int(16) sequenceParameterSetLength; bit(8*len) sequenceParameterSetNALUnit; }
 *   unsigned int(8) numOfPictureParameterSets;
 *   { unsigned int(16) pictureParameterSetLength; bit(8*len) pictureParameterSetNALUnit; }
 *   if (profile_idc == 100 || 110 || 122 || 144) {
 *     bit(6) reserved = '111111'b; unsigned int(2) chroma_format;
 *     bit(5) reserved = '11111'b;  unsigned int(3) bit_depth_luma_minus8;
 *     bit(5) reserved = '11111'b;  unsigned int(3) bit_depth_chroma_minus8;
 *     unsigned int(8) numOfSequenceParameterSetExt = 0;
 *   }
 * </pre>
 *
 * <p>Bit depth is written as 8: the ladder is 8-bit 4:2:0 and the SPS reader does not report it.
 */
public final class AvcConfiguration {

    /** NAL unit length field size in the samples we write (lengthSizeMinusOne = 3). */
    public static final int NAL_LENGTH_SIZE_BYTES = 4;

    private final byte[] sps;
    private final byte[] pps;
    private final int profileIdc;
    private final int constraintFlags;
    private final int levelIdc;
    private final int chromaFormatIdc;
    private final int widthPx;
    private final int heightPx;

    private AvcConfiguration(byte[] sps, byte[] pps, H264SpsParser parsed) {
        this.sps = sps;
        this.pps = pps;
        this.profileIdc = parsed.profileIdc();
        this.constraintFlags = parsed.constraintFlags();
        this.levelIdc = parsed.levelIdc();
        this.chromaFormatIdc = parsed.chromaFormatIdc();
        this.widthPx = parsed.widthPx();
        this.heightPx = parsed.heightPx();
    }

    /**
     * Builds the configuration from raw SPS and PPS NAL units (header byte included, no start code).
     *
     * @throws IllegalArgumentException if the SPS does not parse or the PPS is not a PPS; this is
     *     control-plane input, checked once per stream
     */
    public static AvcConfiguration of(byte[] sps, byte[] pps) {
        H264SpsParser parser = new H264SpsParser();
        PayloadDropReason r = parser.parse(sps, 0, sps.length);
        if (r != PayloadDropReason.OK) {
            throw new IllegalArgumentException("bad SPS: " + r);
        }
        if (pps.length < 2 || (pps[0] & 0x1F) != 8) {
            throw new IllegalArgumentException("not a PPS NAL unit");
        }
        return new AvcConfiguration(sps.clone(), pps.clone(), parser);
    }

    /** RFC 6381 §3.3 codecs string {@code avc1.PPCCLL}, e.g. {@code avc1.42c01e}. */
    public String codecs() {
        return String.format(Locale.ROOT, "avc1.%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }

    /** Displayed width in pixels, from the SPS. */
    public int widthPx() {
        return widthPx;
    }

    /** Displayed height in pixels, from the SPS. */
    public int heightPx() {
        return heightPx;
    }

    /** profile_idc of the SPS. */
    public int profileIdc() {
        return profileIdc;
    }

    /** A copy of the SPS NAL unit. */
    public byte[] sps() {
        return sps.clone();
    }

    /** A copy of the PPS NAL unit. */
    public byte[] pps() {
        return pps.clone();
    }

    /** Writes the AVCDecoderConfigurationRecord (the payload of {@code avcC}). */
    void writeRecord(BoxWriter out) {
        out.u8(1);
        out.u8(profileIdc);
        out.u8(constraintFlags);
        out.u8(levelIdc);
        out.u8(0xFC | (NAL_LENGTH_SIZE_BYTES - 1));
        out.u8(0xE0 | 1);
        out.u16(sps.length);
        out.bytes(sps, 0, sps.length);
        out.u8(1);
        out.u16(pps.length);
        out.bytes(pps, 0, pps.length);
        if (profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 144) {
            out.u8(0xFC | chromaFormatIdc);
            out.u8(0xF8);
            out.u8(0xF8);
            out.u8(0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvcConfiguration
                && Arrays.equals(sps, ((AvcConfiguration) o).sps)
                && Arrays.equals(pps, ((AvcConfiguration) o).pps);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sps) + Arrays.hashCode(pps);
    }
}
