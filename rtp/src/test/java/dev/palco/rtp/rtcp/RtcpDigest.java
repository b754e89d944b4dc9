package dev.palco.rtp.rtcp;

/**
 * Runs each parser over a view and folds everything it reports into one number. The bad-input
 * and fuzz tests compare digests of the same bytes placed at two offsets: a parser that reads
 * outside its {@code (off, len)} window sees different neighbours and produces a different
 * digest (or hits the array end). Offsets are folded relative to {@code off}.
 */
final class RtcpDigest {
  private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();
  private final SdesParser sdes = new SdesParser();
  private final TransportCcParser twcc = new TransportCcParser();
  private final Sink sink = new Sink();
  private long h;

  private static final class Sink implements NackSequenceConsumer {
    long h;

    @Override
    public void onLostSequence(int seq) {
      h = h * 31 + seq;
    }
  }

  private void mix(long v) {
    h = (h ^ v) * 0x9E3779B97F4A7C15L;
  }

  /** Compound iteration plus dispatch of every packet to its type parser. */
  long compound(byte[] buf, int off, int len) {
    h = 1;
    RtcpDropReason reason = iterator.reset(buf, off, len);
    mix(reason.ordinal());
    int packets = 0;
    while (iterator.next()) {
      packets++;
      mix(iterator.offset() - off);
      mix(iterator.length());
      mix(iterator.packetType());
      mix(iterator.count());
      mix(dispatch(buf, iterator.offset(), iterator.length()));
    }
    if (reason == RtcpDropReason.OK && len > 0 && packets == 0) {
      throw new AssertionError("a valid compound yields at least one packet");
    }
    return h;
  }

  /** Sends one packet to the parser its PT and FMT select. */
  long dispatch(byte[] buf, int off, int len) {
    int pt = RtcpHeader.packetType(buf, off);
    int fmt = RtcpHeader.count(buf, off);
    switch (pt) {
      case RtcpHeader.PT_SR:
        return sr(buf, off, len);
      case RtcpHeader.PT_RR:
        return rr(buf, off, len);
      case RtcpHeader.PT_SDES:
        return sdes(buf, off, len);
      case RtcpHeader.PT_BYE:
        return bye(buf, off, len);
      case RtcpHeader.PT_RTPFB:
        return fmt == RtcpFeedback.FMT_NACK ? nack(buf, off, len)
            : fmt == RtcpFeedback.FMT_TWCC ? twcc(buf, off, len) : 0;
      case RtcpHeader.PT_PSFB:
        return fmt == RtcpFeedback.FMT_PLI ? pli(buf, off, len)
            : fmt == RtcpFeedback.FMT_FIR ? fir(buf, off, len)
            : fmt == RtcpFeedback.FMT_AFB ? remb(buf, off, len) : 0;
      default:
        return 0;
    }
  }

  private long reportBlocks(byte[] buf, int firstBlock, int count) {
    long d = 0;
    for (int i = 0; i < count; i++) {
      int b = firstBlock + i * ReportBlock.SIZE_BYTES;
      d = d * 31 + ReportBlock.ssrc(buf, b) + ReportBlock.fractionLost(buf, b) + ReportBlock.cumulativeLost(buf, b)
          + ReportBlock.extendedHighestSeq(buf, b) + ReportBlock.jitter(buf, b) + ReportBlock.lastSrNtp(buf, b)
          + ReportBlock.delaySinceLastSr(buf, b);
    }
    return d;
  }

  long sr(byte[] buf, int off, int len) {
    RtcpDropReason r = SenderReportParser.validate(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    return SenderReportParser.senderSsrc(buf, off) + SenderReportParser.ntpTimestamp(buf, off)
        + SenderReportParser.rtpTimestamp(buf, off) + SenderReportParser.packetCount(buf, off)
        + SenderReportParser.octetCount(buf, off)
        + reportBlocks(buf, SenderReportParser.reportBlockOffset(off, 0), SenderReportParser.reportCount(buf, off));
  }

  long rr(byte[] buf, int off, int len) {
    RtcpDropReason r = ReceiverReportParser.validate(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    return ReceiverReportParser.senderSsrc(buf, off)
        + reportBlocks(buf, ReceiverReportParser.reportBlockOffset(off, 0), ReceiverReportParser.reportCount(buf, off));
  }

  long sdes(byte[] buf, int off, int len) {
    RtcpDropReason r = sdes.reset(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    long d = 17;
    while (sdes.nextChunk()) {
      d = d * 31 + sdes.chunkSsrc();
      while (sdes.nextItem()) {
        d = d * 31 + sdes.itemType() * 7919L + sdes.itemLength() + (sdes.itemOffset() - off);
        for (int i = 0; i < sdes.itemLength(); i++) {
          d = d * 31 + buf[sdes.itemOffset() + i];
        }
      }
    }
    return d;
  }

  long bye(byte[] buf, int off, int len) {
    RtcpDropReason r = ByeParser.validate(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    long d = 19;
    for (int i = 0; i < ByeParser.ssrcCount(buf, off); i++) {
      d = d * 31 + ByeParser.ssrc(buf, off, i);
    }
    int reasonOff = ByeParser.reasonOffset(buf, off, len);
    int reasonLen = ByeParser.reasonLength(buf, off, len);
    d = d * 31 + (reasonOff < 0 ? -1 : reasonOff - off) + reasonLen;
    for (int i = 0; i < reasonLen; i++) {
      d = d * 31 + buf[reasonOff + i];
    }
    return d;
  }

  long nack(byte[] buf, int off, int len) {
    RtcpDropReason r = NackParser.validate(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    sink.h = RtcpFeedback.senderSsrc(buf, off) + 31L * RtcpFeedback.mediaSsrc(buf, off);
    int n = NackParser.forEachLost(buf, off, len, sink);
    if (n != NackParser.lostCount(buf, off, len)) {
      throw new AssertionError("lostCount disagrees with forEachLost");
    }
    return sink.h + n;
  }

  long twcc(byte[] buf, int off, int len) {
    RtcpDropReason r = twcc.reset(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    long d = twcc.senderSsrc() + 31L * twcc.mediaSsrc() + twcc.baseSequenceNumber() + twcc.referenceTimeUs()
        + twcc.feedbackPacketCount();
    int yielded = 0;
    while (twcc.next()) {
      yielded++;
      d = d * 31 + twcc.sequenceNumber() * 3L + twcc.status();
      if (twcc.received()) {
        d = d * 31 + twcc.deltaTicks() + twcc.arrivalTimeUs();
      }
    }
    if (yielded != twcc.packetStatusCount()) {
      throw new AssertionError("TWCC yielded " + yielded + " of " + twcc.packetStatusCount());
    }
    return d;
  }

  long pli(byte[] buf, int off, int len) {
    RtcpDropReason r = PliParser.validate(buf, off, len);
    return r != RtcpDropReason.OK ? -r.ordinal() : PliParser.senderSsrc(buf, off) + 31L * PliParser.mediaSsrc(buf, off);
  }

  long fir(byte[] buf, int off, int len) {
    RtcpDropReason r = FirParser.validate(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal();
    }
    long d = FirParser.senderSsrc(buf, off);
    for (int i = 0; i < FirParser.entryCount(buf, off, len); i++) {
      d = d * 31 + FirParser.entrySsrc(buf, off, i) + FirParser.entrySeqNr(buf, off, i);
    }
    return d;
  }

  long remb(byte[] buf, int off, int len) {
    boolean isRemb = RembParser.isRemb(buf, off, len);
    RtcpDropReason r = RembParser.validate(buf, off, len);
    if (r != RtcpDropReason.OK) {
      return -r.ordinal() - (isRemb ? 1000 : 0);
    }
    long d = RembParser.senderSsrc(buf, off) + RembParser.bitrateBps(buf, off);
    for (int i = 0; i < RembParser.ssrcCount(buf, off); i++) {
      d = d * 31 + RembParser.ssrc(buf, off, i);
    }
    return d;
  }
}
