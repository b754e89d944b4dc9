package dev.palco.sfu.speaker;

import java.util.Arrays;

/**
 * Finds a room's dominant speaker from the audio levels publishers put in their packets (RFC 6464
 * client-to-mixer audio level: V flag and -dBov level), with hysteresis, and keeps the speaking
 * order that Last-N follows.
 *
 * <p>A simplified scheme in the spirit of Volfin and Cohen, "Dominant Speaker Identification for
 * Multipoint Videoconferencing" (the algorithm Jitsi uses): speech activity is scored on several
 * time scales and a speaker changes only when another participant's activity is clearly and
 * durably higher.
 * <ul>
 *   <li>Per packet: loudness = 127 − level (dB above -127 dBov). Each participant has a noise
 *       floor that follows the quietest loudness down at once and rises slowly (1 dB/s), so
 *       steady background noise sinks into it. A packet is speech when its V flag is set (if
 *       trusted), it is louder than {@code maxSpeechLevelDbov} and it stands {@code minSnrDb}
 *       above the floor; its score is its height above the floor in dB (capped at 60).</li>
 *   <li>Per participant, packets fall into 100 ms bins covering 4 s. From them: the immediate
 *       activity (active share over 300 ms), the medium score (mean score over 1 s, with the
 *       active share over 1 s), and the long score (mean over 4 s, reported).</li>
 *   <li>Every {@link #process} call (about every 100 ms): the non-dominant participant with the
 *       highest medium score challenges. It qualifies when it is speaking now (immediate activity
 *       ≥ 1/3), was speech for at least {@code minActiveFraction} of the last second, and its
 *       medium score is {@code takeoverRatio} times the dominant speaker's. It takes over once it
 *       has qualified at every check for {@code takeoverHoldMs}. A new voice thus needs about one
 *       second of consistent speech (half the window to qualify, then the hold); a cough of a few
 *       hundred milliseconds never fills half the window, and a pause of the dominant speaker
 *       alone changes nothing.</li>
 * </ul>
 * The speaking order lists participants by when they last became dominant (most recent first),
 * then those never dominant in the order they joined.
 *
 * <p>{@link #onAudioLevel} runs per audio packet and allocates nothing. Not thread-safe: feed
 * levels and call process on one thread (the room's), or serialise the calls.
 */
public final class DominantSpeakerDetector {
  /** Returned by {@link #dominantSlot()} before anyone has spoken. */
  public static final int NONE = -1;

  static final long BIN_MS = 100;
  static final int BINS = 40;
  static final int IMMEDIATE_BINS = 3;
  static final int MEDIUM_BINS = 10;
  static final double FLOOR_RISE_DB_PER_PACKET = 0.02;
  static final double MAX_SCORE_DB = 60;
  static final double MIN_IMMEDIATE_ACTIVITY = 1.0 / 3;
  private static final long NEVER = Long.MIN_VALUE;

  private final SpeakerDetectorConfig config;
  private final DominantSpeakerListener listener;

  private String[] ids = new String[8];
  private double[] floorDb = new double[8];
  private boolean[] hasFloor = new boolean[8];
  private double[][] binScore = new double[8][];
  private int[][] binPackets = new int[8][];
  private int[][] binActive = new int[8][];
  private long[][] binEpoch = new long[8][];
  private long[] lastDominantMs = new long[8];
  private long[] joinOrder = new long[8];
  private double[] immediate = new double[8];
  private double[] medium = new double[8];
  private double[] activeFraction = new double[8];
  private double[] longScore = new double[8];
  private int[] orderScratch = new int[8];
  private int slots;
  private long joins;
  /** See {@link #orderVersion}; written by the owner's thread, read by any. */
  private volatile long orderVersion;

  private int dominant = NONE;
  private int challenger = NONE;
  private long challengerSinceMs = NEVER;
  private long changes;

  /**
   * @param listener told about changes from {@link #process}; may be null (then poll {@link
   *     #dominantSpeakerId()})
   */
  public DominantSpeakerDetector(SpeakerDetectorConfig config, DominantSpeakerListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /** Adds a participant who publishes audio; returns its slot for {@link #onAudioLevel}. */
  public int addParticipant(String participantId) {
    int slot = -1;
    for (int i = 0; i < slots; i++) {
      if (ids[i] == null) {
        slot = i;
        break;
      }
    }
    if (slot < 0) {
      if (slots == ids.length) {
        grow(slots * 2);
      }
      slot = slots++;
    }
    ids[slot] = participantId;
    hasFloor[slot] = false;
    if (binScore[slot] == null) {
      binScore[slot] = new double[BINS];
      binPackets[slot] = new int[BINS];
      binActive[slot] = new int[BINS];
      binEpoch[slot] = new long[BINS];
    }
    Arrays.fill(binEpoch[slot], NEVER);
    lastDominantMs[slot] = NEVER;
    joinOrder[slot] = joins++;
    orderVersion++;
    immediate[slot] = 0;
    medium[slot] = 0;
    activeFraction[slot] = 0;
    longScore[slot] = 0;
    return slot;
  }

  /** Removes a participant; if it was dominant, the room has no dominant speaker until the next. */
  public void removeParticipant(int slot) {
    if (slot < 0 || slot >= slots || ids[slot] == null) {
      return;
    }
    ids[slot] = null;
    orderVersion++;
    if (dominant == slot) {
      dominant = NONE;
    }
    if (challenger == slot) {
      challenger = NONE;
      challengerSinceMs = NEVER;
    }
  }

  private void grow(int n) {
    ids = Arrays.copyOf(ids, n);
    floorDb = Arrays.copyOf(floorDb, n);
    hasFloor = Arrays.copyOf(hasFloor, n);
    binScore = Arrays.copyOf(binScore, n);
    binPackets = Arrays.copyOf(binPackets, n);
    binActive = Arrays.copyOf(binActive, n);
    binEpoch = Arrays.copyOf(binEpoch, n);
    lastDominantMs = Arrays.copyOf(lastDominantMs, n);
    joinOrder = Arrays.copyOf(joinOrder, n);
    immediate = Arrays.copyOf(immediate, n);
    medium = Arrays.copyOf(medium, n);
    activeFraction = Arrays.copyOf(activeFraction, n);
    longScore = Arrays.copyOf(longScore, n);
    orderScratch = Arrays.copyOf(orderScratch, n);
  }

  /**
   * One audio packet's level (RFC 6464 §3).
   *
   * @param levelMinusDbov 0 (loudest) to 127 (silence); out-of-range values are clamped
   * @param voice the V flag
   */
  public void onAudioLevel(int slot, int levelMinusDbov, boolean voice, long nowMs) {
    if (slot < 0 || slot >= slots || ids[slot] == null) {
      return;
    }
    int level = Math.max(0, Math.min(127, levelMinusDbov));
    double loudness = 127 - level;
    if (!hasFloor[slot] || loudness < floorDb[slot]) {
      floorDb[slot] = loudness;
      hasFloor[slot] = true;
    } else {
      floorDb[slot] += FLOOR_RISE_DB_PER_PACKET;
    }
    double aboveFloor = loudness - floorDb[slot];
    boolean speech =
        (voice || !config.useVoiceFlag())
            && level <= config.maxSpeechLevelDbov()
            && aboveFloor >= config.minSnrDb();
    long epoch = Math.floorDiv(nowMs, BIN_MS);
    int bin = (int) Math.floorMod(epoch, (long) BINS);
    if (binEpoch[slot][bin] != epoch) {
      binEpoch[slot][bin] = epoch;
      binScore[slot][bin] = 0;
      binPackets[slot][bin] = 0;
      binActive[slot][bin] = 0;
    }
    binPackets[slot][bin]++;
    if (speech) {
      binActive[slot][bin]++;
      binScore[slot][bin] += Math.min(MAX_SCORE_DB, aboveFloor);
    }
  }

  /**
   * Recomputes the scores and decides the dominant speaker; call about every 100 ms.
   *
   * @return true when the dominant speaker changed (the listener has been told)
   */
  public boolean process(long nowMs) {
    long nowEpoch = Math.floorDiv(nowMs, BIN_MS);
    for (int s = 0; s < slots; s++) {
      if (ids[s] != null) {
        score(s, nowEpoch);
      }
    }
    int best = NONE;
    for (int s = 0; s < slots; s++) {
      if (ids[s] != null && s != dominant && (best == NONE || medium[s] > medium[best])) {
        best = s;
      }
    }
    double dominantMedium = dominant == NONE ? 0 : medium[dominant];
    boolean qualifies =
        best != NONE
            && medium[best] > 0
            && immediate[best] >= MIN_IMMEDIATE_ACTIVITY
            && activeFraction[best] >= config.minActiveFraction()
            && medium[best] > config.takeoverRatio() * dominantMedium;
    if (!qualifies) {
      challenger = NONE;
      challengerSinceMs = NEVER;
      return false;
    }
    if (best != challenger) {
      challenger = best;
      challengerSinceMs = nowMs;
    }
    if (nowMs - challengerSinceMs < config.takeoverHoldMs()) {
      return false;
    }
    String previous = dominant == NONE ? null : ids[dominant];
    dominant = best;
    lastDominantMs[best] = nowMs;
    orderVersion++;
    challenger = NONE;
    challengerSinceMs = NEVER;
    changes++;
    if (listener != null) {
      listener.onDominantSpeakerChanged(ids[best], previous, nowMs);
    }
    return true;
  }

  /** Window sums over the bins that are within the last 4 s (bins ending at {@code nowEpoch}). */
  private void score(int s, long nowEpoch) {
    int packetsImmediate = 0;
    int activeImmediate = 0;
    int packetsMedium = 0;
    int activeMedium = 0;
    double scoreMedium = 0;
    int packetsLong = 0;
    double scoreLong = 0;
    for (int k = 0; k < BINS; k++) {
      long epoch = nowEpoch - k;
      int bin = (int) Math.floorMod(epoch, (long) BINS);
      if (binEpoch[s][bin] != epoch) {
        continue;
      }
      int packets = binPackets[s][bin];
      double sc = binScore[s][bin];
      if (k < IMMEDIATE_BINS) {
        packetsImmediate += packets;
        activeImmediate += binActive[s][bin];
      }
      if (k < MEDIUM_BINS) {
        packetsMedium += packets;
        activeMedium += binActive[s][bin];
        scoreMedium += sc;
      }
      packetsLong += packets;
      scoreLong += sc;
    }
    immediate[s] = packetsImmediate == 0 ? 0 : activeImmediate / (double) packetsImmediate;
    activeFraction[s] = packetsMedium == 0 ? 0 : activeMedium / (double) packetsMedium;
    medium[s] = packetsMedium == 0 ? 0 : scoreMedium / packetsMedium;
    longScore[s] = packetsLong == 0 ? 0 : scoreLong / packetsLong;
  }

  /** The dominant speaker's participant id, or null before anyone has spoken. */
  public String dominantSpeakerId() {
    return dominant == NONE ? null : ids[dominant];
  }

  /** The dominant speaker's slot, or {@link #NONE}. */
  public int dominantSlot() {
    return dominant;
  }

  /**
   * Writes participant ids in speaking order (most recently dominant first, then the others in
   * join order) into {@code out}.
   *
   * @return how many were written (at most {@code out.length})
   */
  public int speakingOrder(String[] out) {
    int n = 0;
    for (int s = 0; s < slots; s++) {
      if (ids[s] != null) {
        orderScratch[n++] = s;
      }
    }
    for (int i = 1; i < n; i++) {
      int v = orderScratch[i];
      int j = i - 1;
      while (j >= 0 && speaksBefore(v, orderScratch[j])) {
        orderScratch[j + 1] = orderScratch[j];
        j--;
      }
      orderScratch[j + 1] = v;
    }
    int written = Math.min(n, out.length);
    for (int i = 0; i < written; i++) {
      out[i] = ids[orderScratch[i]];
    }
    return written;
  }

  /**
   * A number that changes whenever {@link #speakingOrder} would: a participant joined or left, or
   * the dominant speaker changed. A reader that saw the same number has the same order, so it can
   * skip copying it (an allocation runs ten times a second per subscriber, and copying is linear
   * in the room's size). Readable without the caller's lock.
   */
  public long orderVersion() {
    return orderVersion;
  }

  private boolean speaksBefore(int a, int b) {
    if (lastDominantMs[a] != lastDominantMs[b]) {
      return lastDominantMs[a] > lastDominantMs[b];
    }
    return joinOrder[a] < joinOrder[b];
  }

  /** A participant's mean score over the last second (dB above its floor per packet). */
  public double mediumScore(int slot) {
    return medium[slot];
  }

  /** A participant's mean score over the last four seconds. */
  public double longScore(int slot) {
    return longScore[slot];
  }

  /** A participant's noise floor as loudness (dB above -127 dBov). */
  public double noiseFloorDb(int slot) {
    return floorDb[slot];
  }

  /** Dominant speaker changes so far. */
  public long changes() {
    return changes;
  }
}
