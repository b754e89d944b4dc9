package dev.palco.loadtest.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.TransportCcParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The load subscriber's transport-cc feedback parses back, with the SFU's {@link
 * TransportCcParser}, to the transport-wide numbers and arrival times it received.
 */
class TransportCcReporterTest {
  private static final int EXTENSION_ID = 3;
  private static final long SSRC = 0x1234_5678L;
  private static final long INTERVAL_MS = 50;
  /** A whole number of the feedback's 64 ms reference-time units, so arrivals encode exactly. */
  private static final long T0_US = 64_000L * 1_000_000L;

  /** An RTP packet at {@code off} carrying {@code transportSeq} under {@link #EXTENSION_ID}. */
  private static int packet(byte[] buf, int off, int rtpSeq, int transportSeq) {
    int len = RtpPacket.writeFixedHeader(buf, off, false, 96, rtpSeq, 90_000L, SSRC);
    byte[] value = new byte[TransportCcExtension.DATA_SIZE_BYTES];
    TransportCcExtension.write(value, 0, transportSeq);
    len = RtpHeaderExtensions.add(buf, off, len, buf.length - off, EXTENSION_ID, value, 0, value.length);
    assertTrue(len > 0);
    return len;
  }

  private record Report(int seq, boolean received, long arrivalUs) {}

  private static List<Report> parse(byte[] buf, int off, int len) {
    TransportCcParser parser = new TransportCcParser();
    assertEquals(RtcpDropReason.OK, parser.reset(buf, off, len));
    assertEquals(TransportCcReporter.SENDER_SSRC, parser.senderSsrc());
    assertEquals((int) SSRC, parser.mediaSsrc());
    List<Report> out = new ArrayList<>();
    while (parser.next()) {
      out.add(new Report(parser.sequenceNumber(), parser.received(), parser.received() ? parser.arrivalTimeUs() : 0));
    }
    return out;
  }

  @Test
  void feedbackAcrossWrapAroundReportsEveryNumberWithItsArrivalAndTheGapsAsLost() {
    TransportCcReporter reporter = new TransportCcReporter(EXTENSION_ID, INTERVAL_MS);
    // Transport-wide numbers 65532..65535, 0..3 with 65534 and 1 missing; arrivals 1.25 to 2.5 ms
    // apart, then one 11.25 ms late (a queue) and one 250 µs after its predecessor (a burst). The
    // packet sits at offset 7 and the feedback is written at offset 5.
    int[] seqs = {65532, 65533, 65535, 0, 2, 3};
    long[] arrivalUs = {T0_US, T0_US + 1_250, T0_US + 3_750, T0_US + 15_000, T0_US + 16_250, T0_US + 16_500};
    byte[] pkt = new byte[64];
    byte[] out = new byte[1500];
    for (int i = 0; i < seqs.length; i++) {
      int len = packet(pkt, 7, i, seqs[i]);
      reporter.onRtp(pkt, 7, len, arrivalUs[i] * 1_000);
    }
    int len = reporter.writeFeedback(arrivalUs[seqs.length - 1] * 1_000, out, 5);
    assertTrue(len > 0);
    List<Report> reports = parse(out, 5, len);
    int[] expectedSeqs = {65532, 65533, 65534, 65535, 0, 1, 2, 3};
    boolean[] expectedReceived = {true, true, false, true, true, false, true, true};
    assertEquals(expectedSeqs.length, reports.size());
    int received = 0;
    long base = reports.get(0).arrivalUs();
    for (int i = 0; i < expectedSeqs.length; i++) {
      assertEquals(expectedSeqs[i], reports.get(i).seq(), "seq at " + i);
      assertEquals(expectedReceived[i], reports.get(i).received(), "status of " + expectedSeqs[i]);
      if (expectedReceived[i]) {
        // Relative arrivals survive exactly: every gap is a whole number of 250 µs ticks.
        assertEquals(arrivalUs[received] - arrivalUs[0], reports.get(i).arrivalUs() - base,
            "arrival of " + expectedSeqs[i]);
        received++;
      }
    }
    assertEquals(6, reporter.packetsRecorded());
    assertEquals(1, reporter.feedbacksWritten());
    assertEquals(0, reporter.writeFeedback(arrivalUs[seqs.length - 1] * 1_000, out, 5), "nothing left");
  }

  @Test
  void feedbackIsSpacedByTheIntervalAndEachCoversWhatArrivedSinceThePrevious() {
    TransportCcReporter reporter = new TransportCcReporter(EXTENSION_ID, INTERVAL_MS);
    byte[] pkt = new byte[64];
    byte[] out = new byte[1500];
    List<Integer> reportedSeqs = new ArrayList<>();
    int feedbacks = 0;
    // 200 packets 2 ms apart (400 ms), feedback attempted after every arrival as the subscriber does.
    for (int i = 0; i < 200; i++) {
      long nowNanos = (T0_US + 2_000L * i) * 1_000;
      int len = packet(pkt, 0, i, 1000 + i);
      reporter.onRtp(pkt, 0, len, nowNanos);
      int n;
      while ((n = reporter.writeFeedback(nowNanos, out, 0)) > 0) {
        feedbacks++;
        for (Report r : parse(out, 0, n)) {
          assertTrue(r.received(), "no loss in this pattern: " + r.seq());
          reportedSeqs.add(r.seq());
        }
      }
    }
    // At the first packet, then at 50, 100, ... 350 ms (the last packet arrives at 398 ms).
    assertEquals(8, feedbacks);
    assertEquals(feedbacks, reporter.feedbacksWritten());
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < reportedSeqs.size(); i++) {
      expected.add(1000 + i);
    }
    assertEquals(expected, reportedSeqs, "each number once, in order, none skipped");
    assertTrue(reportedSeqs.size() >= 175, "all but the last interval's packets: " + reportedSeqs.size());
  }

  @Test
  void packetWithoutTheElementIsCountedNotReported() {
    TransportCcReporter reporter = new TransportCcReporter(EXTENSION_ID, INTERVAL_MS);
    byte[] pkt = new byte[64];
    int len = RtpPacket.writeFixedHeader(pkt, 0, false, 96, 1, 0, SSRC);
    reporter.onRtp(pkt, 0, len, T0_US * 1_000);
    // Another id than the agreed one is not ours either.
    TransportCcReporter other = new TransportCcReporter(EXTENSION_ID + 1, INTERVAL_MS);
    int withElement = packet(pkt, 0, 2, 7);
    other.onRtp(pkt, 0, withElement, T0_US * 1_000);
    assertEquals(1, reporter.packetsWithoutNumber());
    assertEquals(1, other.packetsWithoutNumber());
    assertEquals(0, reporter.writeFeedback(T0_US * 1_000, new byte[1500], 0));
    assertFalse(other.packetsRecorded() > 0);
  }

  @Test
  void extensionIdOutOfRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TransportCcReporter(0, INTERVAL_MS));
    assertThrows(IllegalArgumentException.class, () -> new TransportCcReporter(256, INTERVAL_MS));
  }
}
