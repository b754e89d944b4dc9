package dev.palco.sfu.cc;

/**
 * Groups acknowledged packets into bursts and yields the delay variation between consecutive
 * groups (draft-ietf-rmcat-gcc-02 §5.2, "pre-filtering"; libwebrtc's InterArrival).
 *
 * <p>A group is the packets sent within {@link #BURST_TIME_US} of its first packet: a video frame
 * leaves the pacer as such a burst, and comparing single packets would measure the pacer, not the
 * path. A packet that arrives within the burst time of the group's last arrival, and earlier
 * relative to its send time than the previous packet did, joins the group too: a queue released at
 * once by cross traffic delivers such bursts, and they carry no information about our own rate.
 *
 * <p>When a packet starts a new group and a previous complete group exists, the deltas between
 * the two last complete groups are available: {@link #sendDeltaUs()} (last send times) and {@link
 * #arrivalDeltaUs()} (last arrival times). Their difference is the one-way delay variation d(i)
 * of gcc §5.3. Packets older than the current group (reordered) are ignored; a negative or huge
 * arrival delta (a receiver clock jump) restarts grouping.
 */
final class PacketGrouper {
  /** gcc §5.2: packets sent within this interval form one group. */
  static final long BURST_TIME_US = 5_000;
  /** A burst that keeps arriving back to back is cut after this long (libwebrtc's bound). */
  static final long MAX_BURST_DURATION_US = 100_000;
  /** An arrival gap this large means the receiver's clock jumped, not the queue. */
  static final long MAX_ARRIVAL_DELTA_US = 3_000_000;

  private boolean haveCurrent;
  private long curFirstSendUs;
  private long curLastSendUs;
  private long curFirstArrivalUs;
  private long curLastArrivalUs;
  private long curSizeBytes;

  private boolean havePrevious;
  private long prevLastSendUs;
  private long prevLastArrivalUs;
  private long prevSizeBytes;

  private long sendDeltaUs;
  private long arrivalDeltaUs;
  private long sizeDeltaBytes;
  private long resets;

  /**
   * Adds one acknowledged packet (in feedback order).
   *
   * @return true when a group has just completed and {@link #sendDeltaUs()} and {@link
   *     #arrivalDeltaUs()} describe it against the group before
   */
  boolean onPacket(long sendTimeUs, long arrivalTimeUs, int sizeBytes) {
    if (!haveCurrent) {
      startGroup(sendTimeUs, arrivalTimeUs, sizeBytes);
      return false;
    }
    if (sendTimeUs < curFirstSendUs) {
      return false;
    }
    if (belongsToCurrent(sendTimeUs, arrivalTimeUs)) {
      curLastSendUs = Math.max(curLastSendUs, sendTimeUs);
      curLastArrivalUs = Math.max(curLastArrivalUs, arrivalTimeUs);
      curSizeBytes += sizeBytes;
      return false;
    }
    boolean ready = false;
    if (havePrevious) {
      long arrivalDelta = curLastArrivalUs - prevLastArrivalUs;
      if (arrivalDelta < 0 || arrivalDelta > MAX_ARRIVAL_DELTA_US) {
        resets++;
        havePrevious = false;
        startGroup(sendTimeUs, arrivalTimeUs, sizeBytes);
        return false;
      }
      sendDeltaUs = curLastSendUs - prevLastSendUs;
      arrivalDeltaUs = arrivalDelta;
      sizeDeltaBytes = curSizeBytes - prevSizeBytes;
      ready = true;
    }
    havePrevious = true;
    prevLastSendUs = curLastSendUs;
    prevLastArrivalUs = curLastArrivalUs;
    prevSizeBytes = curSizeBytes;
    startGroup(sendTimeUs, arrivalTimeUs, sizeBytes);
    return ready;
  }

  private boolean belongsToCurrent(long sendTimeUs, long arrivalTimeUs) {
    if (sendTimeUs - curFirstSendUs <= BURST_TIME_US) {
      return true;
    }
    long arrivalDelta = arrivalTimeUs - curLastArrivalUs;
    long sendDelta = sendTimeUs - curLastSendUs;
    return arrivalDelta - sendDelta < 0
        && arrivalDelta <= BURST_TIME_US
        && arrivalTimeUs - curFirstArrivalUs < MAX_BURST_DURATION_US;
  }

  private void startGroup(long sendTimeUs, long arrivalTimeUs, int sizeBytes) {
    haveCurrent = true;
    curFirstSendUs = sendTimeUs;
    curLastSendUs = sendTimeUs;
    curFirstArrivalUs = arrivalTimeUs;
    curLastArrivalUs = arrivalTimeUs;
    curSizeBytes = sizeBytes;
  }

  long sendDeltaUs() {
    return sendDeltaUs;
  }

  long arrivalDeltaUs() {
    return arrivalDeltaUs;
  }

  long sizeDeltaBytes() {
    return sizeDeltaBytes;
  }

  /** Arrival time of the last packet of the group that just completed. */
  long lastCompleteArrivalUs() {
    return prevLastArrivalUs;
  }

  long resets() {
    return resets;
  }
}
