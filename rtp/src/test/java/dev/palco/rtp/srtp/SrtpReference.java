package dev.palco.rtp.srtp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent, deliberately plain SRTP/SRTCP protect built only from javax.crypto (AES-CTR,
 * AES-GCM, HmacSHA1) and {@link SrtpKeyDerivation}, written from RFC 3711 §3-4 and RFC 7714 §7-9.
 * The RFC vectors check this reference; the reference then checks jitsi-srtp.
 */
final class SrtpReference {
    private SrtpReference() {
    }

    static int rtpHeaderLength(byte[] rtp) {
        return SrtpPacketChecks.rtpHeaderLengthBytes(rtp, 0, rtp.length);
    }

    /** RFC 3711 §4.1.1 AES-CM + §4.2.1 HMAC-SHA1-80, from session keys. */
    static byte[] cmProtectRtp(byte[] kE, byte[] kA, byte[] kS, int roc, byte[] rtp)
            throws GeneralSecurityException {
        int hdr = rtpHeaderLength(rtp);
        int ssrc = SrtpPacketChecks.rtpSsrc(rtp, 0);
        int seq = (rtp[2] & 0xFF) << 8 | (rtp[3] & 0xFF);
        long index = ((long) roc << 16) | seq;
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)
        byte[] iv = new byte[16];
        System.arraycopy(kS, 0, iv, 0, 14);
        xorInt(iv, 4, ssrc);
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        byte[] out = Arrays.copyOf(rtp, rtp.length + 10);
        aesCtr(kE, iv, out, hdr, rtp.length - hdr);
        // Authenticated portion: header || encrypted payload || ROC (RFC 3711 §4.2).
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(kA, "HmacSHA1"));
        mac.update(out, 0, rtp.length);
        mac.update(ByteBuffer.allocate(4).putInt(roc).array());
        System.arraycopy(mac.doFinal(), 0, out, rtp.length, 10);
        return out;
    }

    /** RFC 3711 §3.4 SRTCP with AES-CM + HMAC-SHA1-80: header || E||index || tag follow. */
    static byte[] cmProtectRtcp(byte[] kE, byte[] kA, byte[] kS, int srtcpIndex, byte[] rtcp)
            throws GeneralSecurityException {
        int ssrc = SrtpPacketChecks.rtcpSenderSsrc(rtcp, 0);
        byte[] iv = new byte[16];
        System.arraycopy(kS, 0, iv, 0, 14);
        xorInt(iv, 4, ssrc);
        xorInt(iv, 10, srtcpIndex);
        byte[] out = Arrays.copyOf(rtcp, rtcp.length + 4 + 10);
        aesCtr(kE, iv, out, 8, rtcp.length - 8);
        int eIndex = 0x80000000 | srtcpIndex;
        ByteBuffer.wrap(out, rtcp.length, 4).putInt(eIndex);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(kA, "HmacSHA1"));
        mac.update(out, 0, rtcp.length + 4);
        System.arraycopy(mac.doFinal(), 0, out, rtcp.length + 4, 10);
        return out;
    }

    /** RFC 7714 §8.1 IV + §7.1 AEAD with the RTP header as associated data. */
    static byte[] gcmProtectRtp(byte[] kE, byte[] kS, int roc, byte[] rtp)
            throws GeneralSecurityException {
        int hdr = rtpHeaderLength(rtp);
        int ssrc = SrtpPacketChecks.rtpSsrc(rtp, 0);
        byte[] iv = new byte[12];
        // 00 00 | SSRC | ROC | SEQ, XOR the 96-bit session salt.
        ByteBuffer.wrap(iv).putShort((short) 0).putInt(ssrc).putInt(roc).put(rtp[2]).put(rtp[3]);
        xor(iv, kS);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kE, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(rtp, 0, hdr);
        byte[] sealed = gcm.doFinal(rtp, hdr, rtp.length - hdr);
        byte[] out = Arrays.copyOf(rtp, hdr + sealed.length);
        System.arraycopy(sealed, 0, out, hdr, sealed.length);
        return out;
    }

    /** RFC 7714 §9: AAD = header(8) || E||index; output header || ciphertext || tag || E||index. */
    static byte[] gcmProtectRtcp(byte[] kE, byte[] kS, int srtcpIndex, byte[] rtcp)
            throws GeneralSecurityException {
        int ssrc = SrtpPacketChecks.rtcpSenderSsrc(rtcp, 0);
        byte[] iv = new byte[12];
        // 00 00 | SSRC | 00 00 | 0 + 31-bit SRTCP index, XOR the salt (RFC 7714 §9.1).
        ByteBuffer.wrap(iv).putShort((short) 0).putInt(ssrc).putShort((short) 0).putInt(srtcpIndex);
        xor(iv, kS);
        byte[] eIndex = ByteBuffer.allocate(4).putInt(0x80000000 | srtcpIndex).array();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kE, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(rtcp, 0, 8);
        gcm.updateAAD(eIndex);
        byte[] sealed = gcm.doFinal(rtcp, 8, rtcp.length - 8);
        byte[] out = new byte[8 + sealed.length + 4];
        System.arraycopy(rtcp, 0, out, 0, 8);
        System.arraycopy(sealed, 0, out, 8, sealed.length);
        System.arraycopy(eIndex, 0, out, 8 + sealed.length, 4);
        return out;
    }

    // ---- from master keys, through our RFC 3711 §4.3 key derivation ----

    static byte[] protectRtpFromMaster(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
            int roc, byte[] rtp) throws GeneralSecurityException {
        byte[] kE = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16);
        byte[] kS = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_SALT, profile.masterSaltLengthBytes());
        if (profile == SrtpProfile.AEAD_AES_128_GCM) {
            return gcmProtectRtp(kE, kS, roc, rtp);
        }
        byte[] kA = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_AUTH, 20);
        return cmProtectRtp(kE, kA, kS, roc, rtp);
    }

    static byte[] protectRtcpFromMaster(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
            int srtcpIndex, byte[] rtcp) throws GeneralSecurityException {
        byte[] kE = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16);
        byte[] kS = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_SALT, profile.masterSaltLengthBytes());
        if (profile == SrtpProfile.AEAD_AES_128_GCM) {
            return gcmProtectRtcp(kE, kS, srtcpIndex, rtcp);
        }
        byte[] kA = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_AUTH, 20);
        return cmProtectRtcp(kE, kA, kS, srtcpIndex, rtcp);
    }

    private static void aesCtr(byte[] key, byte[] iv, byte[] data, int off, int len)
            throws GeneralSecurityException {
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] enc = ctr.doFinal(data, off, len);
        System.arraycopy(enc, 0, data, off, len);
    }

    private static void xorInt(byte[] b, int at, int v) {
        b[at] ^= (byte) (v >>> 24);
        b[at + 1] ^= (byte) (v >>> 16);
        b[at + 2] ^= (byte) (v >>> 8);
        b[at + 3] ^= (byte) v;
    }

    private static void xor(byte[] b, byte[] with) {
        for (int i = 0; i < b.length; i++) {
            b[i] ^= with[i];
        }
    }
}
