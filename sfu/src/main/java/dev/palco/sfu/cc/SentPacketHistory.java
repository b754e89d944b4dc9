package dev.palco.sfu.cc;

/**
 * What was sent under each transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): send time, size and probe cluster, so
 * that feedback, which carries only sequence numbers and arrival times, can be matched back.
 *
 * <p>A ring of primitive arrays indexed by the low bits of the 16-bit sequence number. Its
 * capacity (8192 packets) covers several seconds of feedback at tens of Mbps; a slot that was
 * overwritten by a newer packet no longer matches and its feedback is ignored.
 */
final class SentPacketHistory {
  static final int CAPACITY = 1 << 13;
  private static final int MASK = CAPACITY - 1;

  static final byte EMPTY = 0;
  static final byte SENT = 1;
  static final byte REPORTED_LOST = 2;
  static final byte REPORTED_RECEIVED = 3;

  private final int[] seqs = new int[CAPACITY];
  private final long[] sendTimesUs = new long[CAPACITY];
  private final int[] sizesBytes = new int[CAPACITY];
  private final int[] probeClusterIds = new int[CAPACITY];
  private final byte[] states = new byte[CAPACITY];

  /** Records a packet; a previous packet in the same slot is forgotten. */
  void onSent(int seq, long sendTimeUs, int sizeBytes, int probeClusterId) {
    int i = seq & MASK;
    seqs[i] = seq & 0xFFFF;
    sendTimesUs[i] = sendTimeUs;
    sizesBytes[i] = sizeBytes;
    probeClusterIds[i] = probeClusterId;
    states[i] = SENT;
  }

  /** The slot of {@code seq}, or -1 if it was never sent or has been overwritten. */
  int find(int seq) {
    int i = seq & MASK;
    return states[i] != EMPTY && seqs[i] == (seq & 0xFFFF) ? i : -1;
  }

  long sendTimeUs(int slot) {
    return sendTimesUs[slot];
  }

  int sizeBytes(int slot) {
    return sizesBytes[slot];
  }

  int probeClusterId(int slot) {
    return probeClusterIds[slot];
  }

  byte state(int slot) {
    return states[slot];
  }

  void setState(int slot, byte state) {
    states[slot] = state;
  }
}
