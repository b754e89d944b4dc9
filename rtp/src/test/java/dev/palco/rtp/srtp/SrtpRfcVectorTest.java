package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 7714 §16/§17 packets reproduced byte for byte by the independent reference, a libsrtp
 * cross-implementation vector through our sessions, and our sessions agreeing with the reference
 * (our RFC 3711 §4.3 key derivation + javax.crypto) end to end for both profiles.
 */
class SrtpRfcVectorTest {

    // ---- RFC 7714 §16.1 / §17.1: AEAD_AES_128_GCM, session key and salt given directly ----

    /** K_e, the 128-bit session encryption key. */
    private static final byte[] RFC7714_KEY = Hex.decode("000102030405060708090a0b0c0d0e0f");
    /** k_s, the 96-bit session salt: "Quid pro quo". */
    private static final byte[] RFC7714_SALT = Hex.decode("517569642070726f2071756f");

    /** RFC 7714 §16.1 plaintext RTP packet. */
    private static final byte[] RFC7714_RTP = Hex.decode(""
            + "8040f17b" // V=2 P=0 X=0 CC=0 | M=0 PT=64 | sequence number 0xf17b
            + "8041f8d3" // timestamp
            + "5501a0b2" // SSRC
            // payload: "Gallia est omnis divisa in partes tres" (38 bytes)
            + "47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465"
            + "73207472 6573");

    /** RFC 7714 §16.1.1: the protected packet for ROC 0 (IV 51753c6580c2726f20718414). */
    private static final byte[] RFC7714_SRTP = Hex.decode(""
            + "8040f17b 8041f8d3 5501a0b2" // header, unchanged (it is the AAD)
            // ciphertext (38 bytes)
            + "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b"
            + "36de3adf 8833"
            + "899d7f27 beb16a91 52cf765e e4390cce"); // 128-bit GCM tag

    /** RFC 7714 §17.1 plaintext RTCP packet (a sender report). */
    private static final byte[] RFC7714_RTCP = Hex.decode(""
            + "81c8000d" // V=2 P=0 RC=1 | PT=200 (SR) | length 13 as printed in the RFC
            + "4d617273" // sender SSRC "Mars"
            + "4e545031 4e545032" // NTP timestamp "NTP1" "NTP2"
            + "52545020" // RTP timestamp "RTP "
            + "0000042a" // sender's packet count 1066
            + "0000e930" // sender's octet count 59696
            + "4c756e61" // report block SSRC "Luna"
            + "deadbeef deadbeef deadbeef deadbeef deadbeef"); // rest of the report block

    /** SRTCP index of the RFC 7714 §17.1 vector (IV 517524055203726f207170bb). */
    private static final int RFC7714_SRTCP_INDEX = 0x5d4;

    /** RFC 7714 §17.1: the protected SRTCP packet. */
    private static final byte[] RFC7714_SRTCP = Hex.decode(""
            + "81c8000d 4d617273" // header + sender SSRC, unchanged (AAD)
            // ciphertext (44 bytes)
            + "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda"
            + "4ce09b46 86303ded 0bb9275b"
            + "c84aa458 96cf4d2f c5abf872 45d9eade" // 128-bit GCM tag
            + "800005d4"); // E=1 | SRTCP index 0x5d4 (AAD too, RFC 7714 §9.2)

    @Test
    void rfc7714Section16RtpPacketReproduced() throws Exception {
        assertEquals(Hex.encode(RFC7714_SRTP),
                Hex.encode(SrtpReference.gcmProtectRtp(RFC7714_KEY, RFC7714_SALT, 0, RFC7714_RTP)));
    }

    @Test
    void rfc7714Section17RtcpPacketReproduced() throws Exception {
        assertEquals(Hex.encode(RFC7714_SRTCP), Hex.encode(SrtpReference.gcmProtectRtcp(
                RFC7714_KEY, RFC7714_SALT, RFC7714_SRTCP_INDEX, RFC7714_RTCP)));
    }

    // ---- libsrtp test/srtp_driver.c reference packet, AES_CM_128_HMAC_SHA1_80 ----

    /** Master key of RFC 3711 B.3, also libsrtp's test key. */
    private static final byte[] CM_MASTER_KEY = Hex.decode("e1f97a0d3e018be0d64fa32c06de4139");
    /** Master salt of RFC 3711 B.3. */
    private static final byte[] CM_MASTER_SALT = Hex.decode("0ec675ad498afeebb6960b3aabe6");

    private static final byte[] LIBSRTP_RTP = Hex.decode(""
            + "800f1234" // V=2 | M=0 PT=15 | sequence number 0x1234
            + "decafbad" // timestamp
            + "cafebabe" // SSRC
            + "abababab abababab abababab abababab"); // 16-byte payload

    private static final byte[] LIBSRTP_SRTP = Hex.decode(""
            + "800f1234 decafbad cafebabe" // header
            + "4e55dc4c e79978d8 8ca4d215 949d2402" // AES-CM ciphertext
            + "b78d6acc 99ea179b 8dbb"); // HMAC-SHA1 tag truncated to 80 bits

    @Test
    void libsrtpCmVectorThroughSessionAndReference() throws Exception {
        assertEquals(Hex.encode(LIBSRTP_SRTP), Hex.encode(SrtpReference.protectRtpFromMaster(
                SrtpProfile.AES128_CM_HMAC_SHA1_80, CM_MASTER_KEY, CM_MASTER_SALT, 0, LIBSRTP_RTP)));

        try (SrtpSession s = SrtpSession.create(SrtpProfile.AES128_CM_HMAC_SHA1_80, CM_MASTER_KEY,
                CM_MASTER_SALT, CM_MASTER_KEY, CM_MASTER_SALT, 4)) {
            byte[] buf = Arrays.copyOf(LIBSRTP_RTP, LIBSRTP_RTP.length + 10);
            assertEquals(SrtpStatus.OK, s.sender().protectRtp(buf, 0, LIBSRTP_RTP.length));
            assertEquals(Hex.encode(LIBSRTP_SRTP), Hex.encode(buf, 0, s.sender().lengthBytes()));

            assertEquals(SrtpStatus.OK, s.receiver().unprotectRtp(buf, 0, LIBSRTP_SRTP.length));
            assertEquals(Hex.encode(LIBSRTP_RTP), Hex.encode(buf, 0, s.receiver().lengthBytes()));
        }
    }

    // ---- our sessions against the reference, both profiles ----

    /** Master key and salt for the end-to-end comparison, per profile. */
    private static byte[] masterKey(SrtpProfile p) {
        return p == SrtpProfile.AEAD_AES_128_GCM ? RFC7714_KEY : CM_MASTER_KEY;
    }

    private static byte[] masterSalt(SrtpProfile p) {
        return p == SrtpProfile.AEAD_AES_128_GCM ? RFC7714_SALT : CM_MASTER_SALT;
    }

    /** An RTP packet with two CSRCs and a one-byte-header extension (RFC 8285), so the header
     *  length logic is exercised too. */
    private static byte[] rtpWithCsrcAndExtension(int seq) {
        return Hex.decode(""
                + "92" // V=2 P=0 X=1 CC=2
                + "e0" // M=1 PT=96
                + String.format("%04x", seq) // sequence number
                + "00003039" // timestamp 12345
                + "11223344" // SSRC
                + "aaaaaaaa bbbbbbbb" // CSRC list
                + "bede0001" // extension profile 0xBEDE, length 1 word
                + "10ff0000" // element id 1 len 1 value 0xff, padding
                + "0102030405060708090a0b0c0d0e0f10111213"); // 19-byte payload
    }

    private static byte[] withSeq(byte[] rtp, int seq) {
        byte[] p = rtp.clone();
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        return p;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sessionProtectRtpEqualsReference(SrtpProfile profile) throws Exception {
        byte[] key = masterKey(profile);
        byte[] salt = masterSalt(profile);
        try (SrtpSession s = SrtpSession.create(profile, key, salt, key, salt, 4)) {
            // Explicit wrap-around: 0xfffe, 0xffff, then 0x0000 and 0x0001 with ROC 1.
            int[] seqs = {0xfffe, 0xffff, 0x0000, 0x0001};
            int[] rocs = {0, 0, 1, 1};
            for (int i = 0; i < seqs.length; i++) {
                for (byte[] plain : new byte[][] {withSeq(RFC7714_RTP, seqs[i]),
                        rtpWithCsrcAndExtension(seqs[i])}) {
                    // Two SSRCs in one session: each has its own context and ROC.
                    byte[] expected = SrtpReference.protectRtpFromMaster(profile, key, salt,
                            rocs[i], plain);
                    byte[] buf = new byte[3 + plain.length + 40];
                    System.arraycopy(plain, 0, buf, 3, plain.length);
                    assertEquals(SrtpStatus.OK, s.sender().protectRtp(buf, 3, plain.length));
                    assertEquals(Hex.encode(expected), Hex.encode(buf, 3, s.sender().lengthBytes()),
                            "seq " + seqs[i]);

                    assertEquals(SrtpStatus.OK, s.receiver().unprotectRtp(buf, 3, expected.length));
                    assertEquals(Hex.encode(plain), Hex.encode(buf, 3, s.receiver().lengthBytes()));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sessionProtectRtcpEqualsReference(SrtpProfile profile) throws Exception {
        byte[] key = masterKey(profile);
        byte[] salt = masterSalt(profile);
        try (SrtpSession s = SrtpSession.create(profile, key, salt, key, salt, 4)) {
            // The SRTCP index of a new context starts at 0 and counts every packet sent.
            for (int index = 0; index < 3; index++) {
                byte[] expected = SrtpReference.protectRtcpFromMaster(profile, key, salt, index,
                        RFC7714_RTCP);
                byte[] buf = Arrays.copyOf(RFC7714_RTCP, RFC7714_RTCP.length + 20);
                assertEquals(SrtpStatus.OK, s.sender().protectRtcp(buf, 0, RFC7714_RTCP.length));
                assertEquals(Hex.encode(expected), Hex.encode(buf, 0, s.sender().lengthBytes()),
                        "index " + index);

                assertEquals(SrtpStatus.OK, s.receiver().unprotectRtcp(buf, 0, expected.length));
                assertArrayEquals(RFC7714_RTCP,
                        Arrays.copyOf(buf, s.receiver().lengthBytes()));
            }
        }
    }
}
