package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) for the SRTP/SRTCP authentication tag (RFC 3711 §4.2.1), without
 * allocating per packet.
 *
 * <p>{@code javax.crypto.Mac.doFinal} returns a new array even in its {@code (out, off)} form, so
 * this class runs the two hashes of RFC 2104 on one {@code MessageDigest("SHA-1")} and finishes
 * each with {@code digest(byte[], int, int)} into reusable arrays:
 *
 * <pre>
 *   HMAC(K, m) = H((K XOR opad) || H((K XOR ipad) || m))     (RFC 2104 §2)
 *   ipad = 0x36 repeated 64 times, opad = 0x5c repeated 64 times; K (20 bytes) zero-padded to 64
 * </pre>
 *
 * <p>The two padded key blocks are computed once per session key. The JDK's SHA-1 runs on the
 * SHA-NI intrinsic where the CPU has it.
 *
 * <p>Not thread-safe: one instance per direction of one session.
 */
final class HmacSha1Authenticator {
    /** RFC 3711 §4.2.1: n_a = 160-bit session authentication key. */
    static final int KEY_SIZE_BYTES = 20;
    /** SHA-1 output length. */
    static final int DIGEST_SIZE_BYTES = 20;
    private static final int SHA1_BLOCK_SIZE_BYTES = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[SHA1_BLOCK_SIZE_BYTES];
    private final byte[] outerPad = new byte[SHA1_BLOCK_SIZE_BYTES];
    private final byte[] innerDigest = new byte[DIGEST_SIZE_BYTES];
    private final byte[] mac = new byte[DIGEST_SIZE_BYTES];
    private final byte[] rocBytes = new byte[4];

    /** @param authKey the 160-bit session authentication key k_a (not kept) */
    HmacSha1Authenticator(byte[] authKey) {
        if (authKey.length != KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("HMAC-SHA1 session key must be 20 bytes");
        }
        Arrays.fill(innerPad, IPAD);
        Arrays.fill(outerPad, OPAD);
        for (int i = 0; i < authKey.length; i++) {
            innerPad[i] ^= authKey[i];
            outerPad[i] ^= authKey[i];
        }
        try {
            // SUN by name, for the same reason as AES: its SHA-1 is the intrinsic one.
            sha1 = MessageDigest.getInstance("SHA-1", "SUN");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    /**
     * Computes the HMAC of {@code buf[off, off + len)} followed by the 32-bit rollover counter in
     * network order, as SRTP authenticates "the authenticated portion || ROC" (RFC 3711 §4.2).
     */
    void computeRtp(byte[] buf, int off, int len, int roc) throws GeneralSecurityException {
        rocBytes[0] = (byte) (roc >>> 24);
        rocBytes[1] = (byte) (roc >>> 16);
        rocBytes[2] = (byte) (roc >>> 8);
        rocBytes[3] = (byte) roc;
        sha1.reset();
        sha1.update(innerPad, 0, SHA1_BLOCK_SIZE_BYTES);
        sha1.update(buf, off, len);
        sha1.update(rocBytes, 0, rocBytes.length);
        finish();
    }

    /**
     * Computes the HMAC of {@code buf[off, off + len)}: SRTCP authenticates the packet including
     * its E-flag/index word and nothing else (RFC 3711 §3.4).
     */
    void computeRtcp(byte[] buf, int off, int len) throws GeneralSecurityException {
        sha1.reset();
        sha1.update(innerPad, 0, SHA1_BLOCK_SIZE_BYTES);
        sha1.update(buf, off, len);
        finish();
    }

    private void finish() throws GeneralSecurityException {
        sha1.digest(innerDigest, 0, DIGEST_SIZE_BYTES);
        sha1.update(outerPad, 0, SHA1_BLOCK_SIZE_BYTES);
        sha1.update(innerDigest, 0, DIGEST_SIZE_BYTES);
        sha1.digest(mac, 0, DIGEST_SIZE_BYTES);
    }

    /** Writes the first {@code tagLen} bytes of the last HMAC (RFC 3711 §4.2: truncation). */
    void writeTag(byte[] out, int at, int tagLen) {
        System.arraycopy(mac, 0, out, at, tagLen);
    }

    /**
     * Compares the first {@code tagLen} bytes of the last HMAC with {@code buf[at, at + tagLen)}
     * in time independent of where they differ, so the comparison leaks nothing about the tag.
     */
    boolean tagMatches(byte[] buf, int at, int tagLen) {
        int diff = 0;
        for (int i = 0; i < tagLen; i++) {
            diff |= mac[i] ^ buf[at + i];
        }
        return diff == 0;
    }

    /** Zeroes the padded keys and the last results. */
    void destroy() {
        Arrays.fill(innerPad, (byte) 0);
        Arrays.fill(outerPad, (byte) 0);
        Arrays.fill(innerDigest, (byte) 0);
        Arrays.fill(mac, (byte) 0);
    }
}
