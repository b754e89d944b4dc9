package dev.palco.sfu.room;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.RtpDropReason;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.rtp.rtcp.FirParser;
import dev.palco.rtp.rtcp.NackParser;
import dev.palco.rtp.rtcp.NackSequenceConsumer;
import dev.palco.rtp.rtcp.PliParser;
import dev.palco.rtp.rtcp.ReceiverReportParser;
import dev.palco.rtp.rtcp.RembParser;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.RtcpFeedback;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.rtp.rtcp.SenderReportParser;
import dev.palco.rtp.rtcp.TransportCcParser;
import dev.palco.sfu.feedback.PacketCache;
import dev.palco.sfu.feedback.RetransmissionLimiter;
import dev.palco.sfu.forward.RtpRewriter;
import dev.palco.sfu.pipeline.ConsumerNode;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.node.RtxPackets;
import dev.palco.sfu.stats.RttEstimator;

/**
 * Terminates the RTCP a participant sends (RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3): nothing
 * received here is forwarded as it is. A subscriber's reports stay between it and the SFU; what
 * a publisher needs (keyframe requests, NACKs, its own reports) the SFU generates itself.
 *
 * <ul>
 *   <li>SR (from a publisher): the NTP/RTP pair and arrival time of its stream, for the LSR/DLSR
 *       of our next RR (RFC 3550 §6.4.1); its report blocks are read like an RR's.</li>
 *   <li>RR report blocks (from a subscriber, about a stream we send): RTT from LSR/DLSR against
 *       the SRs we sent, and the loss and jitter it sees.</li>
 *   <li>Generic NACK (from a subscriber): each sequence number is mapped back through the
 *       subscription's rewriter to the publisher's packet, copied from the publication's cache,
 *       rewritten the way the original was, and sent as RTX on the subscription's RTX SSRC with the
 *       outgoing sequence number as OSN (RFC 4588 §4) — or as it was, without RTX. A
 *       {@link RetransmissionLimiter} decides first: a packet retransmitted less than one RTT
 *       ago, or beyond the subscriber's retransmission budget, is not copied at all.</li>
 *   <li>PLI and FIR (from a subscriber): folded into the publication's keyframe requester, which
 *       sends one request per interval toward the publisher.</li>
 *   <li>Transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) and REMB
 *       (draft-alvestrand-rmcat-remb-03, used only without transport-cc): parsed and given to the
 *       participant's {@link SubscriberSendControl} under its send lock, which updates the
 *       bandwidth estimate that pacing and layer allocation follow.</li>
 * </ul>
 *
 * <p>Runs on the participant's serial queue. NACK answers take the participant's send lock.
 */
final class RtcpTermination extends ConsumerNode implements NackSequenceConsumer {
  private final Participant participant;
  private final RtcpCompoundIterator compound = new RtcpCompoundIterator();
  private final RtpPacket rtp = new RtpPacket();
  private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
  private final TransportCcParser transportCc = new TransportCcParser();
  /** Bounds NACK answers: one copy per packet per RTT, and a share of the estimate (send lock). */
  private final RetransmissionLimiter retransmissionLimiter = new RetransmissionLimiter();
  private TrackSubscription nackTarget;
  private long nackNowMs;
  private long nowUs;

  long senderReports;
  long receiverReports;
  long nacks;
  long nackedPackets;
  long plis;
  long firs;
  long rembs;
  long transportCcFeedback;
  long otherPackets;
  long malformedParts;
  long unknownSsrcParts;
  long retransmissionsSent;
  long retransmissionMisses;
  long retransmissionsSuppressedRecent;
  long retransmissionsRateLimited;

  RtcpTermination(Participant participant) {
    super("rtcp-termination");
    this.participant = participant;
  }

  @Override
  protected void consume(PacketInfo p) {
    byte[] buf = p.buffer();
    if (compound.reset(buf, p.offset(), p.length()) != RtcpDropReason.OK) {
      reject(p, DropReason.MALFORMED_RTCP);
      return;
    }
    long nowMs = p.receivedNanos / 1_000_000L;
    nowUs = p.receivedNanos / 1_000L;
    while (compound.next()) {
      int off = compound.offset();
      int len = compound.length();
      switch (compound.packetType()) {
        case RtcpHeader.PT_SR:
          onSenderReport(buf, off, len, nowMs);
          break;
        case RtcpHeader.PT_RR:
          onReceiverReport(buf, off, len, nowMs);
          break;
        case RtcpHeader.PT_RTPFB:
          onTransportFeedback(buf, off, len, nowMs);
          break;
        case RtcpHeader.PT_PSFB:
          onPayloadFeedback(buf, off, len);
          break;
        default:
          // SDES, BYE, APP, XR: nothing the SFU acts on yet.
          otherPackets++;
          break;
      }
    }
    release(p);
  }

  private void onSenderReport(byte[] buf, int off, int len, long nowMs) {
    if (SenderReportParser.validate(buf, off, len) != RtcpDropReason.OK) {
      malformedParts++;
      return;
    }
    senderReports++;
    long ssrc = SenderReportParser.senderSsrc(buf, off) & 0xFFFF_FFFFL;
    IncomingStream s = participant.receivePath().primaryBySsrc.get(ssrc);
    if (s != null) {
      s.senderReports.onSenderReportReceived(SenderReportParser.ntpTimestamp(buf, off),
          SenderReportParser.rtpTimestamp(buf, off) & 0xFFFF_FFFFL, nowMs);
    } else {
      unknownSsrcParts++;
    }
    int blocks = SenderReportParser.reportCount(buf, off);
    for (int i = 0; i < blocks; i++) {
      onReportBlock(buf, SenderReportParser.reportBlockOffset(off, i), nowMs);
    }
  }

  private void onReceiverReport(byte[] buf, int off, int len, long nowMs) {
    if (ReceiverReportParser.validate(buf, off, len) != RtcpDropReason.OK) {
      malformedParts++;
      return;
    }
    receiverReports++;
    int blocks = ReceiverReportParser.reportCount(buf, off);
    for (int i = 0; i < blocks; i++) {
      onReportBlock(buf, ReceiverReportParser.reportBlockOffset(off, i), nowMs);
    }
  }

  private void onReportBlock(byte[] buf, int blockOff, long nowMs) {
    long ssrc = ReportBlock.ssrc(buf, blockOff) & 0xFFFF_FFFFL;
    TrackSubscription sub = participant.subscriptionBySsrc(ssrc);
    if (sub == null) {
      // A block about a stream we do not send (or no longer send): nothing to learn.
      return;
    }
    long rttMs = sub.senderReports.rttMsFromReportBlock(ReportBlock.lastSrNtp(buf, blockOff),
        ReportBlock.delaySinceLastSr(buf, blockOff), nowMs);
    if (rttMs != RttEstimator.NO_RTT) {
      sub.rtt.onRttSampleMs(rttMs);
      participant.onRttSample(rttMs);
    }
    sub.remoteCumulativeLost = ReportBlock.cumulativeLost(buf, blockOff);
    sub.remoteFractionLost = ReportBlock.fractionLost(buf, blockOff);
    synchronized (participant.sendLock) {
      participant.sendControl().onReceiverReportLoss(sub.remoteFractionLost, nowUs);
    }
    sub.remoteJitter = ReportBlock.jitter(buf, blockOff);
  }

  private void onTransportFeedback(byte[] buf, int off, int len, long nowMs) {
    int fmt = RtcpHeader.count(buf, off);
    if (fmt == RtcpFeedback.FMT_NACK) {
      if (NackParser.validate(buf, off, len) != RtcpDropReason.OK) {
        malformedParts++;
        return;
      }
      nacks++;
      TrackSubscription sub =
          participant.subscriptionBySsrc(RtcpFeedback.mediaSsrc(buf, off) & 0xFFFF_FFFFL);
      if (sub == null) {
        unknownSsrcParts++;
        return;
      }
      synchronized (participant.sendLock) {
        nackTarget = sub;
        nackNowMs = nowMs;
        int n = NackParser.forEachLost(buf, off, len, this);
        sub.nacksReceived += n;
        nackedPackets += n;
        nackTarget = null;
      }
    } else if (fmt == RtcpFeedback.FMT_TWCC) {
      if (transportCc.reset(buf, off, len) != RtcpDropReason.OK) {
        malformedParts++;
        return;
      }
      transportCcFeedback++;
      synchronized (participant.sendLock) {
        participant.sendControl().onTransportCcFeedback(transportCc, nowUs);
      }
    } else {
      otherPackets++;
    }
  }

  private void onPayloadFeedback(byte[] buf, int off, int len) {
    int fmt = RtcpHeader.count(buf, off);
    if (fmt == RtcpFeedback.FMT_PLI) {
      if (PliParser.validate(buf, off, len) != RtcpDropReason.OK) {
        malformedParts++;
        return;
      }
      plis++;
      requestKeyframe(PliParser.mediaSsrc(buf, off) & 0xFFFF_FFFFL);
    } else if (fmt == RtcpFeedback.FMT_FIR) {
      if (FirParser.validate(buf, off, len) != RtcpDropReason.OK) {
        malformedParts++;
        return;
      }
      firs++;
      int entries = FirParser.entryCount(buf, off, len);
      for (int i = 0; i < entries; i++) {
        requestKeyframe(FirParser.entrySsrc(buf, off, i) & 0xFFFF_FFFFL);
      }
    } else if (fmt == RtcpFeedback.FMT_AFB && RembParser.isRemb(buf, off, len)) {
      if (RembParser.validate(buf, off, len) != RtcpDropReason.OK) {
        malformedParts++;
        return;
      }
      rembs++;
      synchronized (participant.sendLock) {
        participant.sendControl().onRemb(RembParser.bitrateBps(buf, off), nowUs);
      }
    } else {
      otherPackets++;
    }
  }

  private void requestKeyframe(long ssrc) {
    TrackSubscription sub = participant.subscriptionBySsrc(ssrc);
    if (sub == null) {
      unknownSsrcParts++;
      return;
    }
    sub.keyframeRequestsReceived++;
    sub.publication().requestKeyframe();
  }

  /** One NACKed outgoing sequence number; called under the send lock. */
  @Override
  public void onLostSequence(int outSeq) {
    TrackSubscription sub = nackTarget;
    // Before the lookups and the cache copy: under a NACK flood most requests end here.
    RetransmissionLimiter.Verdict verdict = retransmissionLimiter.check(sub.recentRetransmissions,
        outSeq, participant.rttMs(), participant.sendControl().estimator.targetBitrateBps(), nackNowMs);
    if (verdict == RetransmissionLimiter.Verdict.SUPPRESSED_RECENT) {
      sub.retransmissionsSuppressedRecent++;
      retransmissionsSuppressedRecent++;
      return;
    }
    if (verdict == RetransmissionLimiter.Verdict.RATE_LIMITED) {
      sub.retransmissionsRateLimited++;
      retransmissionsRateLimited++;
      return;
    }
    long packed = sub.rewriter.originalOf(outSeq);
    if (packed == RtpRewriter.NOT_FOUND) {
      retransmissionMisses++;
      return;
    }
    IncomingStream stream = sub.publication().streamBySsrc(RtpRewriter.originalSsrc(packed));
    if (stream == null || stream.cache == null) {
      retransmissionMisses++;
      return;
    }
    PacketInfo p = participant.sfu().packetPool().acquire();
    int len = stream.cache.copyOut(RtpRewriter.originalSeq(packed), nackNowMs, p.buffer(),
        PacketInfo.HEADROOM_BYTES);
    if (len == PacketCache.MISS || rtp.parse(p.buffer(), PacketInfo.HEADROOM_BYTES, len) != RtpDropReason.OK) {
      retransmissionMisses++;
      participant.sfu().packetPool().release(p);
      return;
    }
    p.setWindow(PacketInfo.HEADROOM_BYTES, len);
    p.payloadOffset = rtp.payloadOffset();
    p.payloadLength = rtp.payloadLength();
    p.payloadType = rtp.payloadType();
    CodecParameters codec = sub.publication().codecByPayloadType[p.payloadType];
    CodecParameters.CodecFamily family = codec == null ? CodecParameters.CodecFamily.OTHER : codec.family();
    int pictureId = RtpRewriter.NO_PICTURE_ID;
    int tl0 = RtpRewriter.NO_TL0PICIDX;
    if (family == CodecParameters.CodecFamily.VP8
        && vp8.parse(p.buffer(), p.payloadOffset, p.payloadLength) == PayloadDropReason.OK
        && vp8.pictureIdBits() == 15) {
      pictureId = vp8.pictureId();
      tl0 = vp8.tl0PicIdx() < 0 ? RtpRewriter.NO_TL0PICIDX : vp8.tl0PicIdx();
    }
    if (!sub.rewriter.rewriteRetransmission(outSeq, rtp.timestamp(), pictureId, tl0, sub.rewriteOutput)) {
      retransmissionMisses++;
      participant.sfu().packetPool().release(p);
      return;
    }
    sub.writeOutgoingHeader(p, sub.rewriteOutput, family, participant.clock().nowMicros());
    int rtxPt = sub.rtxPayloadTypeBySubscriberPt[p.payloadType & 0x7F];
    if (sub.rtxSsrc() >= 0 && rtxPt >= 0) {
      // RFC 4588 §4: the OSN is the sequence number the subscriber knows the packet by.
      if (!RtxPackets.wrap(p, sub.rtxSsrc(), sub.rtxSequenceNumber, rtxPt)) {
        participant.sfu().packetPool().release(p);
        return;
      }
      sub.rtxSequenceNumber = (sub.rtxSequenceNumber + 1) & 0xFFFF;
    }
    sub.retransmissionsSent++;
    retransmissionsSent++;
    retransmissionLimiter.onRetransmitted(sub.recentRetransmissions, outSeq, p.length(), nackNowMs);
    sub.retransmitPipeline.process(p);
  }
}
