package dev.palco.rtp;

import java.nio.charset.StandardCharsets;

/**
 * The SDES-item header extensions that carry an ASCII token (RFC 7941): the media
 * identification tag {@code mid} (RFC 8843), the RTP stream ID {@code rid} (RFC 8852) and
 * the repaired RTP stream ID (RFC 8852). The element data is the token itself, with no
 * length byte and no terminator.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | L=1   |       '1'     |     'h'       |  0 (pad)      |   rid "1h", one-byte form
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Tokens are not NUL-terminated, but some senders pad the data with NUL bytes; the token is
 * therefore taken to end at the first NUL (an empty token is invalid). The packet-path methods
 * compare against a {@code byte[]} the caller prepared once, so routing by MID or RID never
 * allocates; {@link #toString(byte[], int, int)} is for the control plane and logs.
 */
public final class SdesTokenExtension {
    /** SDP {@code a=extmap} URI of the MID extension (RFC 8843). */
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** SDP {@code a=extmap} URI of the RtpStreamId extension (RFC 8852). */
    public static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** SDP {@code a=extmap} URI of the RepairedRtpStreamId extension (RFC 8852). */
    public static final String REPAIRED_RID_URI =
            "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** Longest token the two-byte form can carry. */
    public static final int MAX_TOKEN_BYTES = RtpHeaderExtensions.TWO_BYTE_MAX_DATA_BYTES;

    private SdesTokenExtension() {
    }

    /**
     * Length of the token in the element data: the bytes before the first NUL, at most
     * {@code dataLength}. 0 means the element is empty or starts with NUL and must be ignored.
     */
    public static int tokenLength(byte[] buf, int dataOffset, int dataLength) {
        for (int i = 0; i < dataLength; i++) {
            if (buf[dataOffset + i] == 0) {
                return i;
            }
        }
        return dataLength;
    }

    /** Whether the token in the element data equals {@code token} byte for byte. Allocation-free. */
    public static boolean tokenEquals(byte[] buf, int dataOffset, int dataLength, byte[] token) {
        int length = tokenLength(buf, dataOffset, dataLength);
        if (length != token.length || length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf[dataOffset + i] != token[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Index in {@code tokens} of the first token equal to the element's, or -1. Lets a router map a
     * MID or RID to a slot without building a string.
     */
    public static int indexOf(byte[] buf, int dataOffset, int dataLength, byte[][] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokenEquals(buf, dataOffset, dataLength, tokens[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The token as a string (allocates; for the control plane and logs). Bytes outside printable
     * ASCII are replaced, so a hostile packet cannot inject control characters into a log line.
     */
    public static String toString(byte[] buf, int dataOffset, int dataLength) {
        int length = tokenLength(buf, dataOffset, dataLength);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int b = buf[dataOffset + i] & 0xFF;
            chars[i] = b >= 0x20 && b < 0x7F ? (char) b : '?';
        }
        return new String(chars);
    }

    /**
     * The bytes of a token for {@link #tokenEquals} and {@link #write} (allocates; call it once when
     * the track is set up).
     *
     * @throws IllegalArgumentException if the token is empty, longer than {@link #MAX_TOKEN_BYTES},
     *     or not printable ASCII
     */
    public static byte[] tokenBytes(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("token length must be 1.." + MAX_TOKEN_BYTES);
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c >= 0x7F) {
                throw new IllegalArgumentException("token must be printable ASCII: " + token);
            }
        }
        return token.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Copies {@code token} to {@code buf[off]}.
     *
     * @return the number of bytes written, {@code token.length}
     */
    public static int write(byte[] buf, int off, byte[] token) {
        System.arraycopy(token, 0, buf, off, token.length);
        return token.length;
    }
}
