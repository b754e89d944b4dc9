package dev.palco.sfu.room;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.feedback.TransportFeedbackGenerator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The path from the SFU to a {@link TestPeer} subscriber and the subscriber's transport-wide
 * feedback, on the harness's manual clock: a bottleneck of a settable rate with a bounded queue
 * (a packet that would wait longer than {@link #maxQueueMs} is lost), and the browser's side of
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 (the SFU's own {@link
 * TransportFeedbackGenerator}, fed with the simulated arrival times, sent every 50 ms).
 *
 * <p>Call {@link #step} after each harness step: it takes what the SFU sent, passes it through the
 * bottleneck, delivers what has arrived by now, and sends feedback when due.
 */
final class SimulatedDownlink {
  private final SfuHarness h;
  private final TestPeer peer;
  private final TransportFeedbackGenerator feedback = new TransportFeedbackGenerator();
  private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
  private final byte[] rtcp = new byte[1500];
  long rateBps;
  long maxQueueMs = 300;
  private long linkFreeAtUs;

  /** Packets delivered, by SSRC, in arrival order: {sequence number, payload type}. */
  final Map<Long, List<int[]>> delivered = new HashMap<>();
  long lost;
  long deliveredBytes;
  long feedbackSent;

  SimulatedDownlink(SfuHarness h, TestPeer peer, long rateBps) {
    this.h = h;
    this.peer = peer;
    this.rateBps = rateBps;
  }

  void step() {
    long nowUs = h.clock.nowMicros();
    for (byte[] datagram : peer.transport.drainSent()) {
      int pt = datagram[1] & 0xFF;
      if (pt >= 192 && pt <= 223) {
        continue; // RTCP toward the subscriber: not part of this model
      }
      long startUs = Math.max(nowUs, linkFreeAtUs);
      if (startUs - nowUs > maxQueueMs * 1000) {
        lost++;
        continue;
      }
      linkFreeAtUs = startUs + datagram.length * 8_000_000L / rateBps;
      byte[] plain = Arrays.copyOf(datagram, datagram.length);
      if (peer.session.receiver().unprotectRtp(plain, 0, plain.length) != SrtpStatus.OK) {
        throw new AssertionError("the SFU sent SRTP the subscriber cannot read");
      }
      int len = peer.session.receiver().lengthBytes();
      int data = RtpHeaderExtensions.findDataOffset(plain, 0, len, MediaFixtures.TRANSPORT_CC_ID);
      int transportSeq = data < 0 ? -1 : TransportCcExtension.sequenceNumber(plain, data);
      inFlight.add(new long[] {linkFreeAtUs, transportSeq, RtpPacket.ssrc(plain, 0),
          RtpPacket.sequenceNumber(plain, 0), RtpPacket.payloadType(plain, 0), datagram.length});
    }
    while (!inFlight.isEmpty() && inFlight.peek()[0] <= nowUs) {
      long[] a = inFlight.poll();
      if (a[1] >= 0) {
        feedback.onPacket((int) a[1], a[2], a[0]);
      }
      deliveredBytes += a[5];
      delivered.computeIfAbsent(a[2], k -> new ArrayList<>()).add(new int[] {(int) a[3], (int) a[4]});
    }
    long nowMs = h.clock.nowMillis();
    if (feedback.isDue(nowMs)) {
      int n;
      while ((n = feedback.write(nowMs, 0x5EED, rtcp, 0)) > 0) {
        peer.sendRtcp(Arrays.copyOf(rtcp, n));
        feedbackSent++;
      }
    }
  }
}
