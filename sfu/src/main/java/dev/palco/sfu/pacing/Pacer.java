package dev.palco.sfu.pacing;

/**
 * Decides when each packet toward one subscriber leaves, so that bursts (a keyframe, a batch of
 * retransmissions) are spread at the pacing rate instead of overflowing a bottleneck queue
 * (libwebrtc's pacing controller; draft-ietf-rmcat-gcc-02 §4 assumes a paced sender).
 *
 * <p>The pacer holds references, not packets: the caller enqueues a handle (an index into its own
 * buffers) with the size, then calls {@link #poll} and sends, or releases, what comes back. The
 * pacer decides when; the caller sends.
 *
 * <p>Rules:
 * <ul>
 *   <li>A byte budget refills at the pacing rate (estimate × {@code pacingFactor}) and may build up
 *       for at most {@code burstWindowUs} while idle. A packet may leave while the budget is
 *       positive, and its size is charged (the budget may go into debt, which the next refill
 *       pays).</li>
 *   <li>Audio leaves at once, whatever the budget (it is charged, so video yields to it).</li>
 *   <li>Otherwise retransmissions leave before video.</li>
 *   <li>A retransmission or video packet queued longer than {@code maxQueueTimeUs} comes back from
 *       {@link #poll} with {@link #lastPollDropped()} true: release it, do not send it. A full
 *       queue refuses new packets ({@link #enqueue} returns false).</li>
 *   <li>During a probe ({@link #startProbe}) the rate is the probe's, every packet that leaves is
 *       tagged with the cluster id ({@link #lastProbeClusterId()}), and when no media waits the
 *       pacer returns {@link #PADDING}: send {@link #paddingSizeBytes()} of padding or RTX
 *       duplicates. A padding rate ({@link #setPaddingRateBps}) likewise fills idle time.</li>
 * </ul>
 * {@link #nextPollTimeUs} tells the scheduler when the next packet may leave.
 *
 * <p>Allocation-free; times are passed in (µs). Not thread-safe: confine to the subscriber's
 * send context.
 */
public final class Pacer {
  /** {@link #poll} result: nothing may leave now. */
  public static final int NOTHING = -1;
  /** {@link #poll} result: send {@link #paddingSizeBytes()} of padding now. */
  public static final int PADDING = -2;
  /** {@link #lastProbeClusterId()} outside a probe. */
  public static final int NO_PROBE = -1;

  private final PacerConfig config;
  private final PacketQueue audio;
  private final PacketQueue retransmissions;
  private final PacketQueue video;

  private long pacingRateBps;
  private long paddingRateBps;
  private double budgetBytes;
  private double paddingBudgetBytes;
  private long lastRefillUs = Long.MIN_VALUE;

  private int probeId = NO_PROBE;
  private long probeRateBps;
  private long probeBytesLeft;
  private int probePacketsLeft;

  private PacketPriority lastPriority;
  private boolean lastDropped;
  private int lastProbeClusterId = NO_PROBE;
  private int paddingSize;

  private long sentPackets;
  private long sentBytes;
  private long paddingBytesRequested;
  private long expiredPackets;
  private long refusedPackets;

  /** A pacer with the given tuning and a pacing rate of 0 until {@link #setEstimateBps}. */
  public Pacer(PacerConfig config) {
    this.config = config;
    audio = new PacketQueue(config.queueCapacity());
    retransmissions = new PacketQueue(config.queueCapacity());
    video = new PacketQueue(config.queueCapacity());
  }

  /** Sets the bandwidth estimate; the pacing rate becomes estimate × the pacing factor. */
  public void setEstimateBps(long estimateBps) {
    pacingRateBps = (long) (Math.max(0, estimateBps) * config.pacingFactor());
  }

  /** Padding to send when idle (0 for none), e.g. to keep the estimate alive for an upswitch. */
  public void setPaddingRateBps(long paddingRateBps) {
    this.paddingRateBps = Math.max(0, paddingRateBps);
  }

  /**
   * Starts a probe cluster: at least {@code minBytes} and {@code minPackets} sent at {@code
   * rateBps}, media first and padding when no media waits. A probe in progress is replaced.
   */
  public void startProbe(int clusterId, long rateBps, int minBytes, int minPackets) {
    probeId = clusterId;
    probeRateBps = rateBps;
    probeBytesLeft = minBytes;
    probePacketsLeft = minPackets;
  }

  /** Whether a probe cluster is being sent. */
  public boolean isProbing() {
    return probeId != NO_PROBE;
  }

  /**
   * Whether the pacer holds nothing to send: no packet queued, no probe cluster being sent and no
   * padding rate. Until the next {@link #enqueue}, {@link #startProbe} or rate change, {@link #poll}
   * then returns {@link #NOTHING} and does nothing but refill the budget, and a refill at one rate
   * gives the same budget whether done at every tick or once at the next poll: the caller's timer
   * may skip an idle pacer.
   */
  public boolean isIdle() {
    return probeId == NO_PROBE && paddingRateBps == 0 && audio.isEmpty()
        && retransmissions.isEmpty() && video.isEmpty();
  }

  /**
   * Refills the budget up to {@code nowUs} at the current rate, as {@link #poll} does first. Call
   * before changing the rate of a pacer that was not polled for a while, so the time before the
   * change is credited at the rate it had. Nothing happens before the first poll.
   */
  public void advanceTo(long nowUs) {
    if (lastRefillUs != Long.MIN_VALUE) {
      refill(nowUs);
    }
  }

  /**
   * Queues a packet reference.
   *
   * @return false when that priority's queue is full: the packet was not queued (release it)
   */
  public boolean enqueue(PacketPriority priority, int handle, int sizeBytes, long nowUs) {
    if (queue(priority).offer(handle, sizeBytes, nowUs)) {
      return true;
    }
    refusedPackets++;
    return false;
  }

  /**
   * The next packet to act on now.
   *
   * @return a handle to send (or, if {@link #lastPollDropped()}, to release), {@link #PADDING},
   *     or {@link #NOTHING}; call again until it returns {@link #NOTHING}
   */
  public int poll(long nowUs) {
    refill(nowUs);
    lastDropped = false;
    lastProbeClusterId = NO_PROBE;
    int expired = expire(retransmissions, PacketPriority.RETRANSMISSION, nowUs);
    if (expired == NOTHING) {
      expired = expire(video, PacketPriority.VIDEO, nowUs);
    }
    if (expired != NOTHING) {
      return expired;
    }
    if (!audio.isEmpty()) {
      return take(audio, PacketPriority.AUDIO);
    }
    if (budgetBytes > 0) {
      if (!retransmissions.isEmpty()) {
        return take(retransmissions, PacketPriority.RETRANSMISSION);
      }
      if (!video.isEmpty()) {
        return take(video, PacketPriority.VIDEO);
      }
      if (probeId != NO_PROBE) {
        int size = (int) Math.max(1, Math.min(config.maxPaddingBytes(), probeBytesLeft));
        return padding(size, true);
      }
    }
    if (paddingRateBps > 0 && paddingBudgetBytes > 0 && probeId == NO_PROBE) {
      int size = (int) Math.min(config.maxPaddingBytes(), Math.max(1, paddingBudgetBytes));
      return padding(size, false);
    }
    return NOTHING;
  }

  private int expire(PacketQueue q, PacketPriority priority, long nowUs) {
    if (!q.isEmpty() && nowUs - q.headEnqueuedUs() > config.maxQueueTimeUs()) {
      int handle = q.headHandle();
      q.removeHead();
      lastPriority = priority;
      lastDropped = true;
      expiredPackets++;
      return handle;
    }
    return NOTHING;
  }

  private int take(PacketQueue q, PacketPriority priority) {
    int handle = q.headHandle();
    int size = q.headSize();
    q.removeHead();
    lastPriority = priority;
    charge(size);
    return handle;
  }

  private int padding(int size, boolean probe) {
    lastPriority = null;
    paddingSize = size;
    paddingBytesRequested += size;
    if (!probe) {
      paddingBudgetBytes -= size;
    }
    charge(size);
    return PADDING;
  }

  private void charge(int size) {
    budgetBytes -= size;
    sentPackets++;
    sentBytes += size;
    if (probeId != NO_PROBE) {
      lastProbeClusterId = probeId;
      probeBytesLeft -= size;
      probePacketsLeft--;
      if (probeBytesLeft <= 0 && probePacketsLeft <= 0) {
        probeId = NO_PROBE;
      }
    }
  }

  private long rateBps() {
    return probeId != NO_PROBE ? Math.max(pacingRateBps, probeRateBps) : pacingRateBps;
  }

  private void refill(long nowUs) {
    if (lastRefillUs == Long.MIN_VALUE) {
      // Start as after an idle period: one burst window of budget.
      lastRefillUs = nowUs;
      budgetBytes = rateBps() * config.burstWindowUs() / 8e6;
      return;
    }
    long elapsedUs = nowUs - lastRefillUs;
    if (elapsedUs <= 0) {
      return;
    }
    lastRefillUs = nowUs;
    long rate = rateBps();
    double max = rate * config.burstWindowUs() / 8e6;
    budgetBytes = Math.min(max, budgetBytes + rate * elapsedUs / 8e6);
    double paddingMax = paddingRateBps * config.burstWindowUs() / 8e6;
    paddingBudgetBytes =
        Math.min(paddingMax, paddingBudgetBytes + paddingRateBps * elapsedUs / 8e6);
  }

  /**
   * When {@link #poll} may next return something, given the budget now: {@code nowUs} if at
   * once, {@link Long#MAX_VALUE} if nothing is queued and no padding is due.
   */
  public long nextPollTimeUs(long nowUs) {
    refill(nowUs);
    if (!audio.isEmpty()) {
      return nowUs;
    }
    long expiry = Long.MAX_VALUE;
    if (!retransmissions.isEmpty()) {
      expiry = retransmissions.headEnqueuedUs() + config.maxQueueTimeUs() + 1;
    }
    if (!video.isEmpty()) {
      expiry = Math.min(expiry, video.headEnqueuedUs() + config.maxQueueTimeUs() + 1);
    }
    boolean paced = !retransmissions.isEmpty() || !video.isEmpty() || probeId != NO_PROBE;
    long next = expiry;
    if (paced) {
      long rate = rateBps();
      if (budgetBytes > 0) {
        return nowUs;
      }
      if (rate > 0) {
        next = Math.min(next, nowUs + (long) Math.ceil((-budgetBytes + 1) * 8e6 / rate));
      }
    } else if (paddingRateBps > 0) {
      next = paddingBudgetBytes > 0
          ? nowUs
          : nowUs + (long) Math.ceil((-paddingBudgetBytes + 1) * 8e6 / paddingRateBps);
    }
    return Math.max(nowUs, next);
  }

  private PacketQueue queue(PacketPriority priority) {
    switch (priority) {
      case AUDIO:
        return audio;
      case RETRANSMISSION:
        return retransmissions;
      default:
        return video;
    }
  }

  /** Priority of the packet the last {@link #poll} returned (null for padding). */
  public PacketPriority lastPriority() {
    return lastPriority;
  }

  /** Whether the last {@link #poll} handed back an expired packet to release unsent. */
  public boolean lastPollDropped() {
    return lastDropped;
  }

  /** Probe cluster the last polled packet belongs to, or {@link #NO_PROBE}. */
  public int lastProbeClusterId() {
    return lastProbeClusterId;
  }

  /** Size of the padding the last {@link #poll} asked for. */
  public int paddingSizeBytes() {
    return paddingSize;
  }

  /** The current pacing rate. */
  public long pacingRateBps() {
    return pacingRateBps;
  }

  /** Packets queued at one priority. */
  public int queuedPackets(PacketPriority priority) {
    return queue(priority).size();
  }

  /** Bytes queued over all priorities. */
  public long queuedBytes() {
    return audio.bytes() + retransmissions.bytes() + video.bytes();
  }

  /** Age of the oldest queued retransmission or video packet, 0 if none. */
  public long oldestQueueTimeUs(long nowUs) {
    long oldest = nowUs;
    if (!retransmissions.isEmpty()) {
      oldest = Math.min(oldest, retransmissions.headEnqueuedUs());
    }
    if (!video.isEmpty()) {
      oldest = Math.min(oldest, video.headEnqueuedUs());
    }
    return nowUs - oldest;
  }

  /** Packets and padding released to be sent. */
  public long sentPackets() {
    return sentPackets;
  }

  /** Bytes released to be sent, padding included. */
  public long sentBytes() {
    return sentBytes;
  }

  /** Padding bytes requested. */
  public long paddingBytesRequested() {
    return paddingBytesRequested;
  }

  /** Packets handed back unsent because they waited longer than the bound. */
  public long expiredPackets() {
    return expiredPackets;
  }

  /** Packets refused because their queue was full. */
  public long refusedPackets() {
    return refusedPackets;
  }
}
