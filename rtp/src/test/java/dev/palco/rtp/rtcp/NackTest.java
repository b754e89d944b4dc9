package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Generic NACK (RFC 4585 §6.2.1): fixture, wraparound, multi-FCI gaps, randomised loss patterns. */
class NackTest {

  /** Collects reported sequence numbers into a caller array without boxing. */
  private static final class Collector implements NackSequenceConsumer {
    final int[] seqs = new int[70_000];
    int count;

    @Override
    public void onLostSequence(int seq) {
      seqs[count++] = seq;
    }
  }

  private static int[] lostOf(byte[] buf, int off, int len) {
    assertEquals(RtcpDropReason.OK, NackParser.validate(buf, off, len));
    Collector c = new Collector();
    int n = NackParser.forEachLost(buf, off, len, c);
    assertEquals(n, c.count);
    assertEquals(n, NackParser.lostCount(buf, off, len));
    int[] copied = new int[n];
    assertEquals(n, NackParser.copyLost(buf, off, len, copied, 0, n));
    assertArrayEquals(Arrays.copyOf(c.seqs, n), copied);
    return copied;
  }

  @Test
  void fixtureReportsEveryLostSequence() {
    byte[] nack = RtcpFixtures.nack();
    assertEquals(1, RtcpFeedback.senderSsrc(nack, 0));
    assertEquals(0x11223344, RtcpFeedback.mediaSsrc(nack, 0));
    assertEquals(2, NackParser.fciCount(nack, 0, nack.length));
    assertArrayEquals(new int[] {1000, 1001, 1003, 65535, 0, 15}, lostOf(nack, 0, nack.length));
  }

  @Test
  void fixtureRoundTrip() {
    byte[] nack = RtcpFixtures.nack();
    int[] lost = lostOf(nack, 0, nack.length);
    byte[] out = new byte[64];
    int len = NackEncoder.write(out, 0, 1, 0x11223344, lost, 0, lost.length);
    assertArrayEquals(nack, slice(out, 0, len));
  }

  @Test
  void wrapFrom65530To5FitsOneEntry() {
    int[] lost = {65530, 65531, 65533, 65535, 0, 2, 5};
    byte[] out = new byte[64];
    int len = NackEncoder.write(out, 0, 1, 2, lost, 0, lost.length);
    assertEquals(16, len); // one FCI: 5 is 11 after 65530
    assertEquals(65530, NackParser.pid(out, 0, 0));
    // distances 1, 3, 5, 6, 8, 11 -> BLP bits 0, 2, 4, 5, 7, 10
    assertEquals(0b0000_0100_1011_0101, NackParser.blp(out, 0, 0));
    assertArrayEquals(lost, lostOf(out, 0, len));
  }

  @Test
  void gapsWiderThan16NeedMoreEntries() {
    int[] lost = {100, 116, 117, 200, 65535, 15, 16};
    byte[] out = new byte[64];
    int len = NackEncoder.write(out, 0, 1, 2, lost, 0, lost.length);
    // 100 (+116 at distance 16), 117, 200, 65535 (+15 at distance 16), 16
    assertEquals(5, NackParser.fciCount(out, 0, len));
    assertEquals(5, NackEncoder.fciCount(lost, 0, lost.length));
    assertEquals(new TreeSet<>(Arrays.asList(100, 116, 117, 200, 65535, 15, 16)), asSet(lostOf(out, 0, len)));
  }

  @Test
  void unsortedAndDuplicateInputStillReportsEverySequence() {
    int[] lost = {500, 10, 500, 11, 9, 65535, 10};
    byte[] out = new byte[128];
    int len = NackEncoder.write(out, 0, 1, 2, lost, 0, lost.length);
    assertEquals(asSet(lost), asSet(lostOf(out, 0, len)));
  }

  @Test
  void copyLostStopsAtCapacity() {
    byte[] nack = RtcpFixtures.nack();
    int[] out = {-1, -1, -1, -1};
    assertEquals(2, NackParser.copyLost(nack, 0, nack.length, out, 1, 2));
    assertArrayEquals(new int[] {-1, 1000, 1001, -1}, out);
  }

  @Test
  void nackWithoutFciIsDropped() {
    byte[] out = new byte[12];
    RtcpFeedback.writeHeader(out, 0, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_NACK, 12, 1, 2);
    assertEquals(RtcpDropReason.BAD_FCI_LENGTH, NackParser.validate(out, 0, 12));
  }

  @Test
  void randomisedLossPatternsRoundTripExactly() {
    SplittableRandom random = new SplittableRandom(0x4E41434BL);
    int[] lost = new int[4096];
    byte[] out = new byte[RtcpFeedback.FCI_OFFSET_BYTES + 4 * lost.length];
    for (int round = 0; round < 2000; round++) {
      int start = random.nextInt(65536);
      int count = 1 + random.nextInt(round % 10 == 0 ? 4096 : 64);
      // Ascending wrap-aware list with random gaps, sometimes wide, sometimes dense.
      int maxGap = switch (round % 4) {
        case 0 -> 2;
        case 1 -> 17;
        case 2 -> 40;
        default -> 300;
      };
      int seq = start;
      TreeSet<Integer> expected = new TreeSet<>();
      int n = 0;
      for (int i = 0; i < count; i++) {
        if (expected.contains(seq)) {
          break; // the list came all the way round
        }
        lost[n++] = seq;
        expected.add(seq);
        seq = (seq + 1 + random.nextInt(maxGap)) & 0xFFFF;
      }
      int len = NackEncoder.write(out, 0, 1, 2, lost, 0, n);
      assertEquals(NackEncoder.sizeBytes(lost, 0, n), len);
      int[] back = lostOf(out, 0, len);
      assertEquals(n, back.length, "no duplicates for an ascending list");
      assertEquals(expected, asSet(back), "round " + round);
      if (round % 2 == 1) {
        // Parse -> build -> parse keeps the bytes when the parsed order is fed back.
        byte[] again = new byte[len];
        assertEquals(len, NackEncoder.write(again, 0, 1, 2, back, 0, back.length));
        assertArrayEquals(slice(out, 0, len), again);
      }
    }
  }

  private static TreeSet<Integer> asSet(int[] values) {
    TreeSet<Integer> set = new TreeSet<>();
    for (int v : values) {
      set.add(v);
    }
    return set;
  }
}
