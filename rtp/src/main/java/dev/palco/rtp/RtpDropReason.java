package dev.palco.rtp;

/**
 * Why an RTP packet was rejected by {@link RtpPacket#parse(byte[], int, int)}.
 *
 * <p>The packet path never throws on malformed input: the parser returns one of these values and
 * the caller counts it (one counter per constant) before dropping the packet. {@link #OK} means the
 * packet is well formed.
 */
public enum RtpDropReason {
    /** The packet is well formed; the view's cached fields are valid. */
    OK,
    /** Fewer than the 12 bytes of the fixed header (RFC 3550 §5.1). */
    TOO_SHORT,
    /** The version field is not 2 (RFC 3550 §5.1). */
    BAD_VERSION,
    /** The CSRC list announced by the CC field runs past the end of the packet. */
    CSRC_OVERRUN,
    /** The X bit is set but the extension header or its announced data runs past the end (RFC 3550 §5.3.1). */
    EXTENSION_OVERRUN,
    /**
     * The P bit is set but the padding count is zero or larger than what follows the header
     * (RFC 3550 §5.1: the count includes the count byte itself, so it is at least 1).
     */
    BAD_PADDING
}
