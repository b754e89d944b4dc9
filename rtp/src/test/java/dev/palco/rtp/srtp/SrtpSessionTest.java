package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips, replay, tampering, bounds and the allocation-free packet path. */
class SrtpSessionTest {
    private static final int TAILROOM = 32;

    @BeforeAll
    static void warmUp() {
        SrtpSupport.warmUp();
    }

    /** A pair of sessions as the two ends of one DTLS-SRTP association would build them. */
    static SrtpSession[] pair(SrtpProfile profile, int maxSsrcs) {
        byte[] material = new byte[profile.keyingMaterialLengthBytes()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 1);
        }
        return new SrtpSession[] {
            SrtpSession.fromDtlsKeyingMaterial(profile, material, true, maxSsrcs),
            SrtpSession.fromDtlsKeyingMaterial(profile, material, false, maxSsrcs)};
    }

    /** Writes a minimal RTP packet (12-byte header + payload) at {@code off}; returns its length. */
    static int writeRtp(byte[] buf, int off, int seq, int ssrc, int payloadLen) {
        buf[off] = (byte) 0x80; // V=2, P=0, X=0, CC=0
        buf[off + 1] = 111; // M=0, PT=111
        buf[off + 2] = (byte) (seq >>> 8); // sequence number
        buf[off + 3] = (byte) seq;
        buf[off + 4] = 0; // timestamp
        buf[off + 5] = 0;
        buf[off + 6] = 0x10;
        buf[off + 7] = 0;
        buf[off + 8] = (byte) (ssrc >>> 24); // SSRC
        buf[off + 9] = (byte) (ssrc >>> 16);
        buf[off + 10] = (byte) (ssrc >>> 8);
        buf[off + 11] = (byte) ssrc;
        for (int i = 0; i < payloadLen; i++) {
            buf[off + 12 + i] = (byte) (i ^ seq);
        }
        return 12 + payloadLen;
    }

    /** Writes an RTCP receiver report with no report blocks plus {@code extraLen} bytes. */
    static int writeRtcp(byte[] buf, int off, int ssrc, int extraLen) {
        buf[off] = (byte) 0x80; // V=2, P=0, RC=0
        buf[off + 1] = (byte) 201; // PT=RR
        int words = 1 + extraLen / 4;
        buf[off + 2] = (byte) (words >>> 8); // length in 32-bit words minus one
        buf[off + 3] = (byte) words;
        buf[off + 4] = (byte) (ssrc >>> 24); // sender SSRC
        buf[off + 5] = (byte) (ssrc >>> 16);
        buf[off + 6] = (byte) (ssrc >>> 8);
        buf[off + 7] = (byte) ssrc;
        for (int i = 0; i < extraLen; i++) {
            buf[off + 8 + i] = (byte) i;
        }
        return 8 + extraLen;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void dtlsClientAndServerSessionsTalkBothWays(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile, 4);
        for (int dir = 0; dir < 2; dir++) {
            SrtpSession from = ends[dir];
            SrtpSession to = ends[1 - dir];
            byte[] buf = new byte[1500];
            int len = writeRtp(buf, 10, 1000, 0xCAFE0000 + dir, 100);
            byte[] plain = Arrays.copyOfRange(buf, 10, 10 + len);
            assertEquals(SrtpStatus.OK, from.sender().protectRtp(buf, 10, len));
            int protectedLen = from.sender().lengthBytes();
            assertEquals(len + profile.rtpOverheadBytes(), protectedLen);
            // Our own receiver has the other key: it must not accept what we send.
            byte[] copy = buf.clone();
            assertEquals(SrtpStatus.AUTH_FAIL, from.receiver().unprotectRtp(copy, 10, protectedLen));
            assertEquals(SrtpStatus.OK, to.receiver().unprotectRtp(buf, 10, protectedLen));
            assertArrayEquals(plain, Arrays.copyOfRange(buf, 10, 10 + to.receiver().lengthBytes()));

            int rtcpLen = writeRtcp(buf, 0, 0xBEEF0000 + dir, 24);
            byte[] rtcpPlain = Arrays.copyOf(buf, rtcpLen);
            assertEquals(SrtpStatus.OK, from.sender().protectRtcp(buf, 0, rtcpLen));
            assertEquals(rtcpLen + profile.rtcpOverheadBytes(), from.sender().lengthBytes());
            assertEquals(SrtpStatus.OK,
                    to.receiver().unprotectRtcp(buf, 0, from.sender().lengthBytes()));
            assertArrayEquals(rtcpPlain, Arrays.copyOf(buf, to.receiver().lengthBytes()));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedAndTooOldRtpIsRefused(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile, 4);
        byte[][] sent = new byte[200][];
        for (int seq = 0; seq < sent.length; seq++) {
            byte[] buf = new byte[100 + TAILROOM];
            int len = writeRtp(buf, 0, seq, 42, 100 - 12);
            assertEquals(SrtpStatus.OK, ends[0].sender().protectRtp(buf, 0, len));
            sent[seq] = Arrays.copyOf(buf, ends[0].sender().lengthBytes());
        }
        SrtpReceiver rx = ends[1].receiver();
        // Receive 0..99 and 150..199, leaving a gap.
        for (int seq = 0; seq < 200; seq++) {
            if (seq < 100 || seq >= 150) {
                assertEquals(SrtpStatus.OK, rx.unprotectRtp(sent[seq].clone(), 0, sent[seq].length));
            }
        }
        // Exact replay of the newest packet and of one inside the 64-packet window.
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtp(sent[199].clone(), 0, sent[199].length));
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtp(sent[150].clone(), 0, sent[150].length));
        // 199 - 140 = 59 < 64: never received and inside the window, so late but accepted once.
        assertEquals(SrtpStatus.OK, rx.unprotectRtp(sent[140].clone(), 0, sent[140].length));
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtp(sent[140].clone(), 0, sent[140].length));
        // 199 - 120 = 79 >= 64: never received, but older than the window (RFC 3711 §3.3.2).
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtp(sent[120].clone(), 0, sent[120].length));
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtp(sent[10].clone(), 0, sent[10].length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedAndTooOldRtcpIsRefused(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile, 4);
        byte[][] sent = new byte[100][];
        for (int i = 0; i < sent.length; i++) {
            byte[] buf = new byte[64];
            int len = writeRtcp(buf, 0, 7, 8);
            assertEquals(SrtpStatus.OK, ends[0].sender().protectRtcp(buf, 0, len));
            sent[i] = Arrays.copyOf(buf, ends[0].sender().lengthBytes());
        }
        SrtpReceiver rx = ends[1].receiver();
        for (int i = 0; i < 100; i += 2) { // every even SRTCP index
            assertEquals(SrtpStatus.OK, rx.unprotectRtcp(sent[i].clone(), 0, sent[i].length));
        }
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtcp(sent[98].clone(), 0, sent[98].length));
        assertEquals(SrtpStatus.OK, rx.unprotectRtcp(sent[97].clone(), 0, sent[97].length));
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtcp(sent[97].clone(), 0, sent[97].length));
        // 98 - 3 = 95 >= 64: outside the window.
        assertEquals(SrtpStatus.REPLAY_FAIL, rx.unprotectRtcp(sent[3].clone(), 0, sent[3].length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyTamperedByteFailsAuthentication(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile, 4);
        byte[] buf = new byte[80 + TAILROOM];
        int len = writeRtp(buf, 0, 5, 99, 80 - 12);
        assertEquals(SrtpStatus.OK, ends[0].sender().protectRtp(buf, 0, len));
        byte[] srtp = Arrays.copyOf(buf, ends[0].sender().lengthBytes());
        int rtcpLen = writeRtcp(buf, 0, 99, 16);
        assertEquals(SrtpStatus.OK, ends[0].sender().protectRtcp(buf, 0, rtcpLen));
        byte[] srtcp = Arrays.copyOf(buf, ends[0].sender().lengthBytes());

        SrtpReceiver rx = ends[1].receiver();
        for (int i = 0; i < srtp.length; i++) {
            byte[] bad = srtp.clone();
            bad[i] ^= 0x01;
            SrtpStatus st = rx.unprotectRtp(bad, 0, bad.length);
            // Flipping the version or the CC/X bits changes the header's structure first.
            assertTrue(st == SrtpStatus.AUTH_FAIL || (i == 0 && st == SrtpStatus.MALFORMED),
                    "byte " + i + ": " + st);
        }
        for (int i = 0; i < srtcp.length; i++) {
            byte[] bad = srtcp.clone();
            bad[i] ^= 0x01;
            SrtpStatus st = rx.unprotectRtcp(bad, 0, bad.length);
            assertEquals(SrtpStatus.AUTH_FAIL, st, "byte " + i);
        }
        // Untouched, both still go through: the failures changed no state.
        assertEquals(SrtpStatus.OK, rx.unprotectRtp(srtp, 0, srtp.length));
        assertEquals(SrtpStatus.OK, rx.unprotectRtcp(srtcp, 0, srtcp.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void ssrcContextsAreBoundedAndOnlyKeptOnceAuthenticated(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile, 3);
        byte[] buf = new byte[200];
        // Garbage with many SSRCs never occupies a slot.
        for (int ssrc = 0; ssrc < 1000; ssrc++) {
            int len = writeRtp(buf, 0, 1, ssrc, 40);
            assertEquals(SrtpStatus.AUTH_FAIL, ends[1].receiver().unprotectRtp(buf, 0, len));
        }
        assertEquals(0, ends[1].receiver().rtpContextCount());
        // ... and costs one key derivation in total, not one per SSRC.
        assertEquals(1, ends[1].receiver().derivedContexts());
        // Three real SSRCs fill the bound; the fourth is refused on both sides.
        for (int ssrc = 1; ssrc <= 4; ssrc++) {
            int len = writeRtp(buf, 0, 1, ssrc, 40);
            SrtpStatus sent = ends[0].sender().protectRtp(buf, 0, len);
            if (ssrc <= 3) {
                assertEquals(SrtpStatus.OK, sent);
                assertEquals(SrtpStatus.OK,
                        ends[1].receiver().unprotectRtp(buf, 0, ends[0].sender().lengthBytes()));
            } else {
                assertEquals(SrtpStatus.NO_CONTEXT, sent);
                assertEquals(SrtpStatus.NO_CONTEXT, ends[1].receiver().unprotectRtp(buf, 0, len + 16));
            }
        }
        assertEquals(3, ends[0].sender().rtpContextCount());
        assertEquals(3, ends[1].receiver().rtpContextCount());
        // The spare that served the garbage became the first real context.
        assertEquals(3, ends[1].receiver().derivedContexts());
    }

    @Test
    void closedSessionAnswersNoContext() {
        SrtpSession[] ends = pair(SrtpProfile.AEAD_AES_128_GCM, 2);
        ends[0].close();
        ends[0].close();
        byte[] buf = new byte[200];
        int len = writeRtp(buf, 0, 1, 1, 40);
        assertEquals(SrtpStatus.NO_CONTEXT, ends[0].sender().protectRtp(buf, 0, len));
        assertEquals(SrtpStatus.NO_CONTEXT, ends[0].receiver().unprotectRtp(buf, 0, len));
        assertEquals(SrtpStatus.NO_CONTEXT, ends[0].sender().protectRtcp(buf, 0, 8));
        assertEquals(SrtpStatus.NO_CONTEXT, ends[0].receiver().unprotectRtcp(buf, 0, 40));
    }

    static Stream<Arguments> malformedProtectInputs() {
        return Stream.of(
                // description, packet hex, extra tailroom, expected status
                Arguments.of("empty", "", 32, SrtpStatus.TOO_SHORT),
                Arguments.of("11 bytes", "8000000100000000000000", 32, SrtpStatus.TOO_SHORT),
                Arguments.of("version 0", "000000010000000000000001", 32, SrtpStatus.MALFORMED),
                Arguments.of("version 3", "c00000010000000000000001", 32, SrtpStatus.MALFORMED),
                Arguments.of("CC=15 but no CSRCs", "8f0000010000000000000001", 32,
                        SrtpStatus.MALFORMED),
                Arguments.of("X=1 but no extension header", "900000010000000000000001", 32,
                        SrtpStatus.MALFORMED),
                Arguments.of("extension length past the end",
                        "900000010000000000000001bede0002 00000000", 32, SrtpStatus.MALFORMED),
                Arguments.of("no room for the tag", "800000010000000000000001", 9,
                        SrtpStatus.NO_TAILROOM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedProtectInputs")
    void malformedRtpIsRefusedBeforeCrypto(String description, String hex, int tailroom,
            SrtpStatus expected) {
        byte[] packet = Hex.decode(hex);
        SrtpSession s = pair(SrtpProfile.AES128_CM_HMAC_SHA1_80, 4)[0];
        byte[] buf = Arrays.copyOf(packet, packet.length + tailroom);
        assertEquals(expected, s.sender().protectRtp(buf, 0, packet.length));
        if (expected != SrtpStatus.NO_TAILROOM) {
            byte[] rx = Arrays.copyOf(packet, packet.length + 10);
            SrtpStatus got = s.receiver().unprotectRtp(rx, 0, rx.length);
            assertTrue(got == SrtpStatus.MALFORMED || got == SrtpStatus.TOO_SHORT, got.toString());
        }
    }

    @Test
    void windowsOutsideTheArrayAreMalformedNotExceptions() {
        SrtpSession s = pair(SrtpProfile.AEAD_AES_128_GCM, 4)[0];
        byte[] buf = new byte[100];
        assertEquals(SrtpStatus.MALFORMED, s.sender().protectRtp(null, 0, 12));
        assertEquals(SrtpStatus.MALFORMED, s.sender().protectRtp(buf, -1, 12));
        assertEquals(SrtpStatus.MALFORMED, s.sender().protectRtcp(buf, 95, 12));
        assertEquals(SrtpStatus.MALFORMED, s.receiver().unprotectRtp(buf, 0, 101));
        assertEquals(SrtpStatus.MALFORMED, s.receiver().unprotectRtcp(buf, 50, -1));
        assertEquals(SrtpStatus.MALFORMED,
                s.receiver().unprotectRtcp(buf, Integer.MAX_VALUE, 10));
    }

    @Test
    void keyLengthsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> SrtpSession.fromDtlsKeyingMaterial(
                SrtpProfile.AEAD_AES_128_GCM, new byte[59], true, 4));
        assertThrows(IllegalArgumentException.class, () -> SrtpSession.create(
                SrtpProfile.AES128_CM_HMAC_SHA1_80, new byte[16], new byte[12], new byte[16],
                new byte[14], 4));
        assertEquals(60, SrtpProfile.AES128_CM_HMAC_SHA1_80.keyingMaterialLengthBytes());
        assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLengthBytes());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.fromProtectionProfileId(0x0007));
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                SrtpProfile.fromProtectionProfileId(0x0001));
        assertEquals(null, SrtpProfile.fromProtectionProfileId(0x0002));
    }

    /**
     * Allocation on the packet path, measured with the per-thread allocation counter after JIT
     * warm-up.
     *
     * <p>Our own layer (checks, SSRC table, stream states) allocates nothing: packets it refuses
     * before reaching the crypto cost exactly 0 bytes. A full protect+unprotect round trip, RTP
     * and RTCP, allocates nothing either: AES128_CM_HMAC_SHA1_80 on {@link AesCmTransformer},
     * AEAD_AES_128_GCM on {@link AesGcmTransformer} with {@link OpenSslAesGcm}, which must be
     * available here (see {@code OpenSslAesGcmTest}).
     */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetPathAllocation(SrtpProfile profile) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SrtpSession[] ends = pair(profile, 1);
        byte[] buf = new byte[1200 + TAILROOM];
        byte[] junk = new byte[1200 + TAILROOM];
        int seq = 0;
        int packets = 20_000;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < packets; i++) {
                int len = writeRtp(buf, 0, seq++ & 0xFFFF, 1234, 1100);
                ends[0].sender().protectRtp(buf, 0, len);
                ends[1].receiver().unprotectRtp(buf, 0, ends[0].sender().lengthBytes());
            }
            long roundTrip = (threads.getCurrentThreadAllocatedBytes() - before) / packets;

            before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < packets; i++) {
                int len = writeRtcp(buf, 0, 1234, 100);
                ends[0].sender().protectRtcp(buf, 0, len);
                ends[1].receiver().unprotectRtcp(buf, 0, ends[0].sender().lengthBytes());
            }
            long rtcpRoundTrip = (threads.getCurrentThreadAllocatedBytes() - before) / packets;

            before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < packets; i++) {
                // Refused by our layer alone: too short, malformed, over the SSRC bound.
                ends[1].receiver().unprotectRtp(junk, 0, 20);
                writeRtp(junk, 0, i, 999, 100);
                junk[0] = (byte) 0x8F; // CC=15 runs past the end
                ends[1].receiver().unprotectRtp(junk, 0, 112);
                junk[0] = (byte) 0x80;
                ends[0].sender().protectRtp(junk, 0, 112); // second SSRC, bound is 1
            }
            long refused = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertEquals(0, refused, "bytes allocated by packets our layer refuses");
                assertEquals(0, roundTrip, profile + " RTP round trip, bytes per packet");
                assertEquals(0, rtcpRoundTrip, profile + " RTCP round trip, bytes per packet");
            }
        }
    }
}
