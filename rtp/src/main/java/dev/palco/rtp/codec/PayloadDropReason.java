package dev.palco.rtp.codec;

/**
 * Why a codec payload helper refused an RTP payload.
 *
 * <p>Payload helpers never throw on malformed input: they return one of these values and the caller
 * drops the packet and counts it under the reason. {@link #OK} means the payload is well formed and
 * the helper's accessors are valid.
 */
public enum PayloadDropReason {
    /** The payload is well formed; nothing to drop. */
    OK,
    /** The RTP payload is zero bytes long. */
    EMPTY_PAYLOAD,

    /** VP8 (RFC 7741 §4.2): the X, I, L or T/K bits announce descriptor bytes past the end of the payload. */
    VP8_DESCRIPTOR_TRUNCATED,
    /** VP8 (RFC 7741 §4.1): the descriptor takes the whole payload, so no VP8 data follows it. */
    VP8_NO_PAYLOAD_DATA,
    /** VP8 (RFC 7741 §4.3): S=1 and PID=0, but fewer than the 3 bytes of the VP8 payload header follow. */
    VP8_PAYLOAD_HEADER_TRUNCATED,
    /** VP8 (RFC 6386 §9.1): a key frame whose start code is present but is not {@code 9d 01 2a}. */
    VP8_BAD_KEYFRAME_START_CODE,

    /** H.264 (RFC 6184 §5.4): NAL unit type 0, 30 or 31, which RFC 6184 leaves undefined. */
    H264_UNDEFINED_NAL_TYPE,
    /**
     * H.264 (RFC 6184 §6.3): STAP-B (25), MTAP16 (26), MTAP24 (27) or FU-B (29), none of which
     * packetization-mode=1 allows.
     */
    H264_UNSUPPORTED_PACKETIZATION,
    /** H.264 (RFC 6184 §5.7.1): a STAP-A size field, or the unit it announces, runs past the payload. */
    H264_STAP_A_TRUNCATED,
    /**
     * H.264 (RFC 6184 §5.7): a STAP-A with no unit, a unit of size zero, or a unit that is itself an
     * aggregation or fragmentation packet (or of an undefined type).
     */
    H264_STAP_A_BAD_UNIT,
    /** H.264 (RFC 6184 §5.8): an FU-A shorter than its 2 header bytes. */
    H264_FU_A_TRUNCATED,
    /** H.264 (RFC 6184 §5.8): an FU-A with both S and E set, or whose original NAL type is not 1..23. */
    H264_FU_A_BAD_HEADER,
    /** H.264 SPS (ITU-T H.264 §7.3.2.1.1): the NAL unit is not a sequence parameter set (type 7). */
    H264_SPS_NOT_SPS,
    /** H.264 SPS: the bitstream ends before the fields needed for the picture size. */
    H264_SPS_TRUNCATED,
    /** H.264 SPS: a field is outside the range ITU-T H.264 §7.4.2.1.1 allows. */
    H264_SPS_OUT_OF_RANGE,

    /** Opus (RFC 6716 §3.4 R2): a frame longer than 1275 bytes. */
    OPUS_FRAME_TOO_LONG,
    /** Opus (RFC 6716 §3.4 R3): a code 1 packet whose two equal frames cannot split an odd byte count. */
    OPUS_CODE1_ODD_LENGTH,
    /** Opus (RFC 6716 §3.4 R4, R6, R7): frame length or count bytes, or the frames themselves, run past the packet. */
    OPUS_TRUNCATED,
    /** Opus (RFC 6716 §3.4 R5): a code 3 packet with zero frames or more than 120 ms of audio. */
    OPUS_BAD_FRAME_COUNT,
    /** Opus (RFC 6716 §3.2.5): the padding announced by a code 3 packet is longer than the packet. */
    OPUS_PADDING_OVERFLOW,
    /** Opus (RFC 6716 §3.4 R6): a code 3 CBR packet whose data does not split into M equal frames. */
    OPUS_CBR_NOT_DIVISIBLE,

    /**
     * RED (RFC 2198 §3): a 4-byte redundant block header runs past the payload, or the payload ends
     * before the primary's 1-byte header (F=0).
     */
    RED_HEADER_TRUNCATED,
    /** RED (RFC 2198 §3): the redundant block lengths add up to more than the payload holds after the headers. */
    RED_BLOCK_OVERRUN,
    /**
     * RED: more than {@link RedPayload#MAX_REDUNDANT_BLOCKS} redundant blocks. RFC 2198 sets no limit,
     * but WebRTC sends 1 or 2, so a longer chain is malformed or hostile.
     */
    RED_TOO_MANY_BLOCKS
}
