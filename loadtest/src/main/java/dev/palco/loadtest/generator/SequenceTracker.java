package dev.palco.loadtest.generator;

import dev.palco.rtp.SequenceUnwrapper;
import dev.palco.rtp.rtcp.ReportBlock;

/**
 * Per-stream accounting: the extended highest sequence number and a ring of which of the last
 * {@value #WINDOW} arrived, so that duplicates and retransmissions are counted once.
 */
final class SequenceTracker {
  // Not thread-safe: the owning subscriber locks around it.
  static final int WINDOW = 8_192;
  private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
  private final long[] bits = new long[WINDOW / 64];
  private long first = -1;
  private long highest = -1;
  private long unique;
  private long expectedPrior;
  private long receivedPrior;

  /** @return how many sequence numbers this packet skipped (0 when in order or late) */
  long onPacket(int seq) {
    long ext = unwrapper.unwrap(seq);
    if (first < 0) {
      first = ext;
      highest = ext;
      mark(ext);
      return 0;
    }
    long gap = 0;
    if (ext > highest) {
      for (long s = highest + 1; s < ext && s > ext - WINDOW; s++) {
        clear(s);
      }
      gap = ext - highest - 1;
      highest = ext;
      clear(ext);
    }
    // A packet from before the first one is outside what is expected: not counted.
    if (highest - ext < WINDOW && ext >= first) {
      mark(ext);
    }
    return gap;
  }

  void onRetransmission(int osn) {
    if (first < 0) {
      return;
    }
    long ext = unwrapper.peek(osn);
    if (ext <= highest && highest - ext < WINDOW && ext >= first) {
      mark(ext);
    }
  }

  boolean has(long ext) {
    return highest - ext < WINDOW && ext <= highest && (bits[(int) ((ext >>> 6) & (bits.length - 1))]
        & (1L << (ext & 63))) != 0;
  }

  private void mark(long ext) {
    int word = (int) ((ext >>> 6) & (bits.length - 1));
    long bit = 1L << (ext & 63);
    if ((bits[word] & bit) == 0) {
      bits[word] |= bit;
      unique++;
    }
  }

  private void clear(long ext) {
    bits[(int) ((ext >>> 6) & (bits.length - 1))] &= ~(1L << (ext & 63));
  }

  long highest() {
    return highest;
  }

  long expected() {
    return first < 0 ? 0 : highest - first + 1;
  }

  long unique() {
    return unique;
  }

  /** RFC 3550 §A.3: fraction lost since the last report, cumulative loss, highest sequence. */
  void fill(ReportBlock block, int ssrc) {
    long expected = expected();
    long lost = Math.max(0, expected - unique);
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = unique - receivedPrior;
    expectedPrior = expected;
    receivedPrior = unique;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
    block.set(ssrc, Math.min(255, fraction), (int) Math.min(ReportBlock.MAX_CUMULATIVE_LOST, lost),
        highest & 0xFFFF_FFFFL, 0, 0, 0);
  }
}
