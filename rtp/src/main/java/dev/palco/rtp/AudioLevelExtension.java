package dev.palco.rtp;

/**
 * Client-to-mixer audio level, RFC 6464 §3: one byte of extension data.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |V|    level    |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>V is the voice-activity flag (when negotiated with {@code vad=on}); level is the audio level
 * as a positive number of -dBov, 0 (loudest) to 127 (silence, RFC 6464 §3).
 */
public final class AudioLevelExtension {
    /** SDP {@code a=extmap} URI (RFC 6464 §4). */
    public static final String URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** Size of the extension data. */
    public static final int DATA_SIZE_BYTES = 1;
    /** Level meaning digital silence, -127 dBov. */
    public static final int SILENCE_LEVEL = 127;

    private AudioLevelExtension() {
    }

    /** Whether an element's data length is one this class can read. */
    public static boolean isValidLength(int dataLength) {
        return dataLength == DATA_SIZE_BYTES;
    }

    /** The V bit: the sender believes the packet contains voice. */
    public static boolean voiceActivity(byte[] buf, int dataOffset) {
        return (buf[dataOffset] & 0x80) != 0;
    }

    /** The level in -dBov, 0..127: 0 is the loudest, 127 is silence. */
    public static int levelMinusDbov(byte[] buf, int dataOffset) {
        return buf[dataOffset] & 0x7F;
    }

    /**
     * Writes the data byte at {@code buf[off]}. {@code levelMinusDbov} is clamped to 0..127.
     *
     * @return {@link #DATA_SIZE_BYTES}
     */
    public static int write(byte[] buf, int off, boolean voiceActivity, int levelMinusDbov) {
        int level = Math.max(0, Math.min(SILENCE_LEVEL, levelMinusDbov));
        buf[off] = (byte) ((voiceActivity ? 0x80 : 0) | level);
        return DATA_SIZE_BYTES;
    }
}
