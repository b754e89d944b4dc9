package dev.palco.loadtest.generator;

import dev.palco.rtp.rtcp.FirParser;
import dev.palco.rtp.rtcp.NackParser;
import dev.palco.rtp.rtcp.PliParser;
import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.RtcpFeedback;
import dev.palco.rtp.rtcp.RtcpHeader;
import java.util.concurrent.atomic.LongAdder;

/**
 * A simulated publisher's reading of the server's RTCP, as a browser's sender reads it: each
 * compound packet (RFC 3550 §6.1) is walked, a PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1)
 * becomes a keyframe request for the media SSRC it names, and every sequence number a generic NACK
 * (RFC 4585 §6.2.1) lists becomes a retransmission request. Anything else (receiver reports,
 * REMB, malformed packets) is ignored: the publisher has nothing to do with it.
 *
 * <p>Used by one thread at a time, the client's receive thread; no allocation per packet.
 */
final class PublisherFeedback {
  /** What a publisher does with the requests. */
  interface Handler {
    /**
     * A keyframe request.
     *
     * @param mediaSsrc the SSRC it names, or {@link #NO_SSRC} for a FIR with no entry
     */
    void onKeyframeRequest(long mediaSsrc);

    /** One sequence number of {@code mediaSsrc} that the server asks to have again. */
    void onNack(long mediaSsrc, int sequenceNumber);
  }

  /** The SSRC of a keyframe request that names none. */
  static final long NO_SSRC = -1;

  private final Handler handler;
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final int[] lost = new int[256];
  private final LongAdder nacksReceived = new LongAdder();
  private final LongAdder keyframeRequests = new LongAdder();

  PublisherFeedback(Handler handler) {
    this.handler = handler;
  }

  /** One datagram from the server; RTP ({@code rtcp} false) is ignored. */
  void onPacket(byte[] buf, int off, int len, boolean isRtcp) {
    if (!isRtcp || rtcp.reset(buf, off, len) != RtcpDropReason.OK) {
      return;
    }
    while (rtcp.next()) {
      int p = rtcp.offset();
      int n = rtcp.length();
      if (rtcp.packetType() == RtcpHeader.PT_PSFB) {
        if (rtcp.count() == RtcpFeedback.FMT_PLI && PliParser.validate(buf, p, n) == RtcpDropReason.OK) {
          keyframeRequests.increment();
          handler.onKeyframeRequest(PliParser.mediaSsrc(buf, p) & 0xFFFF_FFFFL);
        } else if (rtcp.count() == RtcpFeedback.FMT_FIR && FirParser.validate(buf, p, n) == RtcpDropReason.OK) {
          keyframeRequests.increment();
          handler.onKeyframeRequest(
              FirParser.entryCount(buf, p, n) > 0 ? FirParser.entrySsrc(buf, p, 0) & 0xFFFF_FFFFL : NO_SSRC);
        }
      } else if (rtcp.packetType() == RtcpHeader.PT_RTPFB && rtcp.count() == RtcpFeedback.FMT_NACK
          && NackParser.validate(buf, p, n) == RtcpDropReason.OK) {
        long mediaSsrc = RtcpFeedback.mediaSsrc(buf, p) & 0xFFFF_FFFFL;
        int count = NackParser.copyLost(buf, p, n, lost, 0, lost.length);
        nacksReceived.add(count);
        for (int i = 0; i < count; i++) {
          handler.onNack(mediaSsrc, lost[i] & 0xFFFF);
        }
      }
    }
  }

  /** Sequence numbers the server asked for again. */
  long nacksReceived() {
    return nacksReceived.sum();
  }

  /** PLIs and FIRs received. */
  long keyframeRequests() {
    return keyframeRequests.sum();
  }
}
