package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our AES128_CM_HMAC_SHA1_80 ({@link AesCmTransformer} behind {@link SrtpSession}) against
 * jitsi-srtp's implementation of the same profile, both ways: what we protect jitsi unprotects, what
 * jitsi protects we unprotect, and for the same keys and packets both produce identical bytes. RTP
 * runs across the rollover at 65535 → 0, with CSRCs and a header extension, payloads larger than
 * one keystream chunk, and out-of-order delivery across the wrap; RTCP runs as compound packets.
 */
class AesCmInteropTest {
    private static final SrtpProfile CM = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    /** Master key and salt of the A → B direction. */
    private static final byte[] KEY_A = Hex.decode("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] SALT_A = Hex.decode("0ec675ad498afeebb6960b3aabe6");
    /** Master key and salt of the B → A direction. */
    private static final byte[] KEY_B = Hex.decode("00112233445566778899aabbccddeeff");
    private static final byte[] SALT_B = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaabacad");
    private static final int SSRC = 0x11223344;
    private static final int OFFSET = 7;

    /** Ours, sending with A's keys and receiving with B's. */
    private SrtpSession oursA;
    /** Ours, sending with B's keys and receiving with A's. */
    private SrtpSession oursB;
    /** jitsi-srtp keyed with A's keys. */
    private JitsiSrtpPeer jitsi;

    @BeforeEach
    void setUp() {
        oursA = SrtpSession.create(CM, KEY_A, SALT_A, KEY_B, SALT_B, 8);
        oursB = SrtpSession.create(CM, KEY_B, SALT_B, KEY_A, SALT_A, 8);
        jitsi = new JitsiSrtpPeer(CM, KEY_A, SALT_A, OFFSET);
    }

    @AfterEach
    void tearDown() {
        oursA.close();
        oursB.close();
        jitsi.close();
    }

    /**
     * An RTP packet with {@code csrcs} CSRCs and (if {@code extension}) a one-byte-header
     * extension (RFC 8285) of two words, then {@code payloadLen} payload bytes.
     */
    static byte[] rtp(int seq, int csrcs, boolean extension, int payloadLen) {
        int headerLen = 12 + 4 * csrcs + (extension ? 12 : 0);
        byte[] p = new byte[headerLen + payloadLen];
        p[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs); // V=2 P=0 X CC
        p[1] = (byte) 0xE0; // M=1 PT=96
        p[2] = (byte) (seq >>> 8); // sequence number
        p[3] = (byte) seq;
        p[4] = 0x01; // timestamp 0x01020304
        p[5] = 0x02;
        p[6] = 0x03;
        p[7] = 0x04;
        p[8] = (byte) (SSRC >>> 24); // SSRC
        p[9] = (byte) (SSRC >>> 16);
        p[10] = (byte) (SSRC >>> 8);
        p[11] = (byte) SSRC;
        for (int i = 0; i < csrcs; i++) {
            p[12 + 4 * i + 3] = (byte) (0x10 + i); // CSRC 0x000000 1i
        }
        int at = 12 + 4 * csrcs;
        if (extension) {
            p[at] = (byte) 0xBE; // profile 0xBEDE: one-byte header elements
            p[at + 1] = (byte) 0xDE;
            p[at + 3] = 2; // length: 2 words
            p[at + 4] = 0x10; // element id 1, length 1
            p[at + 5] = (byte) 0xFF; // its value
            p[at + 6] = 0x22; // element id 2, length 3
            p[at + 7] = 0x01; // its value 0x010203
            p[at + 8] = 0x02;
            p[at + 9] = 0x03;
            // p[at + 10 .. at + 11]: padding
        }
        for (int i = 0; i < payloadLen; i++) {
            p[headerLen + i] = (byte) (i * 31 + seq);
        }
        return p;
    }

    /** A compound RTCP packet: a receiver report with one block, then an SDES chunk. */
    static byte[] rtcp(int ssrc, int extraWords) {
        byte[] p = new byte[8 + 24 + 4 * extraWords];
        p[0] = (byte) 0x81; // V=2 P=0 RC=1
        p[1] = (byte) 201; // PT=RR
        p[3] = 7; // length 7 words (header + SSRC + one 24-byte block)
        p[4] = (byte) (ssrc >>> 24); // sender SSRC
        p[5] = (byte) (ssrc >>> 16);
        p[6] = (byte) (ssrc >>> 8);
        p[7] = (byte) ssrc;
        for (int i = 8; i < 32; i++) {
            p[i] = (byte) (i * 3); // report block: SSRC, loss, highest seq, jitter, LSR, DLSR
        }
        if (extraWords > 0) {
            p[32] = (byte) 0x81; // V=2 SC=1
            p[33] = (byte) 202; // PT=SDES
            p[35] = (byte) (extraWords - 1); // length in words minus one
            for (int i = 36; i < p.length; i++) {
                p[i] = (byte) i; // chunk bytes
            }
        }
        return p;
    }

    private static byte[] placed(byte[] packet) {
        return JitsiSrtpPeer.placed(packet, OFFSET);
    }

    /** Sequence numbers from 65500 across the wrap to 60: ROC 0 then ROC 1. */
    private static int seqAt(int n) {
        return (65_500 + n) & 0xFFFF;
    }

    @Test
    void rtpBothWaysAcrossTheRolloverIdenticalBytes() throws Exception {
        SrtpCryptoContext jitsiTx = jitsi.rtpSender(SSRC);
        SrtpCryptoContext jitsiRx = jitsi.rtpReceiver(SSRC);
        SplittableRandom random = new SplittableRandom(0xC0FFEEL);
        for (int n = 0; n < 96; n++) {
            int seq = seqAt(n);
            // Header shapes rotate; now and then a payload longer than one keystream chunk.
            int payloadLen = n % 10 == 3 ? 3_000 + random.nextInt(500) : random.nextInt(1_300);
            byte[] plain = rtp(seq, n % 3, n % 2 == 0, payloadLen);

            byte[] ours = placed(plain);
            assertEquals(SrtpStatus.OK, oursA.sender().protectRtp(ours, OFFSET, plain.length));
            int protectedLen = oursA.sender().lengthBytes();
            assertEquals(plain.length + 10, protectedLen);

            byte[] theirs = placed(plain);
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, theirs, plain.length, true));
            assertEquals(protectedLen, jitsi.lastLength());
            assertEquals(Hex.encode(theirs), Hex.encode(ours), "protected bytes, seq " + seq);

            // Ours → jitsi.
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiRx, ours, protectedLen, false),
                    "seq " + seq);
            assertEquals(plain.length, jitsi.lastLength());
            assertTrue(Arrays.equals(plain, 0, plain.length, ours, OFFSET, OFFSET + plain.length));
            // jitsi → ours.
            assertEquals(SrtpStatus.OK, oursB.receiver().unprotectRtp(theirs, OFFSET, protectedLen),
                    "seq " + seq);
            assertEquals(plain.length, oursB.receiver().lengthBytes());
            assertTrue(Arrays.equals(plain, 0, plain.length, theirs, OFFSET, OFFSET + plain.length));
        }
    }

    @Test
    void jitsiPacketsReorderedAcrossTheRolloverAreAcceptedOnceByUs() throws Exception {
        SrtpCryptoContext jitsiTx = jitsi.rtpSender(SSRC);
        byte[][] plain = new byte[80][];
        byte[][] wire = new byte[80][];
        for (int n = 0; n < wire.length; n++) {
            plain[n] = rtp(seqAt(n), 1, true, 200 + n);
            wire[n] = placed(plain[n]);
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, wire[n], plain[n].length, true));
        }
        // seqAt(36) = 0: deliver each pair swapped, so 0 (ROC 1) arrives before 65535 (ROC 0).
        SrtpReceiver rx = oursB.receiver();
        for (int n = 0; n + 1 < wire.length; n += 2) {
            for (int k : new int[] {n + 1, n}) {
                byte[] copy = wire[k].clone();
                assertEquals(SrtpStatus.OK, rx.unprotectRtp(copy, OFFSET, plain[k].length + 10),
                        "seq " + seqAt(k));
                assertTrue(Arrays.equals(plain[k], 0, plain[k].length, copy, OFFSET,
                        OFFSET + plain[k].length), "seq " + seqAt(k));
            }
        }
        // Every one of them again: all replays, on both sides of the wrap.
        for (int n = wire.length - 64; n < wire.length; n++) {
            assertEquals(SrtpStatus.REPLAY_FAIL,
                    rx.unprotectRtp(wire[n].clone(), OFFSET, plain[n].length + 10), "seq " + seqAt(n));
        }
    }

    @Test
    void rtcpBothWaysIdenticalBytes() throws Exception {
        SrtcpCryptoContext jitsiTx = jitsi.rtcpSender(SSRC);
        SrtcpCryptoContext jitsiRx = jitsi.rtcpReceiver(SSRC);
        for (int n = 0; n < 40; n++) {
            byte[] plain = rtcp(SSRC, n % 5);

            byte[] ours = placed(plain);
            assertEquals(SrtpStatus.OK, oursA.sender().protectRtcp(ours, OFFSET, plain.length));
            int protectedLen = oursA.sender().lengthBytes();
            assertEquals(plain.length + 14, protectedLen);

            byte[] theirs = placed(plain);
            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, theirs, plain.length, true));
            assertEquals(protectedLen, jitsi.lastLength());
            assertEquals(Hex.encode(theirs), Hex.encode(ours), "SRTCP index " + n);

            assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiRx, ours, protectedLen, false));
            assertEquals(plain.length, jitsi.lastLength());
            assertTrue(Arrays.equals(plain, 0, plain.length, ours, OFFSET, OFFSET + plain.length));

            assertEquals(SrtpStatus.OK,
                    oursB.receiver().unprotectRtcp(theirs, OFFSET, protectedLen));
            assertEquals(plain.length, oursB.receiver().lengthBytes());
            assertTrue(Arrays.equals(plain, 0, plain.length, theirs, OFFSET, OFFSET + plain.length));
        }
    }

    /**
     * RFC 3711 §3.4: with E = 0 the sender did not encrypt; the tag still covers the packet and
     * the index word. Built by hand from the derived SRTCP auth key and javax.crypto's HmacSHA1.
     */
    @Test
    void unencryptedSrtcpWithTheEFlagClearIsAuthenticatedAndPassedThrough() throws Exception {
        byte[] plain = rtcp(SSRC, 2);
        byte[] kA = SrtpKeyDerivation.deriveSessionKey(KEY_A, SALT_A,
                SrtpKeyDerivation.LABEL_RTCP_AUTH, 20);
        byte[] packet = Arrays.copyOf(plain, plain.length + 14);
        packet[plain.length] = 0x00; // E = 0 | SRTCP index 0x00001234
        packet[plain.length + 1] = 0x00;
        packet[plain.length + 2] = 0x12;
        packet[plain.length + 3] = 0x34;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(kA, "HmacSHA1"));
        mac.update(packet, 0, plain.length + 4);
        System.arraycopy(mac.doFinal(), 0, packet, plain.length + 4, 10); // 80-bit tag

        byte[] buf = placed(packet);
        assertEquals(SrtpStatus.OK, oursB.receiver().unprotectRtcp(buf, OFFSET, packet.length));
        assertEquals(plain.length, oursB.receiver().lengthBytes());
        assertTrue(Arrays.equals(plain, 0, plain.length, buf, OFFSET, OFFSET + plain.length));
        assertEquals(SrtpStatus.REPLAY_FAIL,
                oursB.receiver().unprotectRtcp(placed(packet), OFFSET, packet.length));
    }

    @Test
    void jitsiPacketsWithWrongKeysOrTamperedTagsFailAuthenticationWithUs() throws Exception {
        SrtpCryptoContext jitsiTx = jitsi.rtpSender(SSRC);
        byte[] plain = rtp(100, 2, true, 300);
        byte[] wire = placed(plain);
        assertEquals(SrtpErrorStatus.OK, jitsi.run(jitsiTx, wire, plain.length, true));
        int len = plain.length + 10;
        // oursA receives with B's keys: wrong key.
        assertEquals(SrtpStatus.AUTH_FAIL, oursA.receiver().unprotectRtp(wire.clone(), OFFSET, len));
        byte[] bad = wire.clone();
        bad[OFFSET + len - 1] ^= (byte) 0x80; // last tag bit
        assertEquals(SrtpStatus.AUTH_FAIL, oursB.receiver().unprotectRtp(bad, OFFSET, len));
        // Failures changed nothing: the genuine packet still goes through.
        assertEquals(SrtpStatus.OK, oursB.receiver().unprotectRtp(wire, OFFSET, len));
    }
}
