package dev.palco.rtp.codec;

/**
 * Reads an H.264 sequence parameter set far enough to know the profile, level and picture size.
 *
 * <p>This is control-plane work (an SPS arrives with each key frame, not with each packet), but it
 * still allocates nothing: emulation-prevention bytes ({@code 00 00 03}, ITU-T H.264 §7.4.1) are
 * skipped while reading instead of being stripped into a copy. One instance is reusable; accessors
 * are meaningful only after {@link #parse} returned {@link PayloadDropReason#OK}. Not thread-safe.
 *
 * <pre>
 * ITU-T H.264 §7.3.2.1.1, seq_parameter_set_data(), up to the fields the picture size needs:
 *
 *   nal_unit_header                          u(8)   forbidden_zero_bit, nal_ref_idc, nal_unit_type = 7
 *   profile_idc                              u(8)
 *   constraint_set0..5_flag, reserved_zero_2bits  u(8)
 *   level_idc                                u(8)
 *   seq_parameter_set_id                     ue(v)
 *   if (profile_idc is 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134 or 135) {
 *     chroma_format_idc                      ue(v)
 *     if (chroma_format_idc == 3) separate_colour_plane_flag  u(1)
 *     bit_depth_luma_minus8                  ue(v)
 *     bit_depth_chroma_minus8                ue(v)
 *     qpprime_y_zero_transform_bypass_flag   u(1)
 *     seq_scaling_matrix_present_flag        u(1)   then up to 12 scaling_list() (§7.3.2.1.1.1)
 *   }
 *   log2_max_frame_num_minus4                ue(v)
 *   pic_order_cnt_type                       ue(v)
 *   if (pic_order_cnt_type == 0) log2_max_pic_order_cnt_lsb_minus4  ue(v)
 *   else if (pic_order_cnt_type == 1) {
 *     delta_pic_order_always_zero_flag       u(1)
 *     offset_for_non_ref_pic                 se(v)
 *     offset_for_top_to_bottom_field         se(v)
 *     num_ref_frames_in_pic_order_cnt_cycle  ue(v)   then that many offset_for_ref_frame se(v)
 *   }
 *   max_num_ref_frames                       ue(v)
 *   gaps_in_frame_num_value_allowed_flag     u(1)
 *   pic_width_in_mbs_minus1                  ue(v)
 *   pic_height_in_map_units_minus1           ue(v)
 *   frame_mbs_only_flag                      u(1)
 *   if (!frame_mbs_only_flag) mb_adaptive_frame_field_flag  u(1)
 *   direct_8x8_inference_flag                u(1)
 *   frame_cropping_flag                      u(1)
 *   if (frame_cropping_flag) frame_crop_left/right/top/bottom_offset  ue(v) x4
 *   vui_parameters_present_flag ...          (not read)
 * </pre>
 */
public final class H264SpsParser {

    /**
     * The widest (and tallest) picture any level allows, in macroblocks: PicWidthInMbs must not
     * exceed Sqrt(8 * MaxFS) (ITU-T H.264 §A.3.1), and MaxFS is at most 139264 (level 6.x).
     */
    public static final int MAX_PICTURE_SIZE_IN_MBS = 1055;

    private static final int MACROBLOCK_SIZE_PX = 16;
    private static final int MAX_EXP_GOLOMB_LEADING_ZEROS = 31;

    private int profileIdc;
    private int constraintFlags;
    private int levelIdc;
    private int spsId;
    private int chromaFormatIdc;
    private boolean separateColourPlane;
    private boolean frameMbsOnly;
    private int widthPx;
    private int heightPx;

    // Bit reader state over the escaped NAL unit bytes.
    private byte[] buf;
    private int pos;
    private int end;
    private int zeroRun;
    private int currentByte;
    private int bitsLeft;
    private boolean truncated;
    private boolean outOfRange;

    /** Creates an empty parser; call {@link #parse} before reading it. */
    public H264SpsParser() {
        clear();
    }

    /**
     * Parses an SPS NAL unit.
     *
     * @param buf array holding the NAL unit
     * @param off offset of the NAL unit header byte (type 7)
     * @param len NAL unit length in bytes, header included, emulation-prevention bytes still in place
     * @return {@link PayloadDropReason#OK}, or {@code H264_SPS_*} / {@code EMPTY_PAYLOAD} on bad input
     */
    public PayloadDropReason parse(byte[] buf, int off, int len) {
        clear();
        if (len <= 0) {
            return PayloadDropReason.EMPTY_PAYLOAD;
        }
        if ((buf[off] & 0x1F) != H264Payload.NAL_TYPE_SPS) {
            return PayloadDropReason.H264_SPS_NOT_SPS;
        }
        this.buf = buf;
        this.pos = off + 1;
        this.end = off + len;

        int profile = readBits(8);
        int constraints = readBits(8);
        int level = readBits(8);
        long id = readUe();
        if (id > 31) {
            outOfRange = true;
        }
        int chroma = 1; // 4:2:0 when the SPS does not say otherwise (§7.4.2.1.1)
        boolean separatePlanes = false;
        if (hasChromaInfo(profile)) {
            long c = readUe();
            if (c > 3) {
                return fail();
            }
            chroma = (int) c;
            if (chroma == 3) {
                separatePlanes = readBit() == 1;
            }
            long bitDepthLumaMinus8 = readUe();
            long bitDepthChromaMinus8 = readUe();
            if (bitDepthLumaMinus8 > 6 || bitDepthChromaMinus8 > 6) {
                outOfRange = true;
            }
            readBit(); // qpprime_y_zero_transform_bypass_flag
            if (readBit() == 1) { // seq_scaling_matrix_present_flag
                int lists = chroma != 3 ? 8 : 12;
                for (int i = 0; i < lists && !truncated && !outOfRange; i++) {
                    if (readBit() == 1) {
                        skipScalingList(i < 6 ? 16 : 64);
                    }
                }
            }
        }
        if (readUe() > 12) { // log2_max_frame_num_minus4
            outOfRange = true;
        }
        long pocType = readUe();
        if (pocType == 0) {
            if (readUe() > 12) { // log2_max_pic_order_cnt_lsb_minus4
                outOfRange = true;
            }
        } else if (pocType == 1) {
            readBit(); // delta_pic_order_always_zero_flag
            readUe(); // offset_for_non_ref_pic, se(v): only skipped
            readUe(); // offset_for_top_to_bottom_field, se(v): only skipped
            long cycle = readUe();
            if (cycle > 255) {
                outOfRange = true;
            }
            for (long i = 0; i < cycle && !truncated && !outOfRange; i++) {
                readUe(); // offset_for_ref_frame[i], se(v): only skipped
            }
        } else if (pocType > 2) {
            outOfRange = true;
        }
        readUe(); // max_num_ref_frames
        readBit(); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = readUe() + 1;
        long heightMapUnits = readUe() + 1;
        boolean frameMbs = readBit() == 1;
        if (!frameMbs) {
            readBit(); // mb_adaptive_frame_field_flag
        }
        readBit(); // direct_8x8_inference_flag
        long cropLeft = 0;
        long cropRight = 0;
        long cropTop = 0;
        long cropBottom = 0;
        if (readBit() == 1) {
            cropLeft = readUe();
            cropRight = readUe();
            cropTop = readUe();
            cropBottom = readUe();
        }
        if (truncated) {
            return PayloadDropReason.H264_SPS_TRUNCATED;
        }
        if (outOfRange) {
            return PayloadDropReason.H264_SPS_OUT_OF_RANGE;
        }

        // Field pictures stack two map units per frame macroblock row (§7.4.2.1.1, equation 7-18).
        long heightMbs = heightMapUnits * (frameMbs ? 1 : 2);
        if (widthMbs > MAX_PICTURE_SIZE_IN_MBS || heightMbs > MAX_PICTURE_SIZE_IN_MBS) {
            return PayloadDropReason.H264_SPS_OUT_OF_RANGE;
        }
        // Cropping is counted in chroma sample units (§7.4.2.1.1, equations 7-19 to 7-22).
        int chromaArrayType = separatePlanes ? 0 : chroma;
        int cropUnitX;
        int cropUnitY;
        if (chromaArrayType == 0) {
            cropUnitX = 1;
            cropUnitY = frameMbs ? 1 : 2;
        } else {
            int subWidthC = chroma == 3 ? 1 : 2;
            int subHeightC = chroma == 1 ? 2 : 1;
            cropUnitX = subWidthC;
            cropUnitY = subHeightC * (frameMbs ? 1 : 2);
        }
        long codedWidth = widthMbs * MACROBLOCK_SIZE_PX;
        long codedHeight = heightMbs * MACROBLOCK_SIZE_PX;
        long width = codedWidth - cropUnitX * (cropLeft + cropRight);
        long height = codedHeight - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0) {
            return PayloadDropReason.H264_SPS_OUT_OF_RANGE;
        }

        profileIdc = profile;
        constraintFlags = constraints;
        levelIdc = level;
        spsId = (int) id;
        chromaFormatIdc = chroma;
        separateColourPlane = separatePlanes;
        frameMbsOnly = frameMbs;
        widthPx = (int) width;
        heightPx = (int) height;
        return PayloadDropReason.OK;
    }

    private PayloadDropReason fail() {
        return truncated ? PayloadDropReason.H264_SPS_TRUNCATED : PayloadDropReason.H264_SPS_OUT_OF_RANGE;
    }

    /** High profiles and their relatives carry chroma format and bit depth (§7.3.2.1.1). */
    private static boolean hasChromaInfo(int profile) {
        switch (profile) {
            case 100: case 110: case 122: case 244: case 44: case 83: case 86:
            case 118: case 128: case 138: case 139: case 134: case 135:
                return true;
            default:
                return false;
        }
    }

    /** scaling_list() of §7.3.2.1.1.1: only walked, the values are not needed. */
    private void skipScalingList(int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && !truncated && !outOfRange; j++) {
            if (nextScale != 0) {
                long deltaScale = readSe();
                if (deltaScale < -128 || deltaScale > 127) {
                    outOfRange = true;
                    return;
                }
                nextScale = (int) ((lastScale + deltaScale + 256) % 256);
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    private void clear() {
        profileIdc = -1;
        constraintFlags = -1;
        levelIdc = -1;
        spsId = -1;
        chromaFormatIdc = -1;
        separateColourPlane = false;
        frameMbsOnly = false;
        widthPx = 0;
        heightPx = 0;
        buf = null;
        pos = 0;
        end = 0;
        zeroRun = 0;
        currentByte = 0;
        bitsLeft = 0;
        truncated = false;
        outOfRange = false;
    }

    /**
     * Next RBSP bit, or 0 once the NAL unit is exhausted (then {@code truncated} is set, and the
     * caller checks it). An 0x03 that follows two zero bytes is an emulation-prevention byte and is
     * not part of the RBSP (§7.4.1).
     */
    private int readBit() {
        if (bitsLeft == 0) {
            if (pos >= end) {
                truncated = true;
                return 0;
            }
            int b = buf[pos++] & 0xFF;
            if (zeroRun >= 2 && b == 0x03) {
                zeroRun = 0;
                if (pos >= end) {
                    truncated = true;
                    return 0;
                }
                b = buf[pos++] & 0xFF;
            }
            zeroRun = b == 0 ? zeroRun + 1 : 0;
            currentByte = b;
            bitsLeft = 8;
        }
        bitsLeft--;
        return (currentByte >>> bitsLeft) & 1;
    }

    private int readBits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | readBit();
        }
        return v;
    }

    /** ue(v), §9.1. Values beyond 2^32 - 2 cannot be expressed and mark the SPS out of range. */
    private long readUe() {
        int leadingZeros = 0;
        while (readBit() == 0) {
            if (truncated) {
                return 0;
            }
            if (++leadingZeros > MAX_EXP_GOLOMB_LEADING_ZEROS) {
                outOfRange = true;
                return 0;
            }
        }
        long suffix = 0;
        for (int i = 0; i < leadingZeros; i++) {
            suffix = (suffix << 1) | readBit();
        }
        return (1L << leadingZeros) - 1 + suffix;
    }

    /** se(v), §9.1.1: 1, 2, 3, 4 ... map to 1, -1, 2, -2 ... */
    private long readSe() {
        long k = readUe();
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }

    /** profile_idc, e.g. 66 (Baseline), 77 (Main), 100 (High). */
    public int profileIdc() {
        return profileIdc;
    }

    /** The octet holding constraint_set0_flag (MSB) to constraint_set5_flag and two reserved bits. */
    public int constraintFlags() {
        return constraintFlags;
    }

    /** level_idc: ten times the level number, e.g. 31 for level 3.1. */
    public int levelIdc() {
        return levelIdc;
    }

    /**
     * profile_idc, constraint flags and level_idc as the 24-bit value SDP calls profile-level-id
     * (RFC 6184 §8.1), e.g. 0x42e01f.
     */
    public int profileLevelId() {
        return profileIdc << 16 | constraintFlags << 8 | levelIdc;
    }

    /** seq_parameter_set_id (0..31). */
    public int spsId() {
        return spsId;
    }

    /** chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
    public int chromaFormatIdc() {
        return chromaFormatIdc;
    }

    /** separate_colour_plane_flag (4:4:4 coded as three monochrome planes). */
    public boolean separateColourPlane() {
        return separateColourPlane;
    }

    /** frame_mbs_only_flag: false when the sequence may contain field pictures. */
    public boolean frameMbsOnly() {
        return frameMbsOnly;
    }

    /** Displayed width in pixels: the coded width minus the cropping window. */
    public int widthPx() {
        return widthPx;
    }

    /** Displayed height in pixels: the coded height minus the cropping window. */
    public int heightPx() {
        return heightPx;
    }
}
