package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PLI (RFC 4585 §6.3.1), FIR (RFC 5104 §4.3.1) and REMB (draft-alvestrand-rmcat-remb-03). */
class PayloadFeedbackTest {

  @Test
  void pliFixtureAndRoundTrip() {
    byte[] pli = RtcpFixtures.pli();
    assertEquals(RtcpDropReason.OK, PliParser.validate(pli, 0, pli.length));
    assertEquals(1, PliParser.senderSsrc(pli, 0));
    assertEquals(0x11223344, PliParser.mediaSsrc(pli, 0));
    byte[] out = new byte[16];
    assertEquals(12, PliEncoder.write(out, 4, 1, 0x11223344));
    assertArrayEquals(pli, slice(out, 4, 12));
    // FMT=1 under PT=205 is a NACK, not a PLI.
    pli[1] = (byte) RtcpHeader.PT_RTPFB;
    assertEquals(RtcpDropReason.WRONG_PACKET_TYPE, PliParser.validate(pli, 0, pli.length));
  }

  @Test
  void firFixtureAndRoundTrip() {
    byte[] fir = RtcpFixtures.fir();
    assertEquals(RtcpDropReason.OK, FirParser.validate(fir, 0, fir.length));
    assertEquals(1, FirParser.senderSsrc(fir, 0));
    assertEquals(1, FirParser.entryCount(fir, 0, fir.length));
    assertEquals(0x11223344, FirParser.entrySsrc(fir, 0, 0));
    assertEquals(7, FirParser.entrySeqNr(fir, 0, 0));
    byte[] out = new byte[32];
    int len = FirEncoder.write(out, 0, 1, FirParser.entrySsrc(fir, 0, 0), FirParser.entrySeqNr(fir, 0, 0));
    assertArrayEquals(fir, slice(out, 0, len));
  }

  @Test
  void firWithSeveralEntriesRoundTrips() {
    int[] ssrcs = {0xAAAAAAAA, 0x01020304, -1};
    int[] seqNrs = {255, 0, 128};
    byte[] out = new byte[64];
    int len = FirEncoder.write(out, 0, 9, ssrcs, seqNrs, 0, 3);
    assertEquals(36, len);
    assertEquals(RtcpDropReason.OK, FirParser.validate(out, 0, len));
    assertEquals(0, RtcpFeedback.mediaSsrc(out, 0));
    for (int i = 0; i < 3; i++) {
      assertEquals(ssrcs[i], FirParser.entrySsrc(out, 0, i));
      assertEquals(seqNrs[i], FirParser.entrySeqNr(out, 0, i));
    }
    // A partial entry: 4 bytes more than the header, a length the RFC does not allow.
    RtcpHeader.write(out, 0, RtcpFeedback.FMT_FIR, RtcpHeader.PT_PSFB, 16);
    assertEquals(RtcpDropReason.BAD_FCI_LENGTH, FirParser.validate(out, 0, 16));
  }

  @Test
  void rembFixtureAndRoundTrip() {
    byte[] remb = RtcpFixtures.remb();
    assertTrue(RembParser.isRemb(remb, 0, remb.length));
    assertEquals(RtcpDropReason.OK, RembParser.validate(remb, 0, remb.length));
    assertEquals(1, RembParser.senderSsrc(remb, 0));
    assertEquals(1_000_000, RembParser.bitrateBps(remb, 0));
    assertEquals(1, RembParser.ssrcCount(remb, 0));
    assertEquals(0x11223344, RembParser.ssrc(remb, 0, 0));
    byte[] out = new byte[32];
    int len = RembEncoder.write(out, 0, 1, RembParser.bitrateBps(remb, 0), new int[] {0x11223344}, 0, 1);
    assertArrayEquals(remb, slice(out, 0, len));
  }

  @ParameterizedTest(name = "{0} bps -> exp {1}, mantissa {2}, decoded {3}")
  @CsvSource({
    "0, 0, 0, 0",
    "1, 0, 1, 1",
    "262143, 0, 262143, 262143", // largest value with exponent 0 (18 bits)
    "262144, 1, 131072, 262144", // first value needing exponent 1
    "262145, 1, 131072, 262144", // low bit dropped: rounds down
    "524287, 1, 262143, 524286", // rounds down, never up
    "1000000, 2, 250000, 1000000",
    "1000001, 2, 250000, 1000000",
    "2500000000, 14, 152587, 2499985408", // 2.5 Gbit/s
    "9223372036854775807, 45, 262143, 9223336852482686976", // Long.MAX_VALUE
  })
  void rembBitrateEncodingRoundsDown(long bitrate, int exp, int mantissa, long decoded) {
    int field = RembEncoder.encodeBitrate(bitrate);
    assertEquals(exp, field >>> 18, "exponent");
    assertEquals(mantissa, field & 0x3FFFF, "mantissa");
    assertEquals(decoded, RembParser.decodeBitrate(field));
  }

  @Test
  void rembDecodingSaturatesInsteadOfOverflowing() {
    assertEquals(Long.MAX_VALUE, RembParser.decodeBitrate((63 << 18) | 0x3FFFF));
    assertEquals(Long.MAX_VALUE, RembParser.decodeBitrate((46 << 18) | 0x3FFFF));
    assertEquals(0x3FFFFL << 45, RembParser.decodeBitrate((45 << 18) | 0x3FFFF));
    assertEquals(1L << 62, RembParser.decodeBitrate((62 << 18) | 1));
    assertEquals(Long.MAX_VALUE, RembParser.decodeBitrate((63 << 18) | 1));
    assertEquals(0, RembParser.decodeBitrate(63 << 18));
    assertThrows(IllegalArgumentException.class, () -> RembEncoder.encodeBitrate(-1));
  }

  @Test
  void rembEncodingIsTheLargestRepresentableValueNotAbove() {
    SplittableRandom random = new SplittableRandom(0x52454D42L);
    for (int i = 0; i < 200_000; i++) {
      long bitrate = (random.nextLong() >>> 1) >>> random.nextInt(63);
      long decoded = RembParser.decodeBitrate(RembEncoder.encodeBitrate(bitrate));
      assertTrue(decoded <= bitrate, "never rounds up");
      // Error below one unit of the chosen exponent, i.e. below 2^-17 of the value.
      int exp = RembEncoder.encodeBitrate(bitrate) >>> 18;
      assertTrue(bitrate - decoded < (1L << exp), "rounds to the nearest step below");
    }
  }

  @Test
  void rembWithManySsrcsAndBadIdentifier() {
    int[] ssrcs = new int[255];
    for (int i = 0; i < ssrcs.length; i++) {
      ssrcs[i] = i * 31;
    }
    byte[] out = new byte[RembEncoder.sizeBytes(255)];
    int len = RembEncoder.write(out, 0, 5, 12_345_678L, ssrcs, 0, 255);
    assertEquals(RtcpDropReason.OK, RembParser.validate(out, 0, len));
    assertEquals(255, RembParser.ssrcCount(out, 0));
    assertEquals(254 * 31, RembParser.ssrc(out, 0, 254));
    out[12] = 'X';
    assertFalse(RembParser.isRemb(out, 0, len));
    assertEquals(RtcpDropReason.BAD_REMB, RembParser.validate(out, 0, len));
    byte[] remb = RtcpFixtures.remb();
    remb[16] = 2; // Num SSRC = 2 but only one listed
    assertEquals(RtcpDropReason.BAD_REMB, RembParser.validate(remb, 0, remb.length));
  }
}
