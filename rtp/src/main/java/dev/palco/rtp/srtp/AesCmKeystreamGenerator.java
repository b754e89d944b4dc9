package dev.palco.rtp.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    // Multi-byte views for the counter blocks and the XOR: per-byte loops and one small
    // System.arraycopy per block cost more than the AES itself.
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_NATIVE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Cipher aesEcb;
    /** Salt bytes 4..11 and 12..13: the part of the IV that SSRC and index change. */
    private long saltMiddle;
    private short saltLow;
    /**
     * Counter blocks of one chunk. Bytes 0..3 of every block are salt bytes 0..3 (neither SSRC
     * nor index reach them), written once; the rest is rewritten per packet.
     */
    private final byte[] counterBlocks = new byte[CHUNK_BYTES];
    private final byte[] keystream = new byte[CHUNK_BYTES];

    /**
     * @param sessionKey the 128-bit session encryption key k_e (copied by the cipher)
     * @param sessionSalt the 112-bit session salt k_s (copied)
     */
    AesCmKeystreamGenerator(byte[] sessionKey, byte[] sessionSalt) {
        if (sessionSalt.length != SALT_SIZE_BYTES) {
            throw new IllegalArgumentException("AES-CM session salt must be 14 bytes");
        }
        saltMiddle = (long) LONG_BE.get(sessionSalt, 4);
        saltLow = (short) SHORT_BE.get(sessionSalt, 12);
        for (int at = 0; at < CHUNK_BYTES; at += BLOCK_SIZE_BYTES) {
            System.arraycopy(sessionSalt, 0, counterBlocks, at, 4);
        }
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
        // IV bytes 4..11 as one big-endian long: SSRC * 2^64 lands on bytes 4..7, the top 32
        // bits of the 48-bit index (i * 2^16) on bytes 8..11; its low 16 bits on bytes 12..13.
        long middle = saltMiddle ^ ((ssrc & 0xFFFF_FFFFL) << 32) ^ ((index >>> 16) & 0xFFFF_FFFFL);
        short low = (short) (saltLow ^ (short) index);
        byte[] ctr = counterBlocks;
        byte[] ks = keystream;
        int block = 0;
        int done = 0;
        while (done < len) {
            int chunkBytes = Math.min(CHUNK_BYTES, len - done);
            int blocks = (chunkBytes + BLOCK_SIZE_BYTES - 1) / BLOCK_SIZE_BYTES;
            for (int b = 0, at = 0; b < blocks; b++, at += BLOCK_SIZE_BYTES, block++) {
                LONG_BE.set(ctr, at + 4, middle);
                SHORT_BE.set(ctr, at + 12, low);
                SHORT_BE.set(ctr, at + 14, (short) block);
            }
            aesEcb.update(ctr, 0, blocks * BLOCK_SIZE_BYTES, ks, 0);
            int base = off + done;
            int i = 0;
            for (; i <= chunkBytes - 8; i += 8) {
                LONG_NATIVE.set(buf, base + i,
                        (long) LONG_NATIVE.get(buf, base + i) ^ (long) LONG_NATIVE.get(ks, i));
            }
            for (; i < chunkBytes; i++) {
                buf[base + i] ^= ks[i];
            }
            done += chunkBytes;
        }
    }

    /** Clears the salt and the last keystream; the cipher's own key schedule cannot be reached. */
    void destroy() {
        saltMiddle = 0;
        saltLow = 0;
        java.util.Arrays.fill(counterBlocks, (byte) 0);
        java.util.Arrays.fill(keystream, (byte) 0);
    }
}
