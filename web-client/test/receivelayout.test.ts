import { describe, expect, it } from 'vitest';
import type { TrackLayoutInfo } from '../src/protocol';
import {
  DEBOUNCE_MS,
  LayoutReporter,
  MAX_SIDE_PX,
  MAX_TRACKS_PER_MESSAGE,
  differs,
  layoutOf,
  pauseText,
  simulcastEncodings,
} from '../src/receivelayout';
import { FakeScheduler } from './fakes';

function reporter(accept = true): { r: LayoutReporter; sent: TrackLayoutInfo[][]; clock: FakeScheduler; accepting: { on: boolean } } {
  const clock = new FakeScheduler();
  const sent: TrackLayoutInfo[][] = [];
  const accepting = { on: accept };
  const r = new LayoutReporter(
    (tracks) => {
      if (!accepting.on) return false;
      sent.push(tracks);
      return true;
    },
    clock,
  );
  return { r, sent, clock, accepting };
}

describe('layoutOf', () => {
  it('rounds device pixels and keeps visibility', () => {
    expect(layoutOf('t-1', { widthPx: 639.6, heightPx: 359.5, visible: true })).toEqual({ trackId: 't-1', width: 640, height: 360, visible: true });
  });

  it('caps a side at the server bound', () => {
    expect(layoutOf('t-1', { widthPx: 40000, heightPx: 20000, visible: true })).toEqual({
      trackId: 't-1',
      width: MAX_SIDE_PX,
      height: MAX_SIDE_PX,
      visible: true,
    });
  });

  it.each([
    [0, 180],
    [320, 0],
    [0.2, 0.2],
    [Number.NaN, 180],
    [-5, 180],
  ])('treats a %s x %s tile as not on screen, with no size', (w, h) => {
    expect(layoutOf('t-1', { widthPx: w, heightPx: h, visible: true })).toEqual({ trackId: 't-1', visible: false });
  });
});

describe('differs', () => {
  const base: TrackLayoutInfo = { trackId: 't', width: 640, height: 360, visible: true };
  it('ignores a resize of a few pixels', () => {
    expect(differs(base, { ...base, width: 650, height: 366 })).toBe(false);
  });
  it('tells a real resize, a visibility change, and a first report', () => {
    expect(differs(base, { ...base, width: 1280 })).toBe(true);
    expect(differs(base, { ...base, height: 720 })).toBe(true);
    expect(differs(base, { ...base, visible: false })).toBe(true);
    expect(differs(undefined, base)).toBe(true);
    expect(differs(base, { trackId: 't', visible: true })).toBe(true);
  });
});

describe('LayoutReporter', () => {
  it('sends once the layout has settled, only the last size', () => {
    const { r, sent, clock } = reporter();
    r.observe('t-1', { widthPx: 200, heightPx: 112, visible: true });
    clock.advance(DEBOUNCE_MS - 50);
    r.observe('t-1', { widthPx: 400, heightPx: 225, visible: true });
    clock.advance(DEBOUNCE_MS - 50);
    r.observe('t-1', { widthPx: 640, heightPx: 360, visible: true });
    expect(sent).toEqual([]);
    clock.advance(DEBOUNCE_MS);
    expect(sent).toEqual([[{ trackId: 't-1', width: 640, height: 360, visible: true }]]);
    expect(r.sent.get('t-1')).toEqual({ trackId: 't-1', width: 640, height: 360, visible: true });
  });

  it('sends nothing for a change within the slack, and only the tracks that changed', () => {
    const { r, sent, clock } = reporter();
    r.observe('a', { widthPx: 640, heightPx: 360, visible: true });
    r.observe('b', { widthPx: 320, heightPx: 180, visible: true });
    clock.advance(DEBOUNCE_MS);
    expect(sent.length).toBe(1);
    r.observe('a', { widthPx: 645, heightPx: 362, visible: true });
    clock.advance(DEBOUNCE_MS);
    expect(sent.length).toBe(1);
    expect(clock.pending).toBe(0);
    r.observe('b', { widthPx: 320, heightPx: 180, visible: false });
    clock.advance(DEBOUNCE_MS);
    expect(sent[1]).toEqual([{ trackId: 'b', width: 320, height: 180, visible: false }]);
  });

  it('splits many tracks into messages the server accepts', () => {
    const { r, sent } = reporter();
    for (let i = 0; i < MAX_TRACKS_PER_MESSAGE + 3; i++) r.observe(`t-${i}`, { widthPx: 320, heightPx: 180, visible: true });
    r.flush();
    expect(sent.map((m) => m.length)).toEqual([MAX_TRACKS_PER_MESSAGE, 3]);
  });

  it('forgets a track that is no longer received', () => {
    const { r, sent, clock } = reporter();
    r.observe('a', { widthPx: 640, heightPx: 360, visible: true });
    r.forget('a');
    clock.advance(DEBOUNCE_MS);
    expect(sent).toEqual([]);
  });

  it('keeps what could not be sent and tells everything again after a new session', () => {
    const { r, sent, clock, accepting } = reporter(false);
    r.observe('a', { widthPx: 640, heightPx: 360, visible: true });
    clock.advance(DEBOUNCE_MS);
    expect(sent).toEqual([]);
    accepting.on = true;
    r.resendAll();
    clock.advance(DEBOUNCE_MS);
    expect(sent).toEqual([[{ trackId: 'a', width: 640, height: 360, visible: true }]]);
    r.resendAll();
    clock.advance(DEBOUNCE_MS);
    expect(sent.length).toBe(2);
  });

  it('stops its timer when disposed', () => {
    const { r, sent, clock } = reporter();
    r.observe('a', { widthPx: 640, heightPx: 360, visible: true });
    r.dispose();
    clock.advance(DEBOUNCE_MS * 2);
    expect(sent).toEqual([]);
  });
});

describe('simulcastEncodings', () => {
  it('publishes a 720p camera as quarter, half and full size, lowest first', () => {
    const layers = simulcastEncodings(1280, 720);
    expect(layers?.map((l) => l.rid)).toEqual(['q', 'h', 'f']);
    expect(layers?.map((l) => l.scaleResolutionDownBy)).toEqual([4, 2, 1]);
    const bitrates = layers?.map((l) => l.maxBitrate) ?? [];
    expect([...bitrates].sort((a, b) => a - b)).toEqual(bitrates);
  });

  it('sends a small or unknown camera as one stream', () => {
    expect(simulcastEncodings(320, 180)).toBeNull();
    expect(simulcastEncodings(640, 240)).toBeNull();
    expect(simulcastEncodings(undefined, 720)).toBeNull();
  });
});

describe('pauseText', () => {
  it('says why, for each reason the server gives', () => {
    expect(pauseText('last-n')).toContain('last speakers');
    expect(pauseText('hidden')).toContain('off screen');
    expect(pauseText('bandwidth')).toContain('bandwidth');
    expect(pauseText('no-live-layer')).toContain('no picture');
    expect(pauseText('something-new')).toBe('Video paused');
  });
});
