package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation of RFC 3711 §4.3 with the AES-CM PRF of §4.3.3, for a key derivation
 * rate of zero (the only rate DTLS-SRTP uses, RFC 5764 §4.1.2). RFC 7714 §11 keeps the same
 * function for AES-GCM with its 96-bit master salt.
 *
 * <p>{@code AesCmTransformer} derives its six session keys with it. jitsi-srtp (GCM) derives keys
 * internally and does not expose them; this independent implementation lets tests check it
 * against the RFC vectors end to end. Control plane: it allocates.
 *
 * <pre>
 *   key_id = label || r            (r = index DIV kdr = 0, 48 bits)
 *   x      = key_id XOR master_salt  (key_id right-aligned in the 112-bit salt)
 *   k      = AES-CM(master_key, IV = x * 2^16), truncated to the wanted length
 * </pre>
 */
public final class SrtpKeyDerivation {
    /** RFC 3711 §4.3.1 label of the SRTP encryption key k_e. */
    public static final int LABEL_RTP_ENCRYPTION = 0x00;
    /** Label of the SRTP authentication key k_a. */
    public static final int LABEL_RTP_AUTH = 0x01;
    /** Label of the SRTP salting key k_s. */
    public static final int LABEL_RTP_SALT = 0x02;
    /** RFC 3711 §4.3.2 label of the SRTCP encryption key. */
    public static final int LABEL_RTCP_ENCRYPTION = 0x03;
    /** Label of the SRTCP authentication key. */
    public static final int LABEL_RTCP_AUTH = 0x04;
    /** Label of the SRTCP salting key. */
    public static final int LABEL_RTCP_SALT = 0x05;

    /** The AES-CM PRF works on a 112-bit salt; shorter (GCM) salts are zero-padded on the right. */
    private static final int PRF_SALT_SIZE_BYTES = 14;
    /** Byte of the 14-byte salt the label lands on: key_id is 7 bytes, right-aligned. */
    private static final int LABEL_POSITION = 7;

    private SrtpKeyDerivation() {
    }

    /**
     * Derives one session key (or salt).
     *
     * @param masterKey the AES-128 master key
     * @param masterSalt the master salt, 14 bytes (AES-CM) or 12 bytes (AES-GCM)
     * @param label one of the {@code LABEL_*} constants
     * @param lengthBytes how many bytes of key stream to produce
     * @return the derived key
     */
    public static byte[] deriveSessionKey(byte[] masterKey, byte[] masterSalt, int label,
            int lengthBytes) {
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(masterSalt, "masterSalt");
        if (masterSalt.length > PRF_SALT_SIZE_BYTES) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        if (label < 0 || label > 0xFF || lengthBytes < 0) {
            throw new IllegalArgumentException("bad label or length");
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[LABEL_POSITION] ^= (byte) label;
        // The six bytes of r (zero) leave iv[8..13] as the salt; iv[14..15] = 0 is the "* 2^16".
        try {
            Cipher aesCtr = Cipher.getInstance("AES/CTR/NoPadding");
            aesCtr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"),
                    new IvParameterSpec(iv));
            return aesCtr.doFinal(new byte[lengthBytes]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable", e);
        }
    }
}
