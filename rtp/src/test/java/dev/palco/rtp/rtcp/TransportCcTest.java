package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.bytes;
import static dev.palco.rtp.rtcp.RtcpTestBytes.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.TransportCcEncoder.AddResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1): published vectors, chunk choice, round trips with random arrival patterns, wraparound,
 * large gaps, deltas out of range, and a huge status count.
 */
class TransportCcTest {
  private static final int NR = TransportCcParser.STATUS_NOT_RECEIVED;
  private static final int SMALL = TransportCcParser.STATUS_SMALL_DELTA;
  private static final int LARGE = TransportCcParser.STATUS_LARGE_DELTA;

  /** One decoded status. */
  private record Status(int seq, int status, int deltaTicks, long arrivalUs) {}

  private static List<Status> decode(byte[] buf, int off, int len) {
    TransportCcParser parser = new TransportCcParser();
    assertEquals(RtcpDropReason.OK, parser.reset(buf, off, len));
    List<Status> out = new ArrayList<>();
    while (parser.next()) {
      out.add(new Status(
          parser.sequenceNumber(), parser.status(), parser.deltaTicks(), parser.received() ? parser.arrivalTimeUs() : 0));
    }
    assertEquals(parser.packetStatusCount(), out.size());
    return out;
  }

  @Test
  void pionExample4DecodesSevenSmallDeltas() {
    byte[] pkt = RtcpFixtures.twccPionExample4();
    TransportCcParser parser = new TransportCcParser();
    assertEquals(RtcpDropReason.OK, parser.reset(pkt, 0, pkt.length));
    assertEquals(0xFA17FA17, parser.senderSsrc());
    assertEquals(423483579, parser.mediaSsrc());
    assertEquals(4, parser.baseSequenceNumber());
    assertEquals(7, parser.packetStatusCount());
    assertEquals(1074030, parser.referenceTime());
    assertEquals(1, parser.feedbackPacketCount());
    int[] expectedDeltaUs = {19000, 9000, 9000, 4000, 3000, 3000, 4000};
    long arrivalUs = 1074030L * 64_000;
    for (int i = 0; i < 7; i++) {
      assertTrue(parser.next());
      assertEquals(4 + i, parser.sequenceNumber());
      assertEquals(SMALL, parser.status());
      assertEquals(expectedDeltaUs[i], parser.deltaUs());
      arrivalUs += expectedDeltaUs[i];
      assertEquals(arrivalUs, parser.arrivalTimeUs());
    }
    assertFalse(parser.next());
  }

  @Test
  void pionExample6ClipsTheLastRunAndReadsALargeDelta() {
    byte[] pkt = RtcpFixtures.twccPionExample6();
    List<Status> got = decode(pkt, 0, pkt.length);
    int[] statuses = {SMALL, SMALL, SMALL, SMALL, SMALL, NR, LARGE, NR, NR};
    int[] deltasUs = {38750, 42500, 26500, 42500, 30750, 0, 66250, 0, 0};
    assertEquals(9, got.size());
    for (int i = 0; i < 9; i++) {
      assertEquals(34108 + i, got.get(i).seq());
      assertEquals(statuses[i], got.get(i).status(), "status " + i);
      assertEquals(deltasUs[i], got.get(i).deltaTicks() * 250, "delta " + i);
    }
  }

  @Test
  void wiresharkCaptureDecodes() {
    byte[] pkt = RtcpFixtures.twccWiresharkCapture();
    List<Status> got = decode(pkt, 0, pkt.length);
    int[] deltasMs4 = {28, 12, 44, 56, 0, 4, 0, 8, 24}; // in 250 us ticks: 7, 3, 11, 14, 0, 1, 0, 2, 6 ms
    for (int i = 0; i < 9; i++) {
      assertEquals(1 + i, got.get(i).seq());
      assertEquals(SMALL, got.get(i).status());
      assertEquals(deltasMs4[i], got.get(i).deltaTicks());
    }
  }

  @Test
  void encoderReproducesPionExample4ExceptForPaddingStyle() {
    byte[] pkt = RtcpFixtures.twccPionExample4();
    List<Status> parsed = decode(pkt, 0, pkt.length);
    TransportCcEncoder enc = new TransportCcEncoder(1200);
    enc.reset(0xFA17FA17, 423483579, 1);
    for (Status s : parsed) {
      assertEquals(AddResult.ADDED, enc.add(s.seq(), s.arrivalUs()));
    }
    byte[] out = new byte[64];
    int len = enc.write(out, 0);
    // Same bytes, except that we pad with zeros inside the FCI (as the draft's figure does) where
    // the captured packet used RTCP padding: P bit clear, last byte 0 instead of the count 3.
    byte[] expected = pkt.clone();
    expected[0] = (byte) 0x8F;
    expected[31] = 0;
    assertArrayEquals(expected, slice(out, 0, len));
  }

  @Test
  void draftChunkExamplesDecode() {
    // §3.1.4 example 1 (one-bit vector 0x9F1C) followed by §3.1.3 example 1 (run of 221 losses).
    byte[] pkt = bytes(
        0x8F, 0xCD, 0x00, 0x07, // V=2 P=0 FMT=15 | PT=205 | length=7 -> 32 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender
        0x00, 0x00, 0x00, 0x02, // SSRC of media source
        0xFF, 0xFA, // base sequence number = 65530 (the run crosses the wrap)
        0x00, 0xEB, // packet status count = 14 + 221 = 235
        0xFF, 0xFF, 0xFF, // reference time = -1 (signed 24-bit) = -64 ms
        0x05, // fb pkt. count = 5
        0x9F, 0x1C, // T=1 S=0: 0 1 1 1 1 1 0 0 0 1 1 1 0 0 (14 one-bit symbols)
        0x00, 0xDD, // T=0 S=00: run of 221 not received
        0x01, 0x02, 0x03, 0x04, // recv deltas of the 8 received packets, one byte each
        0x05, 0x06, 0x07, 0x08); // (already on a 32-bit boundary: no padding)
    TransportCcParser parser = new TransportCcParser();
    assertEquals(RtcpDropReason.OK, parser.reset(pkt, 0, pkt.length));
    assertEquals(-1, parser.referenceTime());
    assertEquals(-64_000, parser.referenceTimeUs());
    int[] vector = {0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0};
    int received = 0;
    for (int i = 0; i < 235; i++) {
      assertTrue(parser.next());
      assertEquals((65530 + i) & 0xFFFF, parser.sequenceNumber());
      int expected = i < 14 ? vector[i] : NR;
      assertEquals(expected, parser.status(), "status " + i);
      if (expected == SMALL) {
        received++;
        assertEquals(received, parser.deltaTicks());
      }
    }
    assertEquals(8, received);
    assertFalse(parser.next());
  }

  @Test
  void chunkChoiceIsCompact() {
    TransportCcEncoder enc = new TransportCcEncoder(1200);
    byte[] out = new byte[1200];
    // 100 steady arrivals: one run length chunk.
    enc.reset(1, 2, 0);
    for (int i = 0; i < 100; i++) {
      enc.add(i, 1_000_000 + i * 1000L);
    }
    int len = enc.write(out, 0);
    assertEquals((20 + 2 + 100 + 3) & ~3, len);
    assertEquals(0x2000 | 100, RtcpBytes.u16(out, 20));
    // Alternating received/lost: one-bit vectors of 14.
    enc.reset(1, 2, 0);
    for (int i = 0; i < 28; i += 2) {
      enc.add(i, 1_000_000 + i * 1000L);
    }
    len = enc.write(out, 0);
    assertEquals(27, enc.packetStatusCount());
    assertEquals(0xAAAA, RtcpBytes.u16(out, 20)); // 1 0 1 0 ... (14 symbols)
    assertEquals(0xAAAA, RtcpBytes.u16(out, 22)); // 13 more: 1 0 1 0 ... 1, and one unused 0
    assertEquals(40, len); // 20 + 2 chunks + 14 one-byte deltas, padded to 32 bits
    // A large delta among small ones: a two-bit vector.
    enc.reset(1, 2, 0);
    enc.add(0, 1_000_000);
    enc.add(1, 1_000_000 + 100_000); // 100 ms later: large
    enc.add(3, 1_000_000 + 101_000);
    len = enc.write(out, 0);
    assertEquals(0xC000 | (SMALL << 12) | (LARGE << 10) | (NR << 8) | (SMALL << 6), RtcpBytes.u16(out, 20));
    List<Status> got = decode(out, 0, len);
    assertEquals(4, got.size());
    assertEquals(400, got.get(1).deltaTicks());
  }

  @Test
  void sequenceWraparoundIsContinuous() {
    TransportCcEncoder enc = new TransportCcEncoder(1200);
    enc.reset(1, 2, 0);
    for (int i = 0; i < 20; i++) {
      assertEquals(AddResult.ADDED, enc.add((65525 + i) & 0xFFFF, 5_000_000 + i * 5000L));
    }
    assertEquals(AddResult.NOT_IN_ORDER, enc.add(65530, 6_000_000)); // older: before the wrap
    assertEquals(AddResult.NOT_IN_ORDER, enc.add(8, 6_000_000)); // duplicate of the last one
    byte[] out = new byte[1200];
    List<Status> got = decode(out, 0, enc.write(out, 0));
    assertEquals(20, got.size());
    for (int i = 0; i < 20; i++) {
      assertEquals((65525 + i) & 0xFFFF, got.get(i).seq());
      assertEquals(5_000_000 + i * 5000L, got.get(i).arrivalUs());
    }
  }

  @Test
  void largeSequenceGapsBecomeRunsOfLosses() {
    TransportCcEncoder enc = new TransportCcEncoder(1200);
    enc.reset(1, 2, 0);
    assertEquals(AddResult.ADDED, enc.add(100, 1_000_000));
    assertEquals(AddResult.ADDED, enc.add(100 + 30_000, 1_020_000));
    assertEquals(30_001, enc.packetStatusCount());
    byte[] out = new byte[1200];
    int len = enc.write(out, 0);
    assertTrue(len <= 20 + 2 * 6 + 2 + 4, "30000 losses fit in a few run length chunks, got " + len);
    List<Status> got = decode(out, 0, len);
    assertEquals(30_001, got.size());
    assertEquals(SMALL, got.get(0).status());
    for (int i = 1; i < 30_000; i++) {
      assertEquals(NR, got.get(i).status());
    }
    assertEquals(SMALL, got.get(30_000).status());
    assertEquals(1_020_000, got.get(30_000).arrivalUs());
    // Statuses so far cover 100..30100. A gap that would take the count past 65535 ends the feedback.
    assertEquals(AddResult.ADDED, enc.add(30_101 + 32_000, 1_030_000)); // count 62002
    assertEquals(AddResult.PACKET_FULL, enc.add(62_102 + 3533, 1_040_000)); // would be 65536
    assertEquals(AddResult.ADDED, enc.add(62_102 + 3532, 1_040_000)); // exactly 65535, seq wraps to 98
    assertEquals(65_535, enc.packetStatusCount());
    assertEquals(65_535, decode(out, 0, enc.write(out, 0)).size());
  }

  @Test
  void deltaOutOfRangeStartsANewFeedback() {
    TransportCcEncoder enc = new TransportCcEncoder(1200);
    enc.reset(1, 2, 7);
    assertEquals(AddResult.ADDED, enc.add(10, 50_000_000));
    // +8191.75 ms is the largest delta; 8192 ms is one tick too far, as is going backwards 8192.25 ms.
    assertEquals(AddResult.ADDED, enc.add(11, 50_000_000 + 8_191_750));
    assertEquals(AddResult.DELTA_OUT_OF_RANGE, enc.add(12, 50_000_000 + 8_191_750 + 8_192_000));
    assertEquals(AddResult.DELTA_OUT_OF_RANGE, enc.add(12, 50_000_000 + 8_191_750 - 8_192_250));
    assertEquals(AddResult.ADDED, enc.add(12, 50_000_000 + 8_191_750 - 8_192_000));
    byte[] out = new byte[1200];
    List<Status> first = decode(out, 0, enc.write(out, 0));
    assertEquals(3, first.size());
    assertEquals(32_767, first.get(1).deltaTicks());
    assertEquals(-32_768, first.get(2).deltaTicks());
    // The rejected add left no trace; the caller starts the next feedback with it.
    assertEquals(AddResult.DELTA_OUT_OF_RANGE, enc.add(13, 80_000_000));
    enc.reset(1, 2, 8);
    assertEquals(AddResult.ADDED, enc.add(13, 80_000_000));
    List<Status> second = decode(out, 0, enc.write(out, 0));
    assertEquals(1, second.size());
    assertEquals(13, second.get(0).seq());
    assertEquals(80_000_000, second.get(0).arrivalUs());
  }

  @Test
  void packetFullRespectsTheSizeLimit() {
    TransportCcEncoder enc = new TransportCcEncoder(64);
    enc.reset(1, 2, 0);
    int added = 0;
    SplittableRandom random = new SplittableRandom(3);
    long t = 0;
    while (true) {
      t += 70_000 + random.nextInt(1000); // large deltas: two bytes each
      AddResult r = enc.add(added, t);
      if (r != AddResult.ADDED) {
        assertEquals(AddResult.PACKET_FULL, r);
        break;
      }
      added++;
    }
    byte[] out = new byte[64];
    int len = enc.write(out, 0);
    assertTrue(len <= 64);
    assertEquals(added, decode(out, 0, len).size());
  }

  @Test
  void hugeStatusCountIsBoundedByThePacket() {
    // 24 bytes claiming 65535 statuses with one chunk: rejected after reading one chunk.
    byte[] shortPkt = bytes(
        0x8F, 0xCD, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, // header, SSRCs
        0x00, 0x00, 0xFF, 0xFF, // base 0, status count 65535
        0x00, 0x00, 0x00, 0x00, // reference time 0, fb count 0
        0x00, 0x10, 0x00, 0x00); // run of 16 losses, then a zero-length run
    assertEquals(RtcpDropReason.TWCC_CHUNKS_TRUNCATED, TransportCcParser.validate(shortPkt, 0, shortPkt.length));
    // 40 bytes covering 65535 statuses legitimately: 8 runs of 8191 losses plus a run of 7.
    byte[] runs = new byte[40];
    System.arraycopy(shortPkt, 0, runs, 0, 20);
    RtcpHeader.write(runs, 0, RtcpFeedback.FMT_TWCC, RtcpHeader.PT_RTPFB, 40);
    for (int i = 0; i < 8; i++) {
      RtcpBytes.put16(runs, 20 + 2 * i, 0x1FFF);
    }
    RtcpBytes.put16(runs, 36, 0x0007);
    List<Status> got = decode(runs, 0, runs.length);
    assertEquals(65_535, got.size());
    assertEquals(65_534, got.get(65_534).seq());
    // Reserved symbol 3 in a run, and deltas missing.
    RtcpBytes.put16(runs, 36, 0x6007);
    assertEquals(RtcpDropReason.TWCC_RESERVED_SYMBOL, TransportCcParser.validate(runs, 0, runs.length));
    RtcpBytes.put16(runs, 36, 0x2007);
    assertEquals(RtcpDropReason.TWCC_DELTAS_TRUNCATED, TransportCcParser.validate(runs, 0, runs.length));
  }

  @Test
  void randomArrivalPatternsRoundTrip() {
    SplittableRandom random = new SplittableRandom(0x54574343L);
    TransportCcEncoder enc = new TransportCcEncoder(1200);
    TransportCcParser parser = new TransportCcParser();
    byte[] out = new byte[1200];
    int[] seqs = new int[3000];
    long[] arrivals = new long[3000];
    for (int round = 0; round < 400; round++) {
      int n = 1 + random.nextInt(round % 20 == 0 ? 3000 : 300);
      int seq = round % 3 == 0 ? 65_536 - random.nextInt(200) : random.nextInt(65_536);
      long base = random.nextLong(1L << 36); // under 2^23 x 64 ms, so the 24-bit reference does not wrap
      long now = base;
      double lossRate = random.nextDouble() * 0.5;
      for (int i = 0; i < n; i++) {
        seqs[i] = seq & 0xFFFF;
        // Mostly ascending arrivals with jitter; some reordering (negative deltas), some stalls.
        int pick = random.nextInt(100);
        long step = pick < 70 ? random.nextInt(20_000) : pick < 85 ? -random.nextInt(30_000)
            : pick < 98 ? 64_000 + random.nextInt(2_000_000) : 8_000_000 + random.nextInt(1_000_000);
        now += step;
        arrivals[i] = random.nextDouble() < lossRate ? TransportCcEncoder.NOT_RECEIVED : now;
        seq += 1 + (random.nextInt(50) == 0 ? random.nextInt(round % 5 == 0 ? 20_000 : 40) : 0);
      }
      // Feed; whenever a feedback ends, check it against the input it covers.
      int fb = 0;
      int start = 0;
      enc.reset(7, 9, fb);
      for (int i = 0; i <= n; i++) {
        AddResult r = i < n ? enc.add(seqs[i], arrivals[i]) : null;
        if (r == AddResult.ADDED) {
          continue;
        }
        assertTrue(r == null || r == AddResult.PACKET_FULL || r == AddResult.DELTA_OUT_OF_RANGE, String.valueOf(r));
        int len = enc.write(out, 0);
        assertTrue(len <= 1200);
        assertEquals(RtcpDropReason.OK, parser.reset(out, 0, len), "round " + round);
        assertEquals(fb & 0xFF, parser.feedbackPacketCount());
        int k = start;
        while (parser.next()) {
          if (parser.sequenceNumber() != seqs[k]) {
            assertEquals(NR, parser.status(), "skipped sequence numbers are losses");
            continue;
          }
          if (arrivals[k] == TransportCcEncoder.NOT_RECEIVED) {
            assertEquals(NR, parser.status());
          } else {
            assertTrue(parser.received(), "round " + round + " seq " + seqs[k]);
            long error = parser.arrivalTimeUs() - arrivals[k];
            assertTrue(error > -125 && error <= 125, "arrival error " + error + " us");
          }
          k++;
        }
        assertEquals(i, k, "every added packet is in the feedback, round " + round);
        if (i == n) {
          break;
        }
        fb++;
        start = i;
        enc.reset(7, 9, fb);
        assertEquals(AddResult.ADDED, enc.add(seqs[i], arrivals[i]), "a fresh feedback takes any packet");
      }
    }
  }

  @Test
  void parseBuildParseKeepsEveryStatus() {
    for (byte[] pkt : new byte[][] {
      RtcpFixtures.twccPionExample4(), RtcpFixtures.twccPionExample6(), RtcpFixtures.twccWiresharkCapture()
    }) {
      List<Status> first = decode(pkt, 0, pkt.length);
      TransportCcParser parser = new TransportCcParser();
      parser.reset(pkt, 0, pkt.length);
      TransportCcEncoder enc = new TransportCcEncoder(1200);
      enc.reset(parser.senderSsrc(), parser.mediaSsrc(), parser.feedbackPacketCount());
      for (Status s : first) {
        assertEquals(AddResult.ADDED,
            enc.add(s.seq(), s.status() == NR ? TransportCcEncoder.NOT_RECEIVED : s.arrivalUs()));
      }
      byte[] out = new byte[1200];
      int len = enc.write(out, 0);
      assertEquals(first, decode(out, 0, len));
      parser.reset(out, 0, len);
      assertEquals(RtcpFeedback.senderSsrc(pkt, 0), parser.senderSsrc());
      assertEquals(RtcpBytes.s24(pkt, 16), parser.referenceTime());
    }
  }
}
