package dev.palco.sfu.room;

import dev.palco.rtp.rtcp.FirEncoder;
import dev.palco.rtp.rtcp.NackEncoder;
import dev.palco.rtp.rtcp.PliEncoder;
import dev.palco.rtp.rtcp.ReceiverReportEncoder;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.SdesEncoder;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.sfu.feedback.KeyframeRequestKind;
import dev.palco.sfu.feedback.TransportFeedbackGenerator;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketPipeline;
import dev.palco.sfu.pipeline.node.SrtpEncryptNode;
import dev.palco.sfu.pipeline.node.TransportSendNode;
import dev.palco.sfu.stats.NtpTime;
import dev.palco.sfu.stats.ReportBlockFields;

import java.nio.charset.StandardCharsets;

/**
 * Builds the RTCP the SFU sends to one participant and sends it through
 * {@code rtcp-out: srtcp-encrypt → transport-send}:
 *
 * <ul>
 *   <li>an SR for every stream we send it (RFC 3550 §6.4.1): the NTP time of now paired with the
 *       RTP timestamp the stream would carry now (the last one sent, advanced by the time since at
 *       the clock rate), and the packet and payload octet counts; with an SDES CNAME
 *       (RFC 3550 §6.1: every compound carries one);</li>
 *   <li>an RR about every stream it publishes (RFC 3550 §6.4.2, Appendix A.3/A.8 for loss and
 *       jitter, LSR/DLSR from its last SR), from the SSRC the SFU uses toward it;</li>
 *   <li>generic NACKs (RFC 4585 §6.2.1) and PLIs or FIRs (RFC 4585 §6.3.1, RFC 5104 §4.3.1) toward
 *       what it publishes, in a compound led by an empty RR and an SDES, or alone when reduced-size
 *       RTCP was agreed (RFC 5506 §3).</li>
 * </ul>
 *
 * <p>Every method runs under the participant's send lock, which also guards its SRTP sender.
 */
final class RtcpSender {
  private static final int MAX_BLOCKS = 31;

  private final Participant participant;
  private final PacketPipeline pipeline;
  private final ReportBlock[] blocks = new ReportBlock[MAX_BLOCKS];
  private final ReportBlockFields fields = new ReportBlockFields();
  private final byte[] cname;

  long senderReportsSent;
  long receiverReportsSent;
  long nacksSent;
  long nackedPacketsRequested;
  long plisSent;
  long firsSent;
  long transportFeedbackSent;

  RtcpSender(Participant participant) {
    this.participant = participant;
    this.cname = participant.cname().getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < MAX_BLOCKS; i++) {
      blocks[i] = new ReportBlock();
    }
    PacketPipeline.Builder out = PacketPipeline.builder("rtcp-out", participant.sfu().packetPool());
    if (!(participant.transport() instanceof PlaintextMediaTransport)) {
      out.then(new SrtpEncryptNode("srtcp-encrypt", participant.transport()));
    }
    this.pipeline = out.end(new TransportSendNode("transport-send", participant.transport()));
  }

  PacketPipeline pipeline() {
    return pipeline;
  }

  private PacketInfo start() {
    PacketInfo p = participant.sfu().packetPool().acquire();
    p.rtcp = true;
    p.setWindow(PacketInfo.HEADROOM_BYTES, 0);
    return p;
  }

  private void send(PacketInfo p, int len) {
    p.setLength(len);
    pipeline.process(p);
  }

  /** Writes an empty RR and an SDES CNAME from our RTCP SSRC: the head of a full compound. */
  private int writeCompoundHead(byte[] buf, int off) {
    int ssrc = (int) participant.rtcpSsrc();
    int n = ReceiverReportEncoder.write(buf, off, ssrc, blocks, 0);
    n += SdesEncoder.writeCname(buf, off + n, ssrc, cname, 0, cname.length);
    return n;
  }

  /** Sends a NACK for {@code count} sequence numbers of a publisher's stream. */
  void sendNack(IncomingStream stream, int[] seqs, int count, boolean reducedSize) {
    PacketInfo p = start();
    byte[] buf = p.buffer();
    int off = p.offset();
    int n = reducedSize ? 0 : writeCompoundHead(buf, off);
    n += NackEncoder.write(buf, off + n, (int) participant.rtcpSsrc(), (int) stream.ssrc, seqs, 0, count);
    nacksSent++;
    nackedPacketsRequested += count;
    send(p, n);
  }

  /** Sends the transport-wide feedback that is due (one packet, or more for a long stretch). */
  void sendTransportFeedback(TransportFeedbackGenerator feedback, long nowMs, boolean reducedSize) {
    for (;;) {
      PacketInfo p = start();
      byte[] buf = p.buffer();
      int off = p.offset();
      int head = reducedSize ? 0 : writeCompoundHead(buf, off);
      int n = feedback.write(nowMs, (int) participant.rtcpSsrc(), buf, off + head);
      if (n == 0) {
        participant.sfu().packetPool().release(p);
        return;
      }
      transportFeedbackSent++;
      send(p, head + n);
    }
  }

  /** Sends a PLI, or a FIR with {@code firSeqNr}, for every known stream of a publication. */
  void sendKeyframeRequest(TrackPublication pub, KeyframeRequestKind kind, int firSeqNr,
      boolean reducedSize) {
    IncomingStream[] layers = pub.layers;
    PacketInfo p = start();
    byte[] buf = p.buffer();
    int off = p.offset();
    int n = reducedSize ? 0 : writeCompoundHead(buf, off);
    int head = n;
    int ssrc = (int) participant.rtcpSsrc();
    for (IncomingStream s : layers) {
      if (s == null) {
        continue;
      }
      if (kind == KeyframeRequestKind.FIR) {
        n += FirEncoder.write(buf, off + n, ssrc, (int) s.ssrc, firSeqNr);
        firsSent++;
      } else {
        n += PliEncoder.write(buf, off + n, ssrc, (int) s.ssrc);
        plisSent++;
      }
    }
    if (n == head) {
      participant.sfu().packetPool().release(p);
      return;
    }
    send(p, n);
  }

  /** Sends the periodic reports: an SR per outgoing stream, RRs about incoming ones. */
  void sendReports(long nowMs, long nowMicros, long wallClockMs) {
    long ntp = NtpTime.fromUnixMillis(wallClockMs);
    for (TrackSubscription sub : participant.subscriptionArray()) {
      if (sub.packetsSent == 0) {
        continue;
      }
      // RFC 3550 §6.4.1: the RTP timestamp corresponds to the same instant as the NTP timestamp.
      long elapsedUs = Math.max(0, nowMicros - sub.lastOutAtMicros);
      long rtpTs = (sub.lastOutTimestamp + elapsedUs * sub.clockRateHz() / 1_000_000L) & 0xFFFF_FFFFL;
      PacketInfo p = start();
      byte[] buf = p.buffer();
      int off = p.offset();
      int n = SenderReportEncoder.write(buf, off, (int) sub.ssrc(), ntp, (int) rtpTs,
          sub.packetsSent & 0xFFFF_FFFFL, sub.payloadBytesSent & 0xFFFF_FFFFL, blocks, 0);
      byte[] subCname = sub.cnameBytes();
      n += SdesEncoder.writeCname(buf, off + n, (int) sub.ssrc(), subCname, 0, subCname.length);
      sub.senderReports.onSenderReportSent(ntp, nowMs);
      senderReportsSent++;
      send(p, n);
    }
    int count = 0;
    for (TrackPublication pub : participant.receivePath().publications()) {
      for (IncomingStream s : pub.layers) {
        if (s == null || s.statistics.packets() == 0) {
          continue;
        }
        s.statistics.fillReportBlock(fields);
        s.senderReports.fillLsrDlsr(nowMs, fields);
        blocks[count++].set((int) fields.ssrc(), fields.fractionLost(), fields.cumulativeLost(),
            fields.extendedHighestSeq(), fields.jitter(), fields.lastSr(), fields.delaySinceLastSr());
        if (count == MAX_BLOCKS) {
          sendReceiverReport(count);
          count = 0;
        }
      }
    }
    if (count > 0) {
      sendReceiverReport(count);
    }
  }

  private void sendReceiverReport(int count) {
    PacketInfo p = start();
    byte[] buf = p.buffer();
    int off = p.offset();
    int ssrc = (int) participant.rtcpSsrc();
    int n = ReceiverReportEncoder.write(buf, off, ssrc, blocks, count);
    n += SdesEncoder.writeCname(buf, off + n, ssrc, cname, 0, cname.length);
    receiverReportsSent++;
    send(p, n);
  }
}
