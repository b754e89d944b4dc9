package dev.palco.rtp.rtcp;

/**
 * A reusable, allocation-free cursor over a transport-wide congestion control feedback message,
 * RTPFB PT=205 FMT=15 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 reference time                | fb pkt. count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          packet chunk         |         packet chunk          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                                                               .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         packet chunk          |  recv delta   |  recv delta   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                                                               .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           recv delta          |  recv delta   | zero padding  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * run length chunk (§3.1.3)          status vector chunk (§3.1.4)
 *  0                   1              0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |T| S |       Run Length        |  |T|S|       symbol list         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  T=0; S = status of every packet    T=1; S=0: 14 one-bit symbols
 *  of the run                         (0 not received, 1 small delta);
 *                                     S=1: 7 two-bit symbols
 * </pre>
 *
 * <p>Status symbols: 00 not received, 01 received with a one-byte unsigned delta, 10 received
 * with a two-byte signed delta, 11 reserved. Deltas are in 250 µs ticks; the first is relative to
 * the reference time (a signed 24-bit count of 64 ms), each next one to the previous packet's
 * arrival, so a negative delta means reordering.
 *
 * <p>{@link #reset} decodes the chunks once with arithmetic per chunk (never per covered packet),
 * so validation costs time proportional to the packet size even when a short packet claims a
 * status count of 65535; iteration then yields exactly the status count, which run length chunks
 * may legitimately make larger than the packet. A last chunk that covers more packets than the
 * status count is clipped, as browsers send such chunks.
 */
public final class TransportCcParser {
  /** Status: the packet was not received (or not yet). */
  public static final int STATUS_NOT_RECEIVED = 0;
  /** Status: received; the delta took one unsigned byte. */
  public static final int STATUS_SMALL_DELTA = 1;
  /** Status: received; the delta took two signed bytes. */
  public static final int STATUS_LARGE_DELTA = 2;
  /** Receive delta resolution. */
  public static final int DELTA_TICK_US = 250;
  /** Reference time resolution. */
  public static final int REFERENCE_TIME_TICK_US = 64_000;
  /** Header, SSRCs, base sequence, status count, reference time and feedback count. */
  public static final int FIXED_SIZE_BYTES = 20;

  private static final int RESERVED_SYMBOL = 3;
  private static final int KIND_RUN = 0;
  private static final int KIND_ONE_BIT = 1;
  private static final int KIND_TWO_BIT = 2;

  private byte[] buf;
  private int off;
  private int statusesLeft;
  private int chunkPos;
  private int deltaPos;
  private int chunkKind;
  private int chunkWord;
  private int chunkIndex;
  private int chunkSymbolsLeft;
  private int nextSeq;
  private long arrivalTicks;

  private int seq;
  private int status;
  private int deltaTicks;

  /**
   * Validates the TWCC feedback in {@code (buf, off, len)} and rewinds to its first packet status.
   *
   * @return {@link RtcpDropReason#OK}, or the reason; on failure nothing is yielded
   */
  public RtcpDropReason reset(byte[] buf, int off, int len) {
    this.buf = buf;
    this.off = off;
    this.statusesLeft = 0;
    RtcpDropReason reason = validate(buf, off, len);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    statusesLeft = packetStatusCount();
    int chunkBytes = 0;
    // Locate the first delta: walk the chunks the same way validate() did.
    int remaining = statusesLeft;
    while (remaining > 0) {
      int word = RtcpBytes.u16(buf, off + FIXED_SIZE_BYTES + chunkBytes);
      chunkBytes += 2;
      remaining -= Math.min(remaining, symbolCapacity(word));
    }
    chunkPos = off + FIXED_SIZE_BYTES;
    deltaPos = chunkPos + chunkBytes;
    chunkSymbolsLeft = 0;
    nextSeq = baseSequenceNumber();
    arrivalTicks = (long) referenceTime() * (REFERENCE_TIME_TICK_US / DELTA_TICK_US);
    return RtcpDropReason.OK;
  }

  /**
   * Checks the packet: feedback header, PT=205, FMT=15, chunks covering the packet status count,
   * no reserved status symbols among the counted ones, and receive deltas within the body.
   */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason =
        RtcpFeedback.check(buf, off, len, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_TWCC);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int end = off + RtcpFeedback.bodySizeBytes(buf, off, len);
    if (end - off < FIXED_SIZE_BYTES) {
      return RtcpDropReason.TRUNCATED_BODY;
    }
    int remaining = RtcpBytes.u16(buf, off + 14);
    int pos = off + FIXED_SIZE_BYTES;
    long deltaBytes = 0;
    while (remaining > 0) {
      if (end - pos < 2) {
        return RtcpDropReason.TWCC_CHUNKS_TRUNCATED;
      }
      int word = RtcpBytes.u16(buf, pos);
      pos += 2;
      if ((word & 0x8000) == 0) {
        int symbol = (word >>> 13) & 0x3;
        int covered = Math.min(remaining, word & 0x1FFF);
        if (symbol == RESERVED_SYMBOL && covered > 0) {
          return RtcpDropReason.TWCC_RESERVED_SYMBOL;
        }
        // The symbol value is also the delta size in bytes: 0, 1 or 2.
        deltaBytes += (long) covered * symbol;
        remaining -= covered;
      } else if ((word & 0x4000) == 0) {
        int covered = Math.min(remaining, 14);
        for (int i = 0; i < covered; i++) {
          deltaBytes += (word >>> (13 - i)) & 0x1;
        }
        remaining -= covered;
      } else {
        int covered = Math.min(remaining, 7);
        for (int i = 0; i < covered; i++) {
          int symbol = (word >>> (12 - 2 * i)) & 0x3;
          if (symbol == RESERVED_SYMBOL) {
            return RtcpDropReason.TWCC_RESERVED_SYMBOL;
          }
          deltaBytes += symbol;
        }
        remaining -= covered;
      }
    }
    if (end - pos < deltaBytes) {
      return RtcpDropReason.TWCC_DELTAS_TRUNCATED;
    }
    return RtcpDropReason.OK;
  }

  private static int symbolCapacity(int word) {
    if ((word & 0x8000) == 0) {
      return word & 0x1FFF;
    }
    return (word & 0x4000) == 0 ? 14 : 7;
  }

  /**
   * Advances to the next packet status, in sequence number order.
   *
   * @return false when all {@link #packetStatusCount()} statuses have been yielded
   */
  public boolean next() {
    if (statusesLeft == 0) {
      return false;
    }
    // Skip chunks that cover nothing (a zero run length is legal on the wire).
    while (chunkSymbolsLeft == 0) {
      chunkWord = RtcpBytes.u16(buf, chunkPos);
      chunkPos += 2;
      chunkIndex = 0;
      if ((chunkWord & 0x8000) == 0) {
        chunkKind = KIND_RUN;
        chunkSymbolsLeft = chunkWord & 0x1FFF;
      } else if ((chunkWord & 0x4000) == 0) {
        chunkKind = KIND_ONE_BIT;
        chunkSymbolsLeft = 14;
      } else {
        chunkKind = KIND_TWO_BIT;
        chunkSymbolsLeft = 7;
      }
    }
    switch (chunkKind) {
      case KIND_RUN:
        status = (chunkWord >>> 13) & 0x3;
        break;
      case KIND_ONE_BIT:
        status = (chunkWord >>> (13 - chunkIndex)) & 0x1;
        break;
      default:
        status = (chunkWord >>> (12 - 2 * chunkIndex)) & 0x3;
        break;
    }
    chunkIndex++;
    chunkSymbolsLeft--;
    statusesLeft--;
    seq = nextSeq;
    nextSeq = (nextSeq + 1) & 0xFFFF;
    if (status == STATUS_SMALL_DELTA) {
      deltaTicks = buf[deltaPos] & 0xFF;
      deltaPos += 1;
      arrivalTicks += deltaTicks;
    } else if (status == STATUS_LARGE_DELTA) {
      deltaTicks = (short) RtcpBytes.u16(buf, deltaPos);
      deltaPos += 2;
      arrivalTicks += deltaTicks;
    } else {
      deltaTicks = 0;
    }
    return true;
  }

  /** The current packet's transport-wide sequence number. */
  public int sequenceNumber() {
    return seq;
  }

  /** The current packet's status: {@link #STATUS_NOT_RECEIVED}, small or large delta. */
  public int status() {
    return status;
  }

  /** Whether the current packet was received. */
  public boolean received() {
    return status != STATUS_NOT_RECEIVED;
  }

  /** The current packet's receive delta in 250 µs ticks (0 when not received). */
  public int deltaTicks() {
    return deltaTicks;
  }

  /** The current packet's receive delta in microseconds (0 when not received). */
  public int deltaUs() {
    return deltaTicks * DELTA_TICK_US;
  }

  /**
   * The current packet's arrival time in microseconds on the feedback sender's clock: reference
   * time plus every delta so far. Only meaningful when {@link #received()}. The reference time is
   * a wrapping 24-bit value, so compare arrival times across feedback packets only after
   * unwrapping it.
   */
  public long arrivalTimeUs() {
    return arrivalTicks * DELTA_TICK_US;
  }

  /** SSRC of the feedback sender. */
  public int senderSsrc() {
    return RtcpFeedback.senderSsrc(buf, off);
  }

  /** SSRC of the media source. */
  public int mediaSsrc() {
    return RtcpFeedback.mediaSsrc(buf, off);
  }

  /** Sequence number of the first status. */
  public int baseSequenceNumber() {
    return RtcpBytes.u16(buf, off + 12);
  }

  /** Number of statuses the message carries. */
  public int packetStatusCount() {
    return RtcpBytes.u16(buf, off + 14);
  }

  /** Reference time in 64 ms units, a signed 24-bit value. */
  public int referenceTime() {
    return RtcpBytes.s24(buf, off + 16);
  }

  /** Reference time in microseconds. */
  public long referenceTimeUs() {
    return (long) referenceTime() * REFERENCE_TIME_TICK_US;
  }

  /** Feedback packet count (wraps at 256), which lets the media sender detect lost feedback. */
  public int feedbackPacketCount() {
    return buf[off + 19] & 0xFF;
  }
}
