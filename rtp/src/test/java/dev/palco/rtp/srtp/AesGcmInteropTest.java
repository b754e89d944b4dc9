package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our AEAD_AES_128_GCM ({@link AesGcmTransformer} behind {@link SrtpSession}) against jitsi-srtp's
 * implementation of the same profile, both ways: what we protect jitsi unprotects, what jitsi
 * protects we unprotect, and for the same keys and packets both produce identical bytes. RTP runs
 * across the rollover at 65535 → 0 with CSRCs and header extensions; RTCP runs as compound
 * packets. Both of our engines are checked: {@link OpenSslAesGcm} (what sessions use here) and
 * {@link JcaAesGcm} (the fallback), which must produce the same bytes.
 */
class AesGcmInteropTest {
    private static final SrtpProfile GCM = SrtpProfile.AEAD_AES_128_GCM;
    private static final byte[] KEY_A = Hex.decode("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT_A = Hex.decode("517569642070726f2071756f");
    private static final byte[] KEY_B = Hex.decode("ffeeddccbbaa99887766554433221100");
    private static final byte[] SALT_B = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final int SSRC = 0x11223344;
    private static final int OFFSET = 7;
    private static final int TAG = 16;

    private SrtpSession oursA;
    private SrtpSession oursB;
    /** jitsi-srtp keyed with A's keys. */
    private JitsiSrtpPeer jitsi;
    @BeforeEach
    void setUp() {
        oursA = SrtpSession.create(GCM, KEY_A, SALT_A, KEY_B, SALT_B, 8);
        oursB = SrtpSession.create(GCM, KEY_B, SALT_B, KEY_A, SALT_A, 8);
        jitsi = new JitsiSrtpPeer(GCM, KEY_A, SALT_A, OFFSET);
    }

    @AfterEach
    void tearDown() {
        oursA.close();
        oursB.close();
        jitsi.close();
    }

    private static byte[] placed(byte[] packet) {
        return JitsiSrtpPeer.placed(packet, OFFSET);
    }

    /** Sequence numbers from 65500 across the wrap: ROC 0 then ROC 1. */
    private static int seqAt(int n) {
        return (65_500 + n) & 0xFFFF;
    }

    @Test
    void sessionsRunOnOpenSsl() {
        assertTrue(SrtpSupport.usesOpenSsl(), SrtpSupport.openSslUnavailableReason());
    }

    @Test
    void rtpBothWaysAcrossTheRolloverIdenticalBytes() throws Exception {
        SrtpCryptoContext jitsiTx = jitsi.rtpSender(SSRC);
        SrtpCryptoContext jitsiRx = jitsi.rtpReceiver(SSRC);
        // The fallback engine, keyed the same: it must agree byte for byte.
        AesGcmTransformer jca = new AesGcmTransformer(KEY_A, SALT_A, false);
        SrtpStreamState jcaState = new SrtpStreamState();
        SplittableRandom random = new SplittableRandom(0xC0FFEEL);
        for (int n = 0; n < 96; n++) {
            int seq = seqAt(n);
            int payloadLen = n % 10 == 3 ? 3_000 + random.nextInt(500) : random.nextInt(1_300);
            byte[] plain = AesCmInteropTest.rtp(seq, n % 3, n % 2 == 0, payloadLen);

            byte[] ours = placed(plain);
            assertEquals(SrtpStatus.OK, oursA.sender().protectRtp(ours, OFFSET, plain.length));
            int protectedLen = oursA.sender().lengthBytes();
            assertEquals(plain.length + TAG, protectedLen);

            byte[] theirs = placed(plain);
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, theirs, plain.length, true));
            assertEquals(protectedLen, jitsi.lastLength());
            assertEquals(Hex.encode(theirs), Hex.encode(ours), "protected bytes, seq " + seq);

            byte[] fallback = placed(plain);
            int headerLen = SrtpPacketChecks.rtpHeaderLengthBytes(plain, 0, plain.length);
            assertEquals(SrtpStatus.OK,
                    jca.protectRtp(fallback, OFFSET, plain.length, headerLen, jcaState));
            assertEquals(Hex.encode(ours), Hex.encode(fallback), "JCA engine, seq " + seq);

            // Ours → jitsi.
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiRx, ours, protectedLen, false),
                    "seq " + seq);
            assertEquals(plain.length, jitsi.lastLength());
            assertTrue(Arrays.equals(plain, 0, plain.length, ours, OFFSET, OFFSET + plain.length));
            // jitsi → ours.
            assertEquals(SrtpStatus.OK,
                    oursB.receiver().unprotectRtp(theirs, OFFSET, protectedLen), "seq " + seq);
            assertEquals(plain.length, oursB.receiver().lengthBytes());
            assertTrue(Arrays.equals(plain, 0, plain.length, theirs, OFFSET,
                    OFFSET + plain.length));
        }
    }

    @Test
    void jitsiPacketsReorderedAcrossTheRolloverAreAcceptedOnceByUs() throws Exception {
        SrtpCryptoContext jitsiTx = jitsi.rtpSender(SSRC);
        byte[][] plain = new byte[80][];
        byte[][] wire = new byte[80][];
        for (int n = 0; n < wire.length; n++) {
            plain[n] = AesCmInteropTest.rtp(seqAt(n), 1, true, 200 + n);
            wire[n] = placed(plain[n]);
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, wire[n], plain[n].length, true));
        }
        // seqAt(36) = 0: deliver each pair swapped, so 0 (ROC 1) arrives before 65535 (ROC 0).
        SrtpReceiver rx = oursB.receiver();
        for (int n = 0; n + 1 < wire.length; n += 2) {
            for (int k : new int[] {n + 1, n}) {
                byte[] copy = wire[k].clone();
                assertEquals(SrtpStatus.OK, rx.unprotectRtp(copy, OFFSET, plain[k].length + TAG),
                        "seq " + seqAt(k));
                assertTrue(Arrays.equals(plain[k], 0, plain[k].length, copy, OFFSET,
                        OFFSET + plain[k].length), "seq " + seqAt(k));
            }
        }
        for (int n = wire.length - 64; n < wire.length; n++) {
            assertEquals(SrtpStatus.REPLAY_FAIL,
                    rx.unprotectRtp(wire[n].clone(), OFFSET, plain[n].length + TAG),
                    "seq " + seqAt(n));
        }
    }

    @Test
    void rtcpBothWaysIdenticalBytes() throws Exception {
        SrtcpCryptoContext jitsiTx = jitsi.rtcpSender(SSRC);
        SrtcpCryptoContext jitsiRx = jitsi.rtcpReceiver(SSRC);
        AesGcmTransformer jca = new AesGcmTransformer(KEY_A, SALT_A, false);
        SrtpStreamState jcaState = new SrtpStreamState();
        for (int n = 0; n < 40; n++) {
            byte[] plain = AesCmInteropTest.rtcp(SSRC, n % 5);

            byte[] ours = placed(plain);
            assertEquals(SrtpStatus.OK, oursA.sender().protectRtcp(ours, OFFSET, plain.length));
            int protectedLen = oursA.sender().lengthBytes();
            assertEquals(plain.length + TAG + 4, protectedLen);

            byte[] theirs = placed(plain);
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, theirs, plain.length, true));
            assertEquals(protectedLen, jitsi.lastLength());
            assertEquals(Hex.encode(theirs), Hex.encode(ours), "SRTCP index " + n);

            byte[] fallback = placed(plain);
            assertEquals(SrtpStatus.OK, jca.protectRtcp(fallback, OFFSET, plain.length, jcaState));
            assertEquals(Hex.encode(ours), Hex.encode(fallback), "JCA engine, index " + n);

            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiRx, ours, protectedLen, false));
            assertEquals(plain.length, jitsi.lastLength());
            assertTrue(Arrays.equals(plain, 0, plain.length, ours, OFFSET, OFFSET + plain.length));

            assertEquals(SrtpStatus.OK,
                    oursB.receiver().unprotectRtcp(theirs, OFFSET, protectedLen));
            assertEquals(plain.length, oursB.receiver().lengthBytes());
            assertTrue(Arrays.equals(plain, 0, plain.length, theirs, OFFSET,
                    OFFSET + plain.length));
        }
    }

    /**
     * RFC 7714 §9.2: with E = 0 the sender did not encrypt; the whole packet, then the E||index
     * word, is associated data and the tag is GCM's over an empty plaintext. Built by hand from
     * the derived SRTCP key and salt and javax.crypto's AES/GCM; a flipped byte anywhere fails.
     */
    @Test
    void unencryptedSrtcpIsAuthenticatedAndPassedThrough() throws Exception {
        byte[] kE = SrtpKeyDerivation.deriveSessionKey(KEY_A, SALT_A,
                SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16);
        byte[] kS = SrtpKeyDerivation.deriveSessionKey(KEY_A, SALT_A,
                SrtpKeyDerivation.LABEL_RTCP_SALT, 12);
        byte[] plain = AesCmInteropTest.rtcp(SSRC, 3);
        int index = 0x1234;
        byte[] iv = new byte[12];
        SrtpPacketChecks.writeInt(iv, 2, SSRC);
        SrtpPacketChecks.writeInt(iv, 8, index);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= kS[i];
        }
        byte[] word = new byte[4];
        SrtpPacketChecks.writeInt(word, 0, index); // E = 0
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kE, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(plain);
        gcm.updateAAD(word);
        byte[] tag = gcm.doFinal();
        byte[] wire = new byte[plain.length + TAG + 4];
        System.arraycopy(plain, 0, wire, 0, plain.length);
        System.arraycopy(tag, 0, wire, plain.length, TAG);
        System.arraycopy(word, 0, wire, plain.length + TAG, 4);

        for (int flip = 0; flip < wire.length; flip++) {
            byte[] bad = wire.clone();
            bad[flip] ^= 0x01;
            SrtpStatus status = oursB.receiver().unprotectRtcp(bad, 0, bad.length);
            assertTrue(status == SrtpStatus.AUTH_FAIL || status == SrtpStatus.MALFORMED,
                    "byte " + flip + ": " + status);
        }
        byte[] good = wire.clone();
        assertEquals(SrtpStatus.OK, oursB.receiver().unprotectRtcp(good, 0, good.length));
        assertEquals(plain.length, oursB.receiver().lengthBytes());
        assertTrue(Arrays.equals(plain, 0, plain.length, good, 0, plain.length));
        assertEquals(SrtpStatus.REPLAY_FAIL,
                oursB.receiver().unprotectRtcp(wire.clone(), 0, wire.length));
    }
}
