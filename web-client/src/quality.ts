/**
 * Connection quality per participant, from two getStats() snapshots a second or so apart.
 *
 * For a remote participant the page looks at what it receives from them (inbound-rtp: packets,
 * losses, jitter, decoded frames); for itself, at what the SFU reports receiving from it
 * (remote-inbound-rtp, from RTCP receiver reports: RFC 3550 §6.4.1) next to what it sent
 * (outbound-rtp). The round-trip time is the selected ICE candidate pair's, shared by all
 * because everything runs over one BUNDLE transport.
 */

/** The counters of one participant's media at one instant, summed over its tracks. */
export interface StatsSnapshot {
  timestampMs: number;
  /** Packets that reached the receiver: received by us (remote), or sent minus lost (local). */
  packets: number;
  /** Cumulative packets lost, as RTCP counts them (may go down on duplicates). */
  packetsLost: number;
  /** The worst interarrival jitter among the tracks, in milliseconds. */
  jitterMs: number | null;
  /** Frames decoded (remote) or encoded (local), summed over video tracks. */
  frames: number;
  /** Whether a video track is expected to flow (published and not muted). */
  expectVideo: boolean;
  /** The transport's current round-trip time, in milliseconds. */
  rttMs: number | null;
}

export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface QualityReport {
  level: QualityLevel;
  rttMs: number | null;
  /** Loss over the interval, 0–100. */
  lossPercent: number | null;
  jitterMs: number | null;
  /** Video frames per second over the interval. */
  fps: number | null;
}

/** Where "fair" and "poor" begin. Loss matters most: 2 % is audible, 8 % breaks video. */
export const THRESHOLDS = {
  fair: { lossPercent: 2, rttMs: 250, jitterMs: 30, minFps: 15 },
  poor: { lossPercent: 8, rttMs: 500, jitterMs: 80, minFps: 5 },
} as const;

const UNKNOWN: QualityReport = { level: 'unknown', rttMs: null, lossPercent: null, jitterMs: null, fps: null };

/** Rates the interval between two snapshots of the same participant. */
export function computeQuality(previous: StatsSnapshot | undefined, current: StatsSnapshot): QualityReport {
  if (previous === undefined) return { ...UNKNOWN, rttMs: current.rttMs, jitterMs: current.jitterMs };
  const elapsedMs = current.timestampMs - previous.timestampMs;
  if (!(elapsedMs > 0)) return { ...UNKNOWN, rttMs: current.rttMs, jitterMs: current.jitterMs };

  const received = Math.max(0, current.packets - previous.packets);
  // Lost can decrease when late duplicates arrive (RFC 3550 §6.4.1): clamp at zero.
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  const lossPercent = received + lost > 0 ? (100 * lost) / (received + lost) : null;
  const fps = current.expectVideo ? (Math.max(0, current.frames - previous.frames) * 1000) / elapsedMs : null;
  const report: QualityReport = {
    level: 'good',
    rttMs: current.rttMs,
    lossPercent,
    jitterMs: current.jitterMs,
    fps,
  };
  if (received === 0 && lost === 0) {
    // Nothing flowed: either everything is muted (fine) or the media path is dead.
    report.level = current.expectVideo ? 'poor' : 'unknown';
    return report;
  }
  report.level = levelOf(report);
  return report;
}

function exceeds(report: QualityReport, limit: (typeof THRESHOLDS)['fair' | 'poor']): boolean {
  return (
    (report.lossPercent !== null && report.lossPercent >= limit.lossPercent) ||
    (report.rttMs !== null && report.rttMs >= limit.rttMs) ||
    (report.jitterMs !== null && report.jitterMs >= limit.jitterMs) ||
    (report.fps !== null && report.fps < limit.minFps)
  );
}

function levelOf(report: QualityReport): QualityLevel {
  if (exceeds(report, THRESHOLDS.poor)) return 'poor';
  if (exceeds(report, THRESHOLDS.fair)) return 'fair';
  return 'good';
}

/** A short text for the indicator's tooltip and accessible label. */
export function describeQuality(report: QualityReport): string {
  if (report.level === 'unknown' && report.rttMs === null) return 'Connection quality: measuring';
  const parts: string[] = [`Connection ${report.level === 'unknown' ? 'quality: measuring' : report.level}`];
  if (report.rttMs !== null) parts.push(`RTT ${Math.round(report.rttMs)} ms`);
  if (report.lossPercent !== null) parts.push(`loss ${report.lossPercent.toFixed(1)} %`);
  if (report.jitterMs !== null) parts.push(`jitter ${Math.round(report.jitterMs)} ms`);
  if (report.fps !== null) parts.push(`${Math.round(report.fps)} fps`);
  return parts.join(', ');
}

/** The fields of an RTCStats entry this module reads; everything optional as browsers differ. */
export interface RawStats {
  type: string;
  id: string;
  timestamp?: number;
  kind?: string;
  mid?: string;
  packetsReceived?: number;
  packetsSent?: number;
  packetsLost?: number;
  jitter?: number;
  framesDecoded?: number;
  framesEncoded?: number;
  localId?: string;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  selectedCandidatePairId?: string;
  nominated?: boolean;
  state?: string;
}

/** The transport's RTT in ms: the selected candidate pair's, or else any succeeded nominated pair's. */
export function transportRttMs(stats: readonly RawStats[]): number | null {
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const s of stats) {
    if (s.type === 'transport' && s.selectedCandidatePairId !== undefined) {
      const pair = byId.get(s.selectedCandidatePairId);
      if (pair?.currentRoundTripTime !== undefined) return pair.currentRoundTripTime * 1000;
    }
  }
  for (const s of stats) {
    if (s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded' && s.currentRoundTripTime !== undefined) {
      return s.currentRoundTripTime * 1000;
    }
  }
  return null;
}

function emptySnapshot(timestampMs: number, rttMs: number | null, expectVideo: boolean): StatsSnapshot {
  return { timestampMs, packets: 0, packetsLost: 0, jitterMs: null, frames: 0, expectVideo, rttMs };
}

function worse(a: number | null, b: number | undefined): number | null {
  if (b === undefined) return a;
  const ms = b * 1000;
  return a === null ? ms : Math.max(a, ms);
}

/**
 * Sums the inbound-rtp entries of each remote participant, using the mid → participant map of
 * the latest `subscribe.offer`. `expectVideo` says which participants should be sending video.
 */
export function remoteSnapshots(
  stats: readonly RawStats[],
  participantOfMid: (mid: string) => string | undefined,
  expectVideo: (participantId: string) => boolean,
  nowMs: number,
): Map<string, StatsSnapshot> {
  const rttMs = transportRttMs(stats);
  const result = new Map<string, StatsSnapshot>();
  for (const s of stats) {
    if (s.type !== 'inbound-rtp' || s.mid === undefined) continue;
    const participantId = participantOfMid(s.mid);
    if (participantId === undefined) continue;
    let snapshot = result.get(participantId);
    if (snapshot === undefined) {
      snapshot = emptySnapshot(s.timestamp ?? nowMs, rttMs, expectVideo(participantId));
      result.set(participantId, snapshot);
    }
    snapshot.packets += s.packetsReceived ?? 0;
    snapshot.packetsLost += s.packetsLost ?? 0;
    snapshot.jitterMs = worse(snapshot.jitterMs, s.jitter);
    if (s.kind === 'video') snapshot.frames += s.framesDecoded ?? 0;
  }
  return result;
}

/** What the SFU receives from this page: outbound-rtp joined with its remote-inbound-rtp. */
export function localSnapshot(stats: readonly RawStats[], expectVideo: boolean, nowMs: number): StatsSnapshot {
  const rttMs = transportRttMs(stats);
  const snapshot = emptySnapshot(nowMs, rttMs, expectVideo);
  const remoteByLocal = new Map<string, RawStats>();
  for (const s of stats) if (s.type === 'remote-inbound-rtp' && s.localId !== undefined) remoteByLocal.set(s.localId, s);
  for (const s of stats) {
    if (s.type !== 'outbound-rtp') continue;
    if (s.timestamp !== undefined) snapshot.timestampMs = s.timestamp;
    const remote = remoteByLocal.get(s.id);
    const lost = remote?.packetsLost ?? 0;
    snapshot.packets += Math.max(0, (s.packetsSent ?? 0) - lost);
    if (s.kind === 'video') snapshot.frames += s.framesEncoded ?? 0;
    if (remote !== undefined) {
      snapshot.packetsLost += lost;
      snapshot.jitterMs = worse(snapshot.jitterMs, remote.jitter);
      if (snapshot.rttMs === null && remote.roundTripTime !== undefined) snapshot.rttMs = remote.roundTripTime * 1000;
    }
  }
  return snapshot;
}
