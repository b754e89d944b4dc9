package dev.palco.bridge.ingest;

import dev.palco.rtp.AbsCaptureTimeExtension;
import dev.palco.rtp.HeaderExtensionCursor;
import dev.palco.rtp.RtpDropReason;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.SequenceUnwrapper;
import dev.palco.rtp.TimestampUnwrapper;

/**
 * The jitter buffer of one track: puts its RTP packets back in sequence order within a window,
 * waits a bounded time for a missing one, and hands out whole frames, assembled by the track's
 * {@link Depacketizer}, in order.
 *
 * <p><b>Frames.</b> A frame is the run of packets with one RTP timestamp (RFC 3550 §5.1: packets of
 * one video frame share it), from a packet that starts a frame to the one with the marker bit
 * (RFC 7741 §4.1, RFC 6184 §5.1), or to the last one before a packet with another timestamp when
 * the marker is missing. For Opus every packet is a frame (RFC 7587 §4.2).
 *
 * <p><b>Loss.</b> A frame whose packets are not all there {@code maxWaitUs} after its first packet
 * arrived, or a missing packet that long after the next one arrived, is given up: its packets are
 * dropped, and the buffer resumes at the next packet that starts a frame with another timestamp.
 * {@link #takeLoss()} then reports it, so that a video track drops delta frames until the next
 * keyframe (and asks for one). Sequence numbers are extended ({@link SequenceUnwrapper}), so
 * wrap-around is invisible; timestamps are compared for equality only and unwrapped for output.
 *
 * <p>Storage is a ring of {@code capacity} slots preallocated at construction: nothing is
 * allocated per packet. Not thread-safe: one ingest thread.
 */
final class JitterBuffer {
  /** The largest RTP packet a slot holds (an Ethernet MTU). */
  static final int SLOT_BYTES = 1500;
  private static final long EMPTY = Long.MIN_VALUE;

  private final int capacity;
  private final long maxWaitUs;
  private final boolean packetPerFrame;
  private final Depacketizer depacketizer;
  private final int absCaptureTimeId;

  private final byte[][] data;
  private final int[] length;
  private final int[] payloadOffset;
  private final int[] payloadLength;
  private final long[] extSeq;
  private final long[] timestamp;
  private final boolean[] marker;
  private final long[] sourceSsrc;
  private final long[] sourceTimestamp;
  private final long[] arrivalUs;

  private final RtpPacket rtp = new RtpPacket();
  private final HeaderExtensionCursor extensions = new HeaderExtensionCursor();
  private final SequenceUnwrapper sequences = new SequenceUnwrapper();
  private final TimestampUnwrapper timestamps = new TimestampUnwrapper();
  private final long[] drops = new long[IngestDropReason.values().length];

  /** The extended sequence number to play out next; EMPTY before the first packet. */
  private long next = EMPTY;
  /** The highest extended sequence number stored. */
  private long highest = EMPTY;
  private int stored;
  /** After a loss: resume only at a frame start whose timestamp is not {@link #brokenTimestamp}. */
  private boolean resync = true;
  private long brokenTimestamp = -1;
  private boolean lossPending;
  /** Whether a frame was played out or a packet given up since the start: {@link #next} only advances from then on. */
  private boolean playedOut;
  private long framesOut;

  /**
   * @param capacity slots, a power of two is not required; the window of sequence numbers held
   * @param maxWaitUs how long a missing packet is waited for
   * @param packetPerFrame true for audio: every packet is a frame
   * @param absCaptureTimeId the abs-capture-time extension id, or 0 when not negotiated
   */
  JitterBuffer(int capacity, long maxWaitUs, boolean packetPerFrame, Depacketizer depacketizer,
      int absCaptureTimeId) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.capacity = capacity;
    this.maxWaitUs = maxWaitUs;
    this.packetPerFrame = packetPerFrame;
    this.depacketizer = depacketizer;
    this.absCaptureTimeId = absCaptureTimeId;
    this.data = new byte[capacity][SLOT_BYTES];
    this.length = new int[capacity];
    this.payloadOffset = new int[capacity];
    this.payloadLength = new int[capacity];
    this.extSeq = new long[capacity];
    this.timestamp = new long[capacity];
    this.marker = new boolean[capacity];
    this.sourceSsrc = new long[capacity];
    this.sourceTimestamp = new long[capacity];
    this.arrivalUs = new long[capacity];
    java.util.Arrays.fill(extSeq, EMPTY);
  }

  /**
   * Stores one RTP packet (a view; copied).
   *
   * @return {@link IngestDropReason#OK}, or why the packet was dropped (also counted)
   */
  IngestDropReason insert(byte[] buf, int off, int len, long srcSsrc, long srcTimestamp, long nowUs) {
    if (rtp.parse(buf, off, len) != RtpDropReason.OK) {
      return count(IngestDropReason.MALFORMED_RTP);
    }
    if (rtp.payloadLength() <= 0) {
      return count(IngestDropReason.EMPTY_PAYLOAD);
    }
    if (len > SLOT_BYTES) {
      return count(IngestDropReason.TOO_LARGE);
    }
    long ext = sequences.unwrap(rtp.sequenceNumber());
    if (next == EMPTY) {
      next = ext;
      highest = ext;
      resync = true;
    }
    if (ext < next) {
      if (playedOut || highest - ext >= capacity) {
        return count(IngestDropReason.TOO_LATE);
      }
      // Nothing played out yet: the first packet to arrive need not have been the first sent.
      next = ext;
    }
    if (ext - next >= capacity) {
      // Far ahead (a long outage, or a jump of the sender's numbering): what is held is stale.
      flushAll(IngestDropReason.BUFFER_OVERFLOW);
      next = ext;
      highest = ext;
      resync = true;
      lossPending = true;
    }
    int slot = slotOf(ext);
    if (extSeq[slot] == ext) {
      return count(IngestDropReason.DUPLICATE);
    }
    System.arraycopy(buf, off, data[slot], 0, len);
    length[slot] = len;
    payloadOffset[slot] = rtp.payloadOffset() - off;
    payloadLength[slot] = rtp.payloadLength();
    extSeq[slot] = ext;
    timestamp[slot] = rtp.timestamp();
    marker[slot] = rtp.marker();
    sourceSsrc[slot] = srcSsrc;
    sourceTimestamp[slot] = srcTimestamp;
    arrivalUs[slot] = nowUs;
    stored++;
    if (ext > highest) {
      highest = ext;
    }
    return IngestDropReason.OK;
  }

  /**
   * Assembles the next frame into {@code out} if it is complete, giving up on packets waited for
   * longer than the maximum wait.
   *
   * @return true if {@code out} holds a frame
   */
  boolean poll(long nowUs, EncodedFrame out) {
    while (stored > 0) {
      int slot = slotOf(next);
      if (extSeq[slot] != next) {
        // A hole at the head: wait for it while the packet after it is young enough.
        long after = firstStoredAfter(next);
        if (nowUs - arrivalUs[slotOf(after)] < maxWaitUs) {
          return false;
        }
        count(IngestDropReason.LOST, after - next);
        next = after;
        playedOut = true;
        enterResync();
        continue;
      }
      if (resync) {
        if (!startsNewFrame(slot)) {
          if (!playedOut && nowUs - arrivalUs[slot] < maxWaitUs) {
            // At the start, the packets before it may still come (reordered).
            return false;
          }
          dropSlot(slot, IngestDropReason.BROKEN_FRAME_PACKET);
          next++;
          playedOut = true;
          continue;
        }
        resync = false;
      }
      // The head starts a frame: find its end.
      long ts = timestamp[slot];
      long end = next;
      boolean complete = false;
      while (true) {
        int s = slotOf(end);
        if (packetPerFrame || marker[s]) {
          complete = true;
          break;
        }
        long following = end + 1;
        if (following > highest) {
          break;
        }
        int f = slotOf(following);
        if (extSeq[f] != following) {
          break;
        }
        if (timestamp[f] != ts) {
          // The marker was not set, but the next frame has begun right after: this one is whole.
          complete = true;
          break;
        }
        end = following;
      }
      if (!complete) {
        if (nowUs - arrivalUs[slot] < maxWaitUs) {
          return false;
        }
        // Give the frame up: drop what is here of it; the hole (if any) is skipped next round.
        count(IngestDropReason.INCOMPLETE_FRAME);
        for (long e = next; e <= end; e++) {
          dropSlot(slotOf(e), IngestDropReason.BROKEN_FRAME_PACKET);
        }
        next = end + 1;
        playedOut = true;
        enterResync();
        // Its late packets, if any still come, are not a frame start.
        brokenTimestamp = ts;
        continue;
      }
      IngestDropReason r = assemble(next, end, out);
      for (long e = next; e <= end; e++) {
        free(slotOf(e));
      }
      next = end + 1;
      playedOut = true;
      if (r != IngestDropReason.OK) {
        count(r);
        if (!packetPerFrame) {
          lossPending = true;
        }
        continue;
      }
      framesOut++;
      return true;
    }
    return false;
  }

  private IngestDropReason assemble(long first, long last, EncodedFrame out) {
    out.clear();
    int s0 = slotOf(first);
    out.rtpTimestamp = timestamps.unwrap(timestamp[s0]);
    out.sourceSsrc = sourceSsrc[s0];
    out.sourceTimestamp = sourceTimestamp[s0];
    out.arrivalUs = arrivalUs[s0];
    if (absCaptureTimeId > 0) {
      out.absCaptureUs = absCaptureTime(s0);
    }
    depacketizer.begin(out);
    for (long e = first; e <= last; e++) {
      int s = slotOf(e);
      IngestDropReason r = depacketizer.append(data[s], payloadOffset[s], payloadLength[s], e == first, out);
      if (r != IngestDropReason.OK) {
        return r;
      }
    }
    return depacketizer.end(out);
  }

  /** abs-capture-time of a stored packet as Unix µs in the capture clock moved to the sender's, or NO_CAPTURE_TIME. */
  private long absCaptureTime(int slot) {
    if (!extensions.reset(data[slot], 0, length[slot]) || !extensions.find(absCaptureTimeId)) {
      return EncodedFrame.NO_CAPTURE_TIME;
    }
    int len = extensions.dataLength();
    if (!AbsCaptureTimeExtension.isValidLength(len)) {
      return EncodedFrame.NO_CAPTURE_TIME;
    }
    int at = extensions.dataOffset();
    long us = NtpClock.ntpToUnixMicros(AbsCaptureTimeExtension.captureTimeNtp(data[slot], at));
    if (AbsCaptureTimeExtension.hasClockOffset(len)) {
      // The offset (signed Q32.32 seconds) moves the capture clock onto the sender's NTP clock.
      us += NtpClock.q32ToMicros(AbsCaptureTimeExtension.clockOffsetQ32(data[slot], at));
    }
    return us;
  }

  /** After a loss: a frame start with a timestamp other than the broken frame's. */
  private boolean startsNewFrame(int slot) {
    if (timestamp[slot] == brokenTimestamp) {
      return false;
    }
    return depacketizer.startsFrame(data[slot], payloadOffset[slot], payloadLength[slot]);
  }

  private void enterResync() {
    resync = true;
    brokenTimestamp = -1;
    if (!packetPerFrame) {
      lossPending = true;
    }
  }

  /** Whether a frame was lost since the last call (video: wait for a keyframe). */
  boolean takeLoss() {
    boolean was = lossPending;
    lossPending = false;
    return was;
  }

  /** The earliest stored sequence number after {@code ext}; there is one ({@code stored > 0}). */
  private long firstStoredAfter(long ext) {
    for (long e = ext + 1; e <= highest; e++) {
      if (extSeq[slotOf(e)] == e) {
        return e;
      }
    }
    throw new IllegalStateException("no packet stored after " + ext);
  }

  private void flushAll(IngestDropReason reason) {
    for (int i = 0; i < capacity; i++) {
      if (extSeq[i] != EMPTY) {
        dropSlot(i, reason);
      }
    }
  }

  private void dropSlot(int slot, IngestDropReason reason) {
    count(reason);
    free(slot);
  }

  private void free(int slot) {
    if (extSeq[slot] != EMPTY) {
      extSeq[slot] = EMPTY;
      stored--;
    }
  }

  private int slotOf(long ext) {
    return (int) Math.floorMod(ext, (long) capacity);
  }

  private IngestDropReason count(IngestDropReason r) {
    drops[r.ordinal()]++;
    return r;
  }

  private void count(IngestDropReason r, long n) {
    drops[r.ordinal()] += n;
  }

  /** Drops by reason ({@link IngestDropReason#ordinal()}); read on the ingest thread or racily. */
  long drops(IngestDropReason r) {
    return drops[r.ordinal()];
  }

  /** Packets held now. */
  int stored() {
    return stored;
  }

  /** Frames handed out. */
  long framesOut() {
    return framesOut;
  }
}
