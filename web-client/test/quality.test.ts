import { describe, expect, it } from 'vitest';
import { type RawStats, type StatsSnapshot, computeQuality, describeQuality, localSnapshot, remoteSnapshots, transportRttMs } from '../src/quality';

function snapshot(over: Partial<StatsSnapshot>): StatsSnapshot {
  return { timestampMs: 0, packets: 0, packetsLost: 0, jitterMs: 5, frames: 0, expectVideo: true, rttMs: 20, ...over };
}

/** Two snapshots one second apart: `packets` arrived, `lost` went missing, `frames` decoded. */
function interval(packets: number, lost: number, frames: number, over: Partial<StatsSnapshot> = {}) {
  const previous = snapshot({ timestampMs: 10000, packets: 1000, packetsLost: 10, frames: 300 });
  const current = snapshot({ timestampMs: 11000, packets: 1000 + packets, packetsLost: 10 + lost, frames: 300 + frames, ...over });
  return computeQuality(previous, current);
}

describe('computeQuality', () => {
  it('rates a clean second as good', () => {
    expect(interval(150, 0, 30)).toEqual({ level: 'good', rttMs: 20, lossPercent: 0, jitterMs: 5, fps: 30 });
  });

  it.each([
    ['2 % loss', interval(98, 2, 30), 'fair'],
    ['1.9 % loss', interval(981, 19, 30), 'good'],
    ['8 % loss', interval(92, 8, 30), 'poor'],
    ['RTT 250 ms', interval(150, 0, 30, { rttMs: 250 }), 'fair'],
    ['RTT 500 ms', interval(150, 0, 30, { rttMs: 500 }), 'poor'],
    ['jitter 30 ms', interval(150, 0, 30, { jitterMs: 30 }), 'fair'],
    ['jitter 80 ms', interval(150, 0, 30, { jitterMs: 80 }), 'poor'],
    ['14 fps', interval(150, 0, 14), 'fair'],
    ['4 fps', interval(150, 0, 4), 'poor'],
    ['no video expected', interval(50, 0, 0, { expectVideo: false }), 'good'],
  ])('rates %s as %s', (_name, report, level) => {
    expect(report.level).toBe(level);
  });

  it('computes loss over the interval, not since the start', () => {
    expect(interval(90, 10, 30).lossPercent).toBeCloseTo(10, 6);
  });

  it('clamps a loss count that went down (late duplicates, RFC 3550 §6.4.1)', () => {
    const report = interval(100, -5, 30);
    expect(report.lossPercent).toBe(0);
    expect(report.level).toBe('good');
  });

  it('calls a silent stream poor when video should flow, and unknown when nothing should', () => {
    expect(interval(0, 0, 0).level).toBe('poor');
    expect(interval(0, 0, 0, { expectVideo: false }).level).toBe('unknown');
  });

  it('is unknown without a previous snapshot or with no time between them', () => {
    const current = snapshot({ timestampMs: 5 });
    expect(computeQuality(undefined, current)).toEqual({ level: 'unknown', rttMs: 20, lossPercent: null, jitterMs: 5, fps: null });
    expect(computeQuality(current, current).level).toBe('unknown');
  });

  it('describes a report for the tooltip and screen readers', () => {
    expect(describeQuality(interval(98, 2, 30))).toBe('Connection fair, RTT 20 ms, loss 2.0 %, jitter 5 ms, 30 fps');
    expect(describeQuality({ level: 'unknown', rttMs: null, lossPercent: null, jitterMs: null, fps: null })).toBe('Connection quality: measuring');
  });
});

/** A getStats() report as Chromium shapes it, trimmed to the fields read. */
const REPORT: RawStats[] = [
  { type: 'transport', id: 'T01', selectedCandidatePairId: 'CP1' },
  { type: 'candidate-pair', id: 'CP0', nominated: false, state: 'failed', currentRoundTripTime: 9 },
  { type: 'candidate-pair', id: 'CP1', nominated: true, state: 'succeeded', currentRoundTripTime: 0.042 },
  { type: 'inbound-rtp', id: 'IA2', kind: 'audio', mid: '2', timestamp: 5000, packetsReceived: 400, packetsLost: 4, jitter: 0.012 },
  { type: 'inbound-rtp', id: 'IV3', kind: 'video', mid: '3', timestamp: 5000, packetsReceived: 900, packetsLost: 1, jitter: 0.02, framesDecoded: 120 },
  { type: 'inbound-rtp', id: 'IV4', kind: 'video', mid: '4', timestamp: 5000, packetsReceived: 50, packetsLost: 0, jitter: 0.001, framesDecoded: 10 },
  { type: 'inbound-rtp', id: 'IX9', kind: 'video', mid: '9', timestamp: 5000, packetsReceived: 7 },
  { type: 'outbound-rtp', id: 'OA0', kind: 'audio', mid: '0', timestamp: 5000, packetsSent: 500 },
  { type: 'outbound-rtp', id: 'OV1', kind: 'video', mid: '1', timestamp: 5000, packetsSent: 1000, framesEncoded: 150 },
  { type: 'remote-inbound-rtp', id: 'RA0', localId: 'OA0', packetsLost: 5, jitter: 0.004, roundTripTime: 0.05 },
  { type: 'remote-inbound-rtp', id: 'RV1', localId: 'OV1', packetsLost: 20, jitter: 0.009, roundTripTime: 0.05 },
];

describe('snapshots from getStats', () => {
  const owner: Record<string, string> = { '2': 'p-3', '3': 'p-3', '4': 'p-9' };

  it('takes the RTT of the selected candidate pair', () => {
    expect(transportRttMs(REPORT)).toBeCloseTo(42, 6);
  });

  it('falls back to the nominated succeeded pair', () => {
    expect(transportRttMs(REPORT.filter((s) => s.type !== 'transport'))).toBeCloseTo(42, 6);
    expect(transportRttMs([])).toBeNull();
  });

  it('sums inbound streams per participant by mid, skipping unmapped mids', () => {
    const snapshots = remoteSnapshots(REPORT, (mid) => owner[mid], (id) => id === 'p-3', 1);
    expect([...snapshots.keys()]).toEqual(['p-3', 'p-9']);
    const p3 = snapshots.get('p-3');
    expect(p3).toMatchObject({ timestampMs: 5000, packets: 1300, packetsLost: 5, frames: 120, expectVideo: true });
    expect(p3?.jitterMs).toBeCloseTo(20, 6);
    expect(p3?.rttMs).toBeCloseTo(42, 6);
    expect(snapshots.get('p-9')).toMatchObject({ packets: 50, frames: 10, expectVideo: false });
  });

  it('reads what the SFU received from us from remote-inbound-rtp', () => {
    const local = localSnapshot(REPORT, true, 1);
    expect(local).toMatchObject({ timestampMs: 5000, packets: 1475, packetsLost: 25, frames: 150, expectVideo: true });
    expect(local.jitterMs).toBeCloseTo(9, 6);
  });

  it('rates a participant from two reports', () => {
    const later = REPORT.map((s) =>
      s.id === 'IV3' ? { ...s, timestamp: 6000, packetsReceived: 1000, framesDecoded: 150 } : s.id === 'IA2' ? { ...s, timestamp: 6000, packetsReceived: 450 } : s,
    );
    const before = remoteSnapshots(REPORT, (mid) => owner[mid], () => true, 1).get('p-3');
    const after = remoteSnapshots(later, (mid) => owner[mid], () => true, 1).get('p-3');
    if (after === undefined) throw new Error('no snapshot');
    expect(computeQuality(before, after)).toMatchObject({ level: 'good', lossPercent: 0, fps: 30 });
  });
});
