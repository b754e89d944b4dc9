package dev.palco.sfu.cc;

/**
 * Measures what a probe cluster proved (libwebrtc's probe bitrate estimator): the rate the
 * cluster was sent at and the rate it arrived at, from transport-wide feedback of its packets.
 *
 * <pre>
 *   send rate    = bytes without the last-sent packet  / (last send − first send)
 *   receive rate = bytes without the first-arrived one / (last arrival − first arrival)
 *   result       = min(send, receive), or 0.95 · receive when receive &lt; 0.9 · send
 * </pre>
 *
 * The interval counts gaps between packets, so the packet at one end is left out of the bytes.
 * A cluster of which less than {@link #MIN_RECEIVED_RATIO} arrived proves nothing (libwebrtc's
 * rule too): the rate of the packets that got through says little about a path that dropped the
 * rest.
 * When the receive rate falls clearly short of the send rate, the path saturated during the probe
 * and the receive rate is its capacity; a margin is kept below it. A cluster yields one result,
 * once every packet sent in it has been reported and enough of them arrived.
 *
 * <p>A small fixed table of clusters (the newest replace the oldest): no allocation.
 */
final class ProbeResultEstimator {
  static final int SLOTS = 4;
  static final int MIN_RECEIVED_PACKETS = 4;
  static final double MIN_RECEIVED_RATIO = 0.8;
  static final long MAX_SEND_INTERVAL_US = 1_000_000;
  static final double UNSATURATED_RATIO = 0.9;
  static final double SATURATED_UTILISATION = 0.95;

  private final int[] ids = new int[SLOTS];
  private final boolean[] used = new boolean[SLOTS];
  private final boolean[] done = new boolean[SLOTS];
  private final int[] sent = new int[SLOTS];
  private final int[] reported = new int[SLOTS];
  private final int[] received = new int[SLOTS];
  private final long[] firstSendUs = new long[SLOTS];
  private final long[] lastSendUs = new long[SLOTS];
  private final int[] lastSendSize = new int[SLOTS];
  private final long[] firstArrivalUs = new long[SLOTS];
  private final int[] firstArrivalSize = new int[SLOTS];
  private final long[] lastArrivalUs = new long[SLOTS];
  private final long[] bytes = new long[SLOTS];
  private int nextSlot;

  private int resultClusterId = -1;
  private long resultBps;

  void onSent(int clusterId) {
    int s = slotOf(clusterId);
    if (s < 0) {
      s = nextSlot;
      nextSlot = (nextSlot + 1) % SLOTS;
      ids[s] = clusterId;
      used[s] = true;
      done[s] = false;
      sent[s] = 0;
      reported[s] = 0;
      received[s] = 0;
      bytes[s] = 0;
    }
    sent[s]++;
  }

  void onLost(int clusterId) {
    int s = slotOf(clusterId);
    if (s >= 0) {
      reported[s]++;
    }
  }

  void onReceived(int clusterId, long sendTimeUs, long arrivalTimeUs, int sizeBytes) {
    int s = slotOf(clusterId);
    if (s < 0) {
      return;
    }
    reported[s]++;
    if (received[s] == 0) {
      firstSendUs[s] = sendTimeUs;
      lastSendUs[s] = sendTimeUs;
      lastSendSize[s] = sizeBytes;
      firstArrivalUs[s] = arrivalTimeUs;
      firstArrivalSize[s] = sizeBytes;
      lastArrivalUs[s] = arrivalTimeUs;
    } else {
      if (sendTimeUs < firstSendUs[s]) {
        firstSendUs[s] = sendTimeUs;
      }
      if (sendTimeUs >= lastSendUs[s]) {
        lastSendUs[s] = sendTimeUs;
        lastSendSize[s] = sizeBytes;
      }
      if (arrivalTimeUs < firstArrivalUs[s]) {
        firstArrivalUs[s] = arrivalTimeUs;
        firstArrivalSize[s] = sizeBytes;
      }
      if (arrivalTimeUs > lastArrivalUs[s]) {
        lastArrivalUs[s] = arrivalTimeUs;
      }
    }
    received[s]++;
    bytes[s] += sizeBytes;
  }

  /**
   * Looks for a cluster that is complete and not yet measured.
   *
   * @return true when {@link #resultClusterId()} and {@link #resultBps()} hold a new result
   */
  boolean takeResult() {
    for (int s = 0; s < SLOTS; s++) {
      if (!used[s] || done[s] || reported[s] < sent[s]) {
        continue;
      }
      done[s] = true;
      if (received[s] < MIN_RECEIVED_PACKETS || received[s] < MIN_RECEIVED_RATIO * sent[s]) {
        resultClusterId = ids[s];
        resultBps = 0;
        return true;
      }
      long sendInterval = lastSendUs[s] - firstSendUs[s];
      long receiveInterval = lastArrivalUs[s] - firstArrivalUs[s];
      if (sendInterval <= 0 || sendInterval > MAX_SEND_INTERVAL_US || receiveInterval <= 0) {
        resultClusterId = ids[s];
        resultBps = 0;
        return true;
      }
      double sendBps = (bytes[s] - lastSendSize[s]) * 8e6 / sendInterval;
      double receiveBps = (bytes[s] - firstArrivalSize[s]) * 8e6 / receiveInterval;
      double result = Math.min(sendBps, receiveBps);
      if (receiveBps < UNSATURATED_RATIO * sendBps) {
        result = SATURATED_UTILISATION * receiveBps;
      }
      resultClusterId = ids[s];
      resultBps = (long) result;
      return true;
    }
    return false;
  }

  int resultClusterId() {
    return resultClusterId;
  }

  long resultBps() {
    return resultBps;
  }

  private int slotOf(int clusterId) {
    for (int s = 0; s < SLOTS; s++) {
      if (used[s] && ids[s] == clusterId) {
        return s;
      }
    }
    return -1;
  }
}
