package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link AesGcm} on the JDK's SunJCE provider, for platforms where {@link OpenSslAesGcm} is not
 * available. On x86 the JIT runs it on AES-NI and PCLMULQDQ, but every message costs a {@code
 * Cipher.init} with a new {@code GCMParameterSpec} (the IV cannot be changed in place), and an
 * in-place call copies its input: this engine allocates per packet.
 *
 * <p>SunJCE also refuses to encrypt twice in a row under the same IV. SRTP reaches that only when
 * a packet is resent with its own SSRC and sequence number (a NACK answered without RTX); the
 * resend then fails as {@link SrtpStatus#CRYPTO_FAIL} and is not sent.
 */
final class JcaAesGcm implements AesGcm {
    private static final int TAG_SIZE_BITS = TAG_SIZE_BYTES * 8;

    private final Cipher cipher;
    private final SecretKeySpec key;

    /** @param sessionKey the 128-bit session key (copied) */
    JcaAesGcm(byte[] sessionKey) {
        key = new SecretKeySpec(sessionKey, "AES");
        try {
            // SunJCE by name, as for AES-CM: its GCM runs on the JIT's intrinsics.
            cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
    }

    @Override
    public boolean start(byte[] iv, boolean encrypt) {
        try {
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_SIZE_BITS, iv, 0, IV_SIZE_BYTES));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean aad(byte[] buf, int off, int len) {
        cipher.updateAAD(buf, off, len);
        return true;
    }

    @Override
    public boolean seal(byte[] buf, int off, int len) {
        try {
            return cipher.doFinal(buf, off, len, buf, off) == len + TAG_SIZE_BYTES;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean open(byte[] buf, int off, int len) {
        try {
            return cipher.doFinal(buf, off, len + TAG_SIZE_BYTES, buf, off) == len;
        } catch (GeneralSecurityException e) {
            // AEADBadTagException included: a forged or damaged packet.
            return false;
        }
    }
}
