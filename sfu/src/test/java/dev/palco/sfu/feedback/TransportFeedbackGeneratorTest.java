package dev.palco.sfu.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.TransportCcParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportFeedbackGeneratorTest {
  private static final int SENDER_SSRC = 0x5AFE0001;
  private static final long MEDIA_SSRC = 0xCAFEBABEL;

  /** One status of a parsed feedback: the sequence number and the arrival (or -1: lost). */
  record Status(int seq, long arrivalUs) {}

  private final byte[] buf = new byte[1500];

  /** Writes every packet due now and returns their statuses, in order. */
  private List<Status> collect(TransportFeedbackGenerator g, long nowMs) {
    List<Status> out = new ArrayList<>();
    TransportCcParser parser = new TransportCcParser();
    int n;
    while ((n = g.write(nowMs, SENDER_SSRC, buf, 7)) > 0) {
      assertEquals(RtcpDropReason.OK, parser.reset(buf, 7, n));
      assertEquals(SENDER_SSRC, parser.senderSsrc());
      assertEquals((int) MEDIA_SSRC, parser.mediaSsrc());
      while (parser.next()) {
        out.add(new Status(parser.sequenceNumber(), parser.received() ? parser.arrivalTimeUs() : -1));
      }
    }
    return out;
  }

  @Test
  void reportsEachArrivalOnceWithLossesAsNotReceived() {
    TransportFeedbackGenerator g = new TransportFeedbackGenerator(50);
    long t0 = 10_000_000;
    g.onPacket(100, MEDIA_SSRC, t0);
    g.onPacket(101, MEDIA_SSRC, t0 + 1_000);
    g.onPacket(103, MEDIA_SSRC, t0 + 3_250);
    g.onPacket(102, MEDIA_SSRC, t0 + 3_500); // reordered, inside the window: reported as received
    g.onPacket(105, MEDIA_SSRC, t0 + 9_000);
    assertTrue(g.isDue(0));
    List<Status> first = collect(g, 0);
    assertEquals(6, first.size(), first.toString());
    assertEquals(new Status(104, -1), first.get(4));
    for (Status s : List.of(first.get(0), first.get(1), first.get(2), first.get(3), first.get(5))) {
      assertTrue(s.arrivalUs() >= 0, s.toString());
    }
    // Arrival deltas survive the 250 µs grid.
    assertEquals(1_000, first.get(1).arrivalUs() - first.get(0).arrivalUs());
    assertEquals(9_000, first.get(5).arrivalUs() - first.get(0).arrivalUs());
    assertFalse(g.isDue(10), "nothing new");

    g.onPacket(104, MEDIA_SSRC, t0 + 12_000); // after the feedback that reported it lost
    g.onPacket(106, MEDIA_SSRC, t0 + 13_000);
    assertFalse(g.isDue(40), "the interval has not passed");
    assertEquals(List.of(), collect(g, 40));
    List<Status> second = collect(g, 50);
    assertEquals(1, second.size());
    assertEquals(106, second.get(0).seq());
    assertEquals(1, g.lateArrivals());
    assertEquals(2, g.feedbacksSent());
  }

  @Test
  void followsTheSequenceAcrossItsWrap() {
    TransportFeedbackGenerator g = new TransportFeedbackGenerator(50);
    for (int i = 0; i < 10; i++) {
      g.onPacket((65530 + i) & 0xFFFF, MEDIA_SSRC, 1_000_000 + i * 500L);
    }
    List<Status> statuses = collect(g, 0);
    assertEquals(10, statuses.size());
    for (int i = 0; i < 10; i++) {
      assertEquals((65530 + i) & 0xFFFF, statuses.get(i).seq());
      assertTrue(statuses.get(i).arrivalUs() >= 0);
    }
  }

  @Test
  void aLongStretchIsSplitOverSeveralPacketsWithNothingLeftOut() {
    TransportFeedbackGenerator g = new TransportFeedbackGenerator(50);
    // Alternating loss costs a two-bit chunk per 7 statuses and a delta byte per arrival:
    // 4000 statuses do not fit in one packet.
    for (int i = 0; i < 4000; i += 2) {
      g.onPacket(i, MEDIA_SSRC, 5_000_000 + i * 250L);
    }
    g.onPacket(4000, MEDIA_SSRC, 5_000_000 + 4000 * 250L);
    List<Status> statuses = collect(g, 0);
    assertTrue(g.feedbacksSent() > 1, "split: " + g.feedbacksSent());
    assertEquals(4001, statuses.size());
    for (int i = 0; i <= 4000; i++) {
      assertEquals(i, statuses.get(i).seq());
      assertEquals(i % 2 == 0, statuses.get(i).arrivalUs() >= 0, "status of " + i);
    }
  }

  @Test
  void aJumpBeyondTheWindowStartsAfreshInsteadOfReportingThousandsLost() {
    TransportFeedbackGenerator g = new TransportFeedbackGenerator(50);
    g.onPacket(10, MEDIA_SSRC, 1_000_000);
    collect(g, 0);
    g.onPacket(30_000, MEDIA_SSRC, 1_020_000); // a restarted sender
    g.onPacket(30_001, MEDIA_SSRC, 1_021_000);
    List<Status> statuses = collect(g, 100);
    assertEquals(List.of(30_000, 30_001), statuses.stream().map(Status::seq).toList());
    assertEquals(1, g.resets());
  }

  @Test
  void aDuplicateKeepsItsFirstArrival() {
    TransportFeedbackGenerator g = new TransportFeedbackGenerator(50);
    g.onPacket(1, MEDIA_SSRC, 2_000_000);
    g.onPacket(2, MEDIA_SSRC, 2_001_000);
    g.onPacket(2, MEDIA_SSRC, 2_005_000);
    List<Status> statuses = collect(g, 0);
    assertEquals(2, statuses.size());
    assertEquals(1_000, statuses.get(1).arrivalUs() - statuses.get(0).arrivalUs());
  }
}
