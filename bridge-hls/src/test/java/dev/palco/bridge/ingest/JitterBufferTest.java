package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reordering, loss, duplicates and wrap-around in the jitter buffer, with VP8 and Opus framing. */
class JitterBufferTest {
  private static final int PT = 96;
  private static final long SSRC = 0xABCD_0001L;
  private static final long WAIT_US = 100_000;

  /** One frame's packets as RTP. */
  private static List<byte[]> frame(int firstSeq, long ts, byte[] vp8Frame, int pictureId, int maxPayload) {
    List<byte[]> payloads = TestPacketizer.vp8(vp8Frame, pictureId, maxPayload);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      out.add(TestPacketizer.rtp(PT, firstSeq + i, ts, SSRC, i == payloads.size() - 1, payloads.get(i)));
    }
    return out;
  }

  private static JitterBuffer vp8Buffer(int capacity) {
    return new JitterBuffer(capacity, WAIT_US, false, new Vp8Depacketizer(), 0);
  }

  private static IngestDropReason insert(JitterBuffer jb, byte[] p, long nowUs) {
    return jb.insert(p, 0, p.length, SSRC, 0, nowUs);
  }

  private static byte[] bytes(EncodedFrame f) {
    return Arrays.copyOf(f.data(), f.length());
  }

  @Test
  void reordersPacketsWithinAFrame() {
    JitterBuffer jb = vp8Buffer(64);
    byte[] key = TestPacketizer.fakeVp8Frame(true, 3000, 1);
    List<byte[]> packets = frame(100, 9000, key, 1, 1000);
    assertEquals(4, packets.size());
    EncodedFrame out = new EncodedFrame();
    for (int i : new int[] {2, 0, 3}) {
      assertEquals(IngestDropReason.OK, insert(jb, packets.get(i), 0));
      assertFalse(jb.poll(0, out), "incomplete until packet 1 comes");
    }
    insert(jb, packets.get(1), 10);
    assertTrue(jb.poll(10, out));
    assertArrayEquals(key, bytes(out));
    assertTrue(out.keyframe());
    assertEquals(9000, out.rtpTimestamp());
    assertFalse(jb.takeLoss());
  }

  @Test
  void framesComeOutInOrderWhenFramesArriveReordered() {
    JitterBuffer jb = vp8Buffer(64);
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 2000, 1), 1, 1200); // 10..11
    List<byte[]> f2 = frame(12, 6000, TestPacketizer.fakeVp8Frame(false, 500, 2), 2, 1200); // 12
    EncodedFrame out = new EncodedFrame();
    insert(jb, f1.get(0), 0);
    insert(jb, f2.get(0), 0);
    assertFalse(jb.poll(0, out), "the first frame is not whole, and the second waits behind it");
    insert(jb, f1.get(1), 1);
    assertTrue(jb.poll(1, out));
    assertEquals(3000, out.rtpTimestamp());
    assertTrue(jb.poll(1, out));
    assertEquals(6000, out.rtpTimestamp());
    assertFalse(out.keyframe());
  }

  @Test
  void packetsOlderThanTheFirstOneAreTakenUntilSomethingIsPlayedOut() {
    JitterBuffer jb = vp8Buffer(64);
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 2000, 1), 1, 1200); // 10..11
    EncodedFrame out = new EncodedFrame();
    insert(jb, f1.get(1), 0);
    assertFalse(jb.poll(0, out));
    assertEquals(IngestDropReason.OK, insert(jb, f1.get(0), 1));
    assertTrue(jb.poll(1, out));
    assertEquals(3000, out.rtpTimestamp());
  }

  @Test
  void duplicatesAndLatePacketsAreDropped() {
    JitterBuffer jb = vp8Buffer(64);
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 2000, 1), 1, 1200);
    EncodedFrame out = new EncodedFrame();
    insert(jb, f1.get(0), 0);
    assertEquals(IngestDropReason.DUPLICATE, insert(jb, f1.get(0), 0));
    insert(jb, f1.get(1), 0);
    assertTrue(jb.poll(0, out));
    assertEquals(IngestDropReason.TOO_LATE, insert(jb, f1.get(1), 0));
    assertEquals(1, jb.drops(IngestDropReason.DUPLICATE));
    assertEquals(1, jb.drops(IngestDropReason.TOO_LATE));
  }

  @Test
  void aFrameMissingAPacketIsDroppedAfterTheWaitAndTheNextFrameFollows() {
    JitterBuffer jb = vp8Buffer(64);
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 3000, 1), 1, 1000);  // 10..13
    List<byte[]> f2 = frame(14, 6000, TestPacketizer.fakeVp8Frame(false, 1500, 2), 2, 1000); // 14..15
    EncodedFrame out = new EncodedFrame();
    for (int i = 0; i < f1.size(); i++) {
      if (i != 2) {
        insert(jb, f1.get(i), 0);
      }
    }
    for (byte[] p : f2) {
      insert(jb, p, 1000);
    }
    assertFalse(jb.poll(WAIT_US - 1, out), "still waiting for seq 12");
    assertTrue(jb.poll(WAIT_US, out), "gave seq 12 up; the next frame is whole");
    assertEquals(6000, out.rtpTimestamp());
    assertTrue(jb.takeLoss());
    assertEquals(1, jb.drops(IngestDropReason.INCOMPLETE_FRAME));
    assertEquals(1, jb.drops(IngestDropReason.LOST));
    // Its late packet is refused.
    assertEquals(IngestDropReason.TOO_LATE, insert(jb, f1.get(2), WAIT_US));
  }

  @Test
  void aLostFirstPacketMakesTheRestOfItsFrameWaitForTheNextFrameStart() {
    JitterBuffer jb = vp8Buffer(64);
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 500, 1), 1, 1200);  // 10
    List<byte[]> f2 = frame(11, 6000, TestPacketizer.fakeVp8Frame(false, 2000, 2), 2, 1200); // 11..12
    List<byte[]> f3 = frame(13, 9000, TestPacketizer.fakeVp8Frame(false, 500, 3), 3, 1200); // 13
    EncodedFrame out = new EncodedFrame();
    insert(jb, f1.get(0), 0);
    assertTrue(jb.poll(0, out));
    insert(jb, f2.get(1), 0); // 11 lost
    insert(jb, f3.get(0), 0);
    assertFalse(jb.poll(WAIT_US - 1, out));
    assertTrue(jb.poll(WAIT_US, out));
    assertEquals(9000, out.rtpTimestamp());
    assertEquals(1, jb.drops(IngestDropReason.LOST));
    assertEquals(1, jb.drops(IngestDropReason.BROKEN_FRAME_PACKET), "seq 12 is not a frame start");
    assertTrue(jb.takeLoss());
  }

  @Test
  void aFrameWithoutItsMarkerEndsWhereTheNextTimestampBegins() {
    JitterBuffer jb = vp8Buffer(64);
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 500, 1), 1, 1200);
    byte[] noMarker = f1.get(0).clone();
    noMarker[1] &= 0x7F;
    List<byte[]> f2 = frame(11, 6000, TestPacketizer.fakeVp8Frame(false, 500, 2), 2, 1200);
    EncodedFrame out = new EncodedFrame();
    insert(jb, noMarker, 0);
    assertFalse(jb.poll(0, out));
    insert(jb, f2.get(0), 0);
    assertTrue(jb.poll(0, out));
    assertEquals(3000, out.rtpTimestamp());
    assertTrue(jb.poll(0, out));
    assertEquals(6000, out.rtpTimestamp());
  }

  @Test
  void sequenceNumbersWrapAround() {
    JitterBuffer jb = vp8Buffer(64);
    EncodedFrame out = new EncodedFrame();
    int seq = 65533;
    List<Long> timestamps = new ArrayList<>();
    List<byte[]> all = new ArrayList<>();
    for (int f = 0; f < 4; f++) {
      List<byte[]> pk = frame(seq, 3000L * (f + 1), TestPacketizer.fakeVp8Frame(f == 0, 1800, f), f, 1000);
      seq += pk.size();
      all.addAll(pk);
    }
    // 65533, 65534, 65535, 0, 1, ... delivered in pairs swapped.
    for (int i = 0; i + 1 < all.size(); i += 2) {
      insert(jb, all.get(i + 1), 0);
      insert(jb, all.get(i), 0);
    }
    if (all.size() % 2 == 1) {
      insert(jb, all.get(all.size() - 1), 0);
    }
    while (jb.poll(0, out)) {
      timestamps.add(out.rtpTimestamp());
    }
    assertEquals(List.of(3000L, 6000L, 9000L, 12000L), timestamps);
    assertFalse(jb.takeLoss());
  }

  @Test
  void timestampsWrapAroundAndAreUnwrapped() {
    JitterBuffer jb = vp8Buffer(64);
    EncodedFrame out = new EncodedFrame();
    long ts = 0xFFFF_FFFFL - 3000L * 2 + 1; // two frames before the wrap
    List<Long> got = new ArrayList<>();
    for (int f = 0; f < 5; f++) {
      for (byte[] p : frame(1000 + f, (ts + 3000L * f) & 0xFFFF_FFFFL,
          TestPacketizer.fakeVp8Frame(f == 0, 400, f), f, 1200)) {
        insert(jb, p, 0);
      }
      while (jb.poll(0, out)) {
        got.add(out.rtpTimestamp());
      }
    }
    assertEquals(5, got.size());
    for (int i = 1; i < got.size(); i++) {
      assertEquals(3000, got.get(i) - got.get(i - 1), "monotonic across the 32-bit wrap: " + got);
    }
  }

  @Test
  void aJumpBeyondTheWindowFlushesWhatIsHeld() {
    JitterBuffer jb = vp8Buffer(16);
    EncodedFrame out = new EncodedFrame();
    List<byte[]> f1 = frame(10, 3000, TestPacketizer.fakeVp8Frame(true, 2000, 1), 1, 1200);
    insert(jb, f1.get(1), 0); // first packet missing: held
    List<byte[]> far = frame(10 + 40, 90_000, TestPacketizer.fakeVp8Frame(true, 500, 2), 2, 1200);
    insert(jb, far.get(0), 0);
    assertEquals(1, jb.drops(IngestDropReason.BUFFER_OVERFLOW));
    assertTrue(jb.poll(0, out));
    assertEquals(90_000, out.rtpTimestamp() & 0xFFFF_FFFFL);
    assertTrue(jb.takeLoss());
  }

  @Test
  void opusPacketsAreFramesAndALossIsSkippedAfterTheWait() {
    JitterBuffer jb = new JitterBuffer(64, 40_000, true, new OpusDepacketizer(), 0);
    EncodedFrame out = new EncodedFrame();
    byte[] opus = {(byte) 0x78, 1, 2, 3, 4}; // TOC config 15 (CELT? no: SILK WB 20 ms), code 0, one frame
    insert(jb, TestPacketizer.rtp(111, 1, 960, SSRC, false, opus), 0);
    insert(jb, TestPacketizer.rtp(111, 3, 2880, SSRC, false, opus), 0);
    assertTrue(jb.poll(0, out));
    assertEquals(960, out.rtpTimestamp());
    assertFalse(jb.poll(39_999, out));
    assertTrue(jb.poll(40_000, out));
    assertEquals(2880, out.rtpTimestamp());
    assertEquals(1, jb.drops(IngestDropReason.LOST));
    assertFalse(jb.takeLoss(), "audio needs no keyframe");
  }

  @Test
  void malformedRtpAndPaddingAreCounted() {
    JitterBuffer jb = vp8Buffer(16);
    assertEquals(IngestDropReason.MALFORMED_RTP, jb.insert(new byte[] {1, 2, 3}, 0, 3, SSRC, 0, 0));
    byte[] empty = TestPacketizer.rtp(PT, 1, 0, SSRC, true, new byte[0]);
    assertEquals(IngestDropReason.EMPTY_PAYLOAD, insert(jb, empty, 0));
  }

  /** abs-capture-time on a frame's first packet: Unix µs, with the estimated clock offset applied. */
  @Test
  void absCaptureTimeIsReadFromTheFirstPacket() {
    int id = 5;
    JitterBuffer jb = new JitterBuffer(16, WAIT_US, false, new Vp8Depacketizer(), id);
    List<byte[]> f = frame(1, 3000, TestPacketizer.fakeVp8Frame(true, 300, 1), 1, 1200);
    byte[] p = Arrays.copyOf(f.get(0), f.get(0).length + 64);
    byte[] value = new byte[16];
    long captureUs = 1_700_000_000_123_456L;
    // 1.5 s of estimated offset from the capture clock to the sender's, as signed Q32.32.
    int n = dev.palco.rtp.AbsCaptureTimeExtension.write(value, 0, TestStagePublisher.ntp64(captureUs), 3L << 31);
    int len = dev.palco.rtp.RtpHeaderExtensions.add(p, 0, f.get(0).length, p.length, id, value, 0, n);
    EncodedFrame out = new EncodedFrame();
    assertEquals(IngestDropReason.OK, jb.insert(p, 0, len, SSRC, 0, 0));
    assertTrue(jb.poll(0, out));
    assertTrue(Math.abs(out.absCaptureUs - (captureUs + 1_500_000)) <= 1, out.absCaptureUs + " vs " + captureUs);

    JitterBuffer without = vp8Buffer(16);
    insert(without, f.get(0), 0);
    assertTrue(without.poll(0, out));
    assertEquals(EncodedFrame.NO_CAPTURE_TIME, out.absCaptureUs);
  }

  /** One offset per participant: the smallest arrival − capture; capture times never after arrival. */
  @Test
  void captureClockKeepsTheQuickestTrip() {
    CaptureClock c = new CaptureClock();
    long skew = 7_000_000;
    assertEquals(1_000_000 + 20_000, c.toLocal(1_000_000 + skew, 1_000_000 + 20_000)); // first: 20 ms trip
    assertEquals(1_040_000 + 20_000 - 5_000, c.toLocal(1_040_000 + skew, 1_040_000 + 15_000)); // quicker: 15 ms
    assertEquals(1_080_000 + 15_000, c.toLocal(1_080_000 + skew, 1_080_000 + 90_000), "a slow packet moves nothing");
  }
}
