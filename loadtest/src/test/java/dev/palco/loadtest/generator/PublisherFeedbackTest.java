package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palco.rtp.rtcp.FirEncoder;
import dev.palco.rtp.rtcp.NackEncoder;
import dev.palco.rtp.rtcp.PliEncoder;
import dev.palco.rtp.rtcp.ReceiverReportEncoder;
import dev.palco.rtp.rtcp.ReportBlock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a simulated publisher takes from the server's RTCP, and its media schedule. */
class PublisherFeedbackTest {
  private static final int SERVER_SSRC = 0x0BADCAFE;
  private static final int VIDEO_SSRC = 0x12345678;

  private final List<String> calls = new ArrayList<>();
  private final PublisherFeedback feedback = new PublisherFeedback(new PublisherFeedback.Handler() {
    @Override
    public void onKeyframeRequest(long mediaSsrc) {
      calls.add("key " + Long.toHexString(mediaSsrc));
    }

    @Override
    public void onNack(long mediaSsrc, int sequenceNumber) {
      calls.add("nack " + Long.toHexString(mediaSsrc) + " " + sequenceNumber);
    }
  });

  @Test
  void aCompoundPacketYieldsEveryKeyframeRequestAndEveryNackedSequenceNumberInOrder() {
    byte[] buf = new byte[512];
    int off = 7; // not at the start of the array
    int len = ReceiverReportEncoder.write(buf, off, SERVER_SSRC, new ReportBlock[0], 0);
    len += PliEncoder.write(buf, off + len, SERVER_SSRC, VIDEO_SSRC);
    // 65535, 0 and 2: across the wrap, in one FCI entry (RFC 4585 §6.2.1).
    len += NackEncoder.write(buf, off + len, SERVER_SSRC, VIDEO_SSRC, new int[] {65535, 0, 2}, 0, 3);
    len += FirEncoder.write(buf, off + len, SERVER_SSRC, 0x9ABCDEF0, 4);

    feedback.onPacket(buf, off, len, true);

    assertEquals(List.of("key 12345678", "nack 12345678 65535", "nack 12345678 0", "nack 12345678 2",
        "key 9abcdef0"), calls);
    assertEquals(2, feedback.keyframeRequests());
    assertEquals(3, feedback.nacksReceived());
  }

  @Test
  void rtpAndMalformedRtcpAreIgnored() {
    byte[] buf = new byte[64];
    int len = PliEncoder.write(buf, 0, SERVER_SSRC, VIDEO_SSRC);
    feedback.onPacket(buf, 0, len, false); // the same bytes taken as RTP
    feedback.onPacket(buf, 0, len - 1, true); // truncated
    buf[0] = 0; // version 0
    feedback.onPacket(buf, 0, len, true);
    assertEquals(List.of(), calls);
    assertEquals(0, feedback.keyframeRequests());
  }

  @Test
  void theScheduleSendsAudioEvery20MsAFrameEvery1OverFpsAndAReportEverySecond() {
    PublisherSchedule schedule = new PublisherSchedule(25);
    long t0 = -5_000_000_000L; // System.nanoTime() may be negative
    int audio = 0;
    int video = 0;
    int reports = 0;
    // One call per millisecond for 2 s.
    for (long t = t0; t < t0 + 2_000_000_000L; t += 1_000_000L) {
      for (int i = 0; i < PublisherSchedule.MAX_CATCH_UP; i++) {
        PublisherSchedule.Due due = schedule.next(t);
        if (due == PublisherSchedule.Due.AUDIO) {
          audio++;
        } else if (due == PublisherSchedule.Due.VIDEO) {
          video++;
        } else {
          break;
        }
      }
      reports += schedule.senderReportDue(t) ? 1 : 0;
      assertEquals(true, schedule.nextDueNanos() > t, "the next due time is in the future");
    }
    assertEquals(100, audio);
    assertEquals(50, video);
    assertEquals(1, reports, "at 1 s; the next is due at 2 s");
  }

  @Test
  void aLateCallCatchesUpAtMostEightPacketsAtATime() {
    PublisherSchedule schedule = new PublisherSchedule(30);
    schedule.next(0);
    schedule.next(0);
    long late = 1_000_000_000L; // a second late: 50 audio packets and 30 frames are due
    int sent = 0;
    for (int i = 0; i < PublisherSchedule.MAX_CATCH_UP && schedule.next(late) != PublisherSchedule.Due.NOTHING; i++) {
      sent++;
    }
    assertEquals(PublisherSchedule.MAX_CATCH_UP, sent);
    assertEquals(true, schedule.nextDueNanos() < late, "still behind: the rest comes on the next calls");
  }
}
