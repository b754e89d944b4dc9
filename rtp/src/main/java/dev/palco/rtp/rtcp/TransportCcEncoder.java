package dev.palco.rtp.rtcp;

/**
 * Builds transport-wide congestion control feedback, RTPFB FMT=15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1; layout on {@link TransportCcParser}).
 *
 * <p>A reusable builder with every buffer allocated up front: {@link #reset}, then {@link #add}
 * for each transport-wide sequence number in ascending (wrap-aware) order with its arrival time,
 * or {@link #NOT_RECEIVED}; skipped sequence numbers are reported as not received. Then {@link
 * #write}. When {@code add} answers {@link AddResult#PACKET_FULL} or {@link
 * AddResult#DELTA_OUT_OF_RANGE}, the packet was not added: write this feedback, reset, and add it
 * again to start the next one (with a new reference time).
 *
 * <p>Chunk choice: statuses collect in a pending chunk for as long as one chunk can still hold
 * them all: up to 7 of any kind (two-bit vector), up to 14 without a large delta (one-bit vector),
 * or any number up to 8191 that are all the same (run length). When the next status does not fit,
 * the pending statuses leave as a run if they are all equal, as a one-bit vector if there are 14,
 * and otherwise the first 7 leave as a two-bit vector and the rest stay pending. Runs of losses
 * and of steady arrivals thus cost one chunk, and mixed stretches pack 7 or 14 per chunk.
 *
 * <p>Arrival times are rounded to the 250 µs grid against the previous packet's rounded time, so
 * rounding errors never accumulate over a feedback. The reference time is the first received
 * packet's arrival in whole 64 ms units; only its low 24 bits go on the wire, so it wraps every
 * 2^24 × 64 ms (about 12.4 days) and the media sender unwraps it.
 */
public final class TransportCcEncoder {
  /** The arrival time to pass for a packet that was not received. */
  public static final long NOT_RECEIVED = Long.MIN_VALUE;

  /** What {@link #add} did. */
  public enum AddResult {
    /** The status was added. */
    ADDED,
    /** Not added: the sequence number is not after the last one added (duplicate or older). */
    NOT_IN_ORDER,
    /** Not added: the feedback would exceed its size limit or 65535 statuses. */
    PACKET_FULL,
    /** Not added: the arrival is more than ±8.192 s from the previous one, beyond a 16-bit delta. */
    DELTA_OUT_OF_RANGE
  }

  private static final int MAX_STATUS_COUNT = 0xFFFF;
  private static final int MAX_RUN_LENGTH = 0x1FFF;
  private static final int ONE_BIT_CAPACITY = 14;
  private static final int TWO_BIT_CAPACITY = 7;
  /** Chunks a single add() can emit: a gap of up to 32767 runs of 8191, plus the packet's own. */
  private static final int ADD_SLACK = 16;

  private final int maxSizeBytes;
  private final char[] chunks;
  private final byte[] deltas;
  private final byte[] pending = new byte[ONE_BIT_CAPACITY];
  private final byte[] savedPending = new byte[ONE_BIT_CAPACITY];

  private int senderSsrc;
  private int mediaSsrc;
  private int feedbackPacketCount;

  // State; each field has a saved copy so that a rejected add() leaves no trace.
  private int baseSeq;
  private int nextSeq;
  private int statusCount;
  private int chunkCount;
  private int deltaBytes;
  private int pendingSize;
  private boolean pendingAllSame;
  private boolean pendingHasLarge;
  private boolean hasReference;
  private int referenceTime;
  private long lastArrivalUs;

  private int savedChunkCount;
  private int savedDeltaBytes;
  private int savedPendingSize;
  private boolean savedPendingAllSame;
  private boolean savedPendingHasLarge;

  /**
   * @param maxSizeBytes the largest feedback packet to build, at least 24 (a path MTU minus
   *     IP/UDP/SRTCP overhead is typical); capped at the RTCP length field's limit
   */
  public TransportCcEncoder(int maxSizeBytes) {
    if (maxSizeBytes < TransportCcParser.FIXED_SIZE_BYTES + 4) {
      throw new IllegalArgumentException("maxSizeBytes must be at least 24");
    }
    this.maxSizeBytes = Math.min(maxSizeBytes, RtcpHeader.MAX_PACKET_SIZE_BYTES) & ~3;
    int room = this.maxSizeBytes - TransportCcParser.FIXED_SIZE_BYTES;
    // Slack: one add() may emit a few chunks (a long gap) and two delta bytes before the size
    // check rolls it back.
    this.chunks = new char[room / 2 + ADD_SLACK];
    this.deltas = new byte[room + ADD_SLACK];
  }

  /** Starts a new, empty feedback. */
  public void reset(int senderSsrc, int mediaSsrc, int feedbackPacketCount) {
    this.senderSsrc = senderSsrc;
    this.mediaSsrc = mediaSsrc;
    this.feedbackPacketCount = feedbackPacketCount & 0xFF;
    baseSeq = 0;
    nextSeq = 0;
    statusCount = 0;
    chunkCount = 0;
    deltaBytes = 0;
    pendingSize = 0;
    pendingAllSame = true;
    pendingHasLarge = false;
    hasReference = false;
    referenceTime = 0;
    lastArrivalUs = 0;
  }

  /**
   * Adds the status of transport-wide sequence number {@code seq}, reporting any sequence numbers
   * skipped since the previous call as not received.
   *
   * @param arrivalTimeUs the arrival time on the receiver's clock, or {@link #NOT_RECEIVED}
   */
  public AddResult add(int seq, long arrivalTimeUs) {
    seq &= 0xFFFF;
    if (statusCount == 0) {
      baseSeq = seq;
      nextSeq = seq;
    }
    int gap = (seq - nextSeq) & 0xFFFF;
    if (gap >= 0x8000) {
      return AddResult.NOT_IN_ORDER;
    }
    if (statusCount + gap + 1 > MAX_STATUS_COUNT) {
      return AddResult.PACKET_FULL;
    }
    boolean received = arrivalTimeUs != NOT_RECEIVED;
    int newReference = referenceTime;
    long previousUs = lastArrivalUs;
    int ticks = 0;
    if (received) {
      if (!hasReference) {
        long reference = Math.floorDiv(arrivalTimeUs, TransportCcParser.REFERENCE_TIME_TICK_US);
        newReference = (int) reference;
        previousUs = reference * TransportCcParser.REFERENCE_TIME_TICK_US;
      }
      long diffUs = arrivalTimeUs - previousUs;
      // Overflow guard: only possible for arrival times near the ends of the long range.
      if (((arrivalTimeUs ^ previousUs) & (arrivalTimeUs ^ diffUs)) < 0) {
        return AddResult.DELTA_OUT_OF_RANGE;
      }
      long roundedTicks = Math.floorDiv(diffUs + TransportCcParser.DELTA_TICK_US / 2, TransportCcParser.DELTA_TICK_US);
      if (roundedTicks < Short.MIN_VALUE || roundedTicks > Short.MAX_VALUE) {
        return AddResult.DELTA_OUT_OF_RANGE;
      }
      ticks = (int) roundedTicks;
    }
    int symbol = !received
        ? TransportCcParser.STATUS_NOT_RECEIVED
        : (ticks >= 0 && ticks <= 0xFF ? TransportCcParser.STATUS_SMALL_DELTA : TransportCcParser.STATUS_LARGE_DELTA);

    save();
    addSymbols(TransportCcParser.STATUS_NOT_RECEIVED, gap);
    addSymbols(symbol, 1);
    if (symbol == TransportCcParser.STATUS_SMALL_DELTA) {
      deltas[deltaBytes++] = (byte) ticks;
    } else if (symbol == TransportCcParser.STATUS_LARGE_DELTA) {
      deltas[deltaBytes++] = (byte) (ticks >> 8);
      deltas[deltaBytes++] = (byte) ticks;
    }
    if (sizeBytes() > maxSizeBytes) {
      restore();
      return AddResult.PACKET_FULL;
    }
    statusCount += gap + 1;
    nextSeq = (seq + 1) & 0xFFFF;
    if (received) {
      hasReference = true;
      referenceTime = newReference;
      lastArrivalUs = previousUs + (long) ticks * TransportCcParser.DELTA_TICK_US;
    }
    return AddResult.ADDED;
  }

  /** Number of statuses added so far, skipped sequence numbers included. */
  public int packetStatusCount() {
    return statusCount;
  }

  /** The size {@link #write} will produce now. */
  public int sizeBytes() {
    int chunkTotal = chunkCount + (pendingSize > 0 ? 1 : 0);
    int size = TransportCcParser.FIXED_SIZE_BYTES + 2 * chunkTotal + deltaBytes;
    return (size + 3) & ~3;
  }

  /**
   * Writes the feedback built so far. Zero bytes pad the deltas to a 32-bit boundary, as the
   * draft's figure shows, so the padding bit stays clear. The builder is not changed.
   *
   * @return the number of bytes written, {@link #sizeBytes()}
   */
  public int write(byte[] buf, int off) {
    int size = sizeBytes();
    RtcpFeedback.writeHeader(
        buf, off, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_TWCC, size, senderSsrc, mediaSsrc);
    RtcpBytes.put16(buf, off + 12, baseSeq);
    RtcpBytes.put16(buf, off + 14, statusCount);
    RtcpBytes.put24(buf, off + 16, referenceTime);
    buf[off + 19] = (byte) feedbackPacketCount;
    int pos = off + TransportCcParser.FIXED_SIZE_BYTES;
    for (int i = 0; i < chunkCount; i++) {
      RtcpBytes.put16(buf, pos, chunks[i]);
      pos += 2;
    }
    if (pendingSize > 0) {
      RtcpBytes.put16(buf, pos, lastChunkWord());
      pos += 2;
    }
    System.arraycopy(deltas, 0, buf, pos, deltaBytes);
    pos += deltaBytes;
    while (pos < off + size) {
      buf[pos++] = 0;
    }
    return size;
  }

  private void addSymbols(int symbol, int count) {
    while (count > 0) {
      if (pendingSize >= ONE_BIT_CAPACITY && pendingAllSame && pending[0] == symbol) {
        // Already a run: extend it in bulk so a long loss gap costs no per-packet work.
        int take = Math.min(count, MAX_RUN_LENGTH - pendingSize);
        pendingSize += take;
        count -= take;
        if (count > 0) {
          emitPending();
        }
        continue;
      }
      while (!canAdd(symbol)) {
        emitPending();
      }
      if (pendingSize < ONE_BIT_CAPACITY) {
        pending[pendingSize] = (byte) symbol;
      }
      pendingAllSame = pendingSize == 0 || (pendingAllSame && pending[0] == symbol);
      pendingHasLarge |= symbol == TransportCcParser.STATUS_LARGE_DELTA;
      pendingSize++;
      count--;
    }
  }

  private boolean canAdd(int symbol) {
    if (pendingSize < TWO_BIT_CAPACITY) {
      return true;
    }
    if (pendingSize < ONE_BIT_CAPACITY
        && !pendingHasLarge
        && symbol != TransportCcParser.STATUS_LARGE_DELTA) {
      return true;
    }
    return pendingSize < MAX_RUN_LENGTH && pendingAllSame && pending[0] == symbol;
  }

  /** Moves (part of) the pending statuses into a finished chunk; see the class comment. */
  private void emitPending() {
    if (pendingAllSame) {
      chunks[chunkCount++] = runChunk(pending[0], pendingSize);
      pendingSize = 0;
    } else if (pendingSize == ONE_BIT_CAPACITY) {
      chunks[chunkCount++] = oneBitChunk(ONE_BIT_CAPACITY);
      pendingSize = 0;
    } else {
      chunks[chunkCount++] = twoBitChunk(TWO_BIT_CAPACITY);
      int rest = pendingSize - TWO_BIT_CAPACITY;
      System.arraycopy(pending, TWO_BIT_CAPACITY, pending, 0, rest);
      pendingSize = rest;
    }
    pendingAllSame = true;
    pendingHasLarge = false;
    for (int i = 0; i < pendingSize; i++) {
      pendingAllSame &= pending[i] == pending[0];
      pendingHasLarge |= pending[i] == TransportCcParser.STATUS_LARGE_DELTA;
    }
  }

  /** The chunk for whatever is pending at the end of the feedback. */
  private char lastChunkWord() {
    if (pendingAllSame) {
      return runChunk(pending[0], pendingSize);
    }
    if (pendingSize <= TWO_BIT_CAPACITY) {
      return twoBitChunk(pendingSize);
    }
    // More than 7 mixed statuses still pending means none of them has a large delta.
    return oneBitChunk(pendingSize);
  }

  private static char runChunk(int symbol, int runLength) {
    return (char) ((symbol << 13) | runLength);
  }

  private char oneBitChunk(int count) {
    int word = 0x8000;
    for (int i = 0; i < count; i++) {
      word |= (pending[i] & 0x1) << (13 - i);
    }
    return (char) word;
  }

  private char twoBitChunk(int count) {
    int word = 0xC000;
    for (int i = 0; i < count; i++) {
      word |= (pending[i] & 0x3) << (12 - 2 * i);
    }
    return (char) word;
  }

  private void save() {
    savedChunkCount = chunkCount;
    savedDeltaBytes = deltaBytes;
    savedPendingSize = pendingSize;
    savedPendingAllSame = pendingAllSame;
    savedPendingHasLarge = pendingHasLarge;
    System.arraycopy(pending, 0, savedPending, 0, ONE_BIT_CAPACITY);
  }

  private void restore() {
    chunkCount = savedChunkCount;
    deltaBytes = savedDeltaBytes;
    pendingSize = savedPendingSize;
    pendingAllSame = savedPendingAllSame;
    pendingHasLarge = savedPendingHasLarge;
    System.arraycopy(savedPending, 0, pending, 0, ONE_BIT_CAPACITY);
  }
}
