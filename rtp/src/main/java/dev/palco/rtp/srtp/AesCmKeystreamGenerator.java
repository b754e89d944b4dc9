package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in Counter Mode as SRTP defines it (RFC 3711 §4.1.1), XORed into a packet in place, without
 * allocating.
 *
 * <p>{@code AES/CTR} through the JCA needs a new {@code IvParameterSpec} and a {@code Cipher.init}
 * for every packet, which allocates and, on a native provider, costs a set-up call per packet. The
 * keystream of §4.1.1 is just AES of consecutive counter blocks, so this class keys one {@code
 * AES/ECB/NoPadding} cipher once, writes the counter blocks of a packet into a reusable array,
 * encrypts them with one {@code update} into a second reusable array (SunJCE copies the input of an
 * in-place call, so input and output must differ) and XORs the result into the payload. On x86 the
 * JDK's AES intrinsic (AES-NI) does the block encryption.
 *
 * <pre>
 *   IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)        (RFC 3711 §4.1.1)
 *   keystream = E(k_e, IV) || E(k_e, IV + 1) || E(k_e, IV + 2) ...
 * </pre>
 *
 * <p>For SRTP {@code i} is the 48-bit packet index; for SRTCP it is the 31-bit SRTCP index (§3.4).
 * The low 16 bits of the IV are zero, so the block counter is just the last two bytes: a packet
 * may have up to 2^16 blocks (1 MiB), far more than any datagram.
 *
 * <p>Not thread-safe: one instance per direction of one session, driven by one thread at a time.
 */
final class AesCmKeystreamGenerator {
    static final int BLOCK_SIZE_BYTES = 16;
    /** The session salt k_s of AES-CM is 112 bits (RFC 3711 §4.1.1, §8.2). */
    static final int SALT_SIZE_BYTES = 14;
    /** Blocks encrypted per {@code Cipher.update}: one MTU-sized packet in one call. */
    private static final int CHUNK_BLOCKS = 96;
    private static final int CHUNK_BYTES = CHUNK_BLOCKS * BLOCK_SIZE_BYTES;

    private final Cipher aesEcb;
    private final byte[] salt = new byte[SALT_SIZE_BYTES];
    private final byte[] counterBlocks = new byte[CHUNK_BYTES];
    private final byte[] keystream = new byte[CHUNK_BYTES];
    /** The first 14 bytes of the IV of the packet being processed. */
    private final byte[] ivPrefix = new byte[SALT_SIZE_BYTES];

    /**
     * @param sessionKey the 128-bit session encryption key k_e (copied by the cipher)
     * @param sessionSalt the 112-bit session salt k_s (copied)
     */
    AesCmKeystreamGenerator(byte[] sessionKey, byte[] sessionSalt) {
        if (sessionSalt.length != SALT_SIZE_BYTES) {
            throw new IllegalArgumentException("AES-CM session salt must be 14 bytes");
        }
        System.arraycopy(sessionSalt, 0, salt, 0, SALT_SIZE_BYTES);
        try {
            // SunJCE by name: Bouncy Castle is on the class path and may be registered first, but
            // only SunJCE's AES runs on the JIT's AES-NI intrinsic.
            aesEcb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
            aesEcb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB unavailable", e);
        }
    }

    /**
     * XORs the keystream for {@code (ssrc, index)} into {@code buf[off, off + len)}: encrypts or
     * decrypts, which are the same operation.
     *
     * @param index the 48-bit SRTP packet index, or the 31-bit SRTCP index
     * @throws ShortBufferException never in practice: the output array is sized for every chunk
     */
    void xor(byte[] buf, int off, int len, int ssrc, long index) throws ShortBufferException {
        byte[] iv = ivPrefix;
        System.arraycopy(salt, 0, iv, 0, SALT_SIZE_BYTES);
        // SSRC * 2^64: bytes 4..7 of the 16-byte IV.
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        // i * 2^16: the 48-bit index in bytes 8..13.
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;

        int block = 0;
        int done = 0;
        while (done < len) {
            int chunkBytes = Math.min(CHUNK_BYTES, len - done);
            int blocks = (chunkBytes + BLOCK_SIZE_BYTES - 1) / BLOCK_SIZE_BYTES;
            byte[] ctr = counterBlocks;
            for (int b = 0, at = 0; b < blocks; b++, at += BLOCK_SIZE_BYTES, block++) {
                System.arraycopy(iv, 0, ctr, at, SALT_SIZE_BYTES);
                ctr[at + 14] = (byte) (block >>> 8);
                ctr[at + 15] = (byte) block;
            }
            aesEcb.update(ctr, 0, blocks * BLOCK_SIZE_BYTES, keystream, 0);
            byte[] ks = keystream;
            int base = off + done;
            for (int i = 0; i < chunkBytes; i++) {
                buf[base + i] ^= ks[i];
            }
            done += chunkBytes;
        }
    }

    /** Clears the salt and the last keystream; the cipher's own key schedule cannot be reached. */
    void destroy() {
        java.util.Arrays.fill(salt, (byte) 0);
        java.util.Arrays.fill(keystream, (byte) 0);
        java.util.Arrays.fill(ivPrefix, (byte) 0);
    }
}
