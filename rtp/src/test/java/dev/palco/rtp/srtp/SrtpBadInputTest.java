package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 100,000 seeded hostile packets per (profile, RTP/RTCP) into unprotect: valid, truncated,
 * bit-flipped, oversized, header lies and random bytes. Each must produce a status, never an
 * exception, and never touch a byte outside its window. AES128_CM_HMAC_SHA1_80 runs on
 * {@link AesCmTransformer}, AEAD_AES_128_GCM on {@link AesGcmTransformer}. The same number of seeded plaintexts
 * go into protect, which may write only its window plus the profile's overhead.
 *
 * <p>Out-of-bounds reads are caught twice over: every input is unprotected by two receivers in
 * lockstep, one with the packet at offset 5 between sentinel bytes, one with the packet filling an
 * exact-size array (a read past the end would throw there). Their statuses and outputs must agree,
 * and the sentinels must survive. With GCM on OpenSSL an out-of-bounds access would happen in
 * native code, where no exception catches it; {@link OpenSslAesGcm} checks every range before it
 * calls in, and this test is what shows the callers never hand it a bad one.
 */
class SrtpBadInputTest {
    private static final int INPUTS = 100_000;
    private static final int OFFSET = 5;
    private static final int SENTINEL_BYTES = 37;
    private static final byte SENTINEL = (byte) 0xA5;

    @BeforeAll
    static void warmUp() {
        SrtpSupport.warmUp();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "AEAD_AES_128_GCM,       RTP",
        "AEAD_AES_128_GCM,       RTCP",
        "AES128_CM_HMAC_SHA1_80, RTP",
        "AES128_CM_HMAC_SHA1_80, RTCP",
    })
    void unprotectNeverThrowsNorLeavesItsWindow(SrtpProfile profile, String kind) {
        boolean rtcp = kind.equals("RTCP");
        SplittableRandom random = new SplittableRandom(0x5EED_0000L + profile.ordinal() * 2L
                + (rtcp ? 1 : 0));
        SrtpSession[] ends = SrtpSessionTest.pair(profile, 8);
        SrtpSession[] twin = SrtpSessionTest.pair(profile, 8);
        SrtpReceiver a = ends[1].receiver();
        SrtpReceiver b = twin[1].receiver();

        // A pool of genuine protected packets from the peer: a few SSRCs, growing sequence numbers.
        byte[][] valid = new byte[512][];
        byte[] scratch = new byte[1500];
        for (int i = 0; i < valid.length; i++) {
            int ssrc = 0x1000 + (i % 3);
            int len = rtcp
                    ? SrtpSessionTest.writeRtcp(scratch, 0, ssrc, 4 * random.nextInt(30))
                    : SrtpSessionTest.writeRtp(scratch, 0, i, ssrc, random.nextInt(300));
            SrtpStatus st = rtcp ? ends[0].sender().protectRtcp(scratch, 0, len)
                    : ends[0].sender().protectRtp(scratch, 0, len);
            assertEquals(SrtpStatus.OK, st);
            valid[i] = Arrays.copyOf(scratch, ends[0].sender().lengthBytes());
        }

        Map<SrtpStatus, Integer> seen = new EnumMap<>(SrtpStatus.class);
        int nextValid = 0;
        for (int n = 0; n < INPUTS; n++) {
            byte[] pkt;
            int mode = random.nextInt(8);
            if (mode == 0 && nextValid < valid.length) {
                pkt = valid[nextValid++].clone(); // genuine, in order: must mostly pass
            } else {
                byte[] base = valid[random.nextInt(valid.length)];
                switch (mode) {
                    case 1: // truncated
                        pkt = Arrays.copyOf(base, random.nextInt(base.length));
                        break;
                    case 2: // 1-4 bit flips
                        pkt = base.clone();
                        for (int f = random.nextInt(1, 5); f > 0; f--) {
                            pkt[random.nextInt(pkt.length)] ^= (byte) (1 << random.nextInt(8));
                        }
                        break;
                    case 3: // oversized: random bytes appended
                        pkt = Arrays.copyOf(base, base.length + random.nextInt(1, 200));
                        for (int i = base.length; i < pkt.length; i++) {
                            pkt[i] = (byte) random.nextInt(256);
                        }
                        break;
                    case 4: // header lies: CSRC count, X bit and extension length
                        pkt = base.clone();
                        pkt[0] = (byte) (0x80 | random.nextInt(0x40));
                        if (pkt.length > 15) {
                            pkt[14] = (byte) random.nextInt(256);
                            pkt[15] = (byte) random.nextInt(256);
                        }
                        break;
                    case 5: // random bytes, version 2, a known SSRC
                        pkt = randomBytes(random, random.nextInt(0, 120));
                        if (pkt.length > 12) {
                            pkt[0] = (byte) (0x80 | (pkt[0] & 0x3F));
                            System.arraycopy(base, rtcp ? 4 : 8, pkt, rtcp ? 4 : 8, 4);
                        }
                        break;
                    case 6: // random bytes, any SSRC (costs a key derivation each)
                        pkt = randomBytes(random, random.nextInt(0, 64));
                        if (pkt.length > 0 && random.nextBoolean()) {
                            pkt[0] = (byte) (0x80 | (pkt[0] & 0x3F));
                        }
                        break;
                    default: // replay of a genuine packet already seen
                        pkt = valid[random.nextInt(Math.max(1, nextValid))].clone();
                        break;
                }
            }

            byte[] placed = new byte[SENTINEL_BYTES + OFFSET + pkt.length + SENTINEL_BYTES];
            Arrays.fill(placed, SENTINEL);
            int off = SENTINEL_BYTES + OFFSET;
            System.arraycopy(pkt, 0, placed, off, pkt.length);
            byte[] exact = pkt.clone();

            SrtpStatus sa;
            SrtpStatus sb;
            try {
                sa = rtcp ? a.unprotectRtcp(placed, off, pkt.length)
                        : a.unprotectRtp(placed, off, pkt.length);
                sb = rtcp ? b.unprotectRtcp(exact, 0, exact.length)
                        : b.unprotectRtp(exact, 0, exact.length);
            } catch (Throwable t) {
                throw new AssertionError("input " + n + " threw: " + Hex.encode(pkt), t);
            }
            if (sa != sb) {
                fail("input " + n + ": " + sa + " at an offset, " + sb + " in an exact array: "
                        + Hex.encode(pkt));
            }
            for (int i = 0; i < off; i++) {
                assertEquals(SENTINEL, placed[i], "byte before the window changed, input " + n);
            }
            for (int i = off + pkt.length; i < placed.length; i++) {
                assertEquals(SENTINEL, placed[i], "byte after the window changed, input " + n);
            }
            if (sa == SrtpStatus.OK) {
                assertEquals(a.lengthBytes(), b.lengthBytes());
                assertTrue(a.lengthBytes() <= pkt.length);
                assertTrue(Arrays.equals(exact, 0, b.lengthBytes(), placed, off,
                        off + a.lengthBytes()), "outputs differ, input " + n);
            }
            seen.merge(sa, 1, Integer::sum);
        }
        // The corpus reaches every receive-side outcome.
        for (SrtpStatus expected : new SrtpStatus[] {SrtpStatus.OK, SrtpStatus.TOO_SHORT,
                SrtpStatus.MALFORMED, SrtpStatus.AUTH_FAIL, SrtpStatus.REPLAY_FAIL}) {
            assertTrue(seen.containsKey(expected), expected + " never seen: " + seen);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "AEAD_AES_128_GCM,       RTP",
        "AEAD_AES_128_GCM,       RTCP",
        "AES128_CM_HMAC_SHA1_80, RTP",
        "AES128_CM_HMAC_SHA1_80, RTCP",
    })
    void protectNeverThrowsNorWritesPastItsOverhead(SrtpProfile profile, String kind) {
        boolean rtcp = kind.equals("RTCP");
        SplittableRandom random = new SplittableRandom(0x5EED_1000L + profile.ordinal() * 2L
                + (rtcp ? 1 : 0));
        SrtpSession[] ends = SrtpSessionTest.pair(profile, 8);
        SrtpSender tx = ends[0].sender();
        SrtpReceiver rx = ends[1].receiver();
        int overhead = rtcp ? profile.rtcpOverheadBytes() : profile.rtpOverheadBytes();
        byte[] scratch = new byte[400];
        Map<SrtpStatus, Integer> seen = new EnumMap<>(SrtpStatus.class);
        int seq = 0;
        for (int n = 0; n < INPUTS; n++) {
            byte[] pkt;
            int mode = random.nextInt(4);
            if (mode == 0) { // valid, from a few SSRCs (more than the bound of 8 now and then)
                int ssrc = 0x2000 + random.nextInt(10);
                int len = rtcp ? SrtpSessionTest.writeRtcp(scratch, 0, ssrc, 4 * random.nextInt(20))
                        : SrtpSessionTest.writeRtp(scratch, 0, seq++ & 0xFFFF, ssrc,
                                random.nextInt(200));
                pkt = Arrays.copyOf(scratch, len);
            } else {
                pkt = randomBytes(random, random.nextInt(0, 120));
                if (pkt.length > 0 && mode != 3) {
                    pkt[0] = (byte) (0x80 | (pkt[0] & 0x3F)); // version 2, random CC/X
                }
            }
            // Tailroom: usually enough, sometimes one byte short.
            int tail = random.nextInt(8) == 0 ? overhead - 1 : overhead + random.nextInt(3);
            int off = SENTINEL_BYTES + OFFSET;
            byte[] placed = new byte[off + pkt.length + tail];
            Arrays.fill(placed, SENTINEL);
            System.arraycopy(pkt, 0, placed, off, pkt.length);
            SrtpStatus st;
            try {
                st = rtcp ? tx.protectRtcp(placed, off, pkt.length)
                        : tx.protectRtp(placed, off, pkt.length);
            } catch (Throwable t) {
                throw new AssertionError("input " + n + " threw: " + Hex.encode(pkt), t);
            }
            for (int i = 0; i < off; i++) {
                assertEquals(SENTINEL, placed[i], "byte before the window changed, input " + n);
            }
            int end = off + pkt.length + (st == SrtpStatus.OK ? overhead : 0);
            for (int i = end; i < placed.length; i++) {
                assertEquals(SENTINEL, placed[i], "byte after the output changed, input " + n);
            }
            if (st == SrtpStatus.OK) {
                assertEquals(pkt.length + overhead, tx.lengthBytes());
                // Whatever was protected comes back intact on the peer (RTP from the same SSRC
                // with a repeated random sequence number may be a replay: skip those).
                SrtpStatus back = rtcp ? rx.unprotectRtcp(placed, off, tx.lengthBytes())
                        : rx.unprotectRtp(placed, off, tx.lengthBytes());
                if (back == SrtpStatus.OK) {
                    assertTrue(Arrays.equals(pkt, 0, pkt.length, placed, off, off + pkt.length),
                            "round trip changed input " + n);
                } else {
                    assertTrue(back == SrtpStatus.REPLAY_FAIL || back == SrtpStatus.NO_CONTEXT,
                            "input " + n + ": " + back);
                }
            }
            seen.merge(st, 1, Integer::sum);
        }
        for (SrtpStatus expected : new SrtpStatus[] {SrtpStatus.OK, SrtpStatus.TOO_SHORT,
                SrtpStatus.MALFORMED, SrtpStatus.NO_TAILROOM, SrtpStatus.NO_CONTEXT}) {
            assertTrue(seen.containsKey(expected), expected + " never seen: " + seen);
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }
}
