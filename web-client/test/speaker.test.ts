import { describe, expect, it } from 'vitest';
import { ActiveSpeakerDetector } from '../src/speaker';

/** Feeds `levels` every 250 ms for `ms`; returns the speaker after the last sample. */
function feed(detector: ActiveSpeakerDetector, levels: Record<string, number>, fromMs: number, ms: number): string | null {
  let speaker: string | null = null;
  for (let t = fromMs; t < fromMs + ms; t += 250) speaker = detector.update(new Map(Object.entries(levels)), t);
  return speaker;
}

describe('ActiveSpeakerDetector', () => {
  it('has no speaker in silence', () => {
    const d = new ActiveSpeakerDetector();
    expect(feed(d, { a: 0, b: 0.001 }, 0, 2000)).toBeNull();
  });

  it('highlights the first person to speak at once', () => {
    const d = new ActiveSpeakerDetector();
    expect(d.update(new Map([['a', 0.2], ['b', 0]]), 0)).toBe('a');
  });

  it('does not switch on a short burst from someone else', () => {
    const d = new ActiveSpeakerDetector();
    feed(d, { a: 0.1, b: 0 }, 0, 1000);
    expect(feed(d, { a: 0.1, b: 0.5 }, 1000, 500)).toBe('a');
  });

  it('switches when someone else leads for long enough', () => {
    const d = new ActiveSpeakerDetector();
    feed(d, { a: 0.1, b: 0 }, 0, 1000);
    expect(feed(d, { a: 0.05, b: 0.5 }, 1000, 1000)).toBe('b');
  });

  it('keeps the highlight through short pauses and releases it after a long one', () => {
    const d = new ActiveSpeakerDetector();
    feed(d, { a: 0.2 }, 0, 1000);
    expect(feed(d, { a: 0 }, 1000, 750)).toBe('a');
    expect(feed(d, { a: 0 }, 1750, 2000)).toBeNull();
  });

  it('hands over at once when the speaker has been quiet past the release time', () => {
    const d = new ActiveSpeakerDetector();
    feed(d, { a: 0.2, b: 0 }, 0, 1000);
    // a fades below the speaking level by 1750 ms; it was last heard at 1500 ms.
    expect(feed(d, { a: 0, b: 0 }, 1000, 1500)).toBe('a');
    expect(d.update(new Map([['a', 0], ['b', 0.3]]), 3000)).toBe('b');
  });

  it('forgets someone who left', () => {
    const d = new ActiveSpeakerDetector();
    feed(d, { a: 0.2 }, 0, 500);
    d.remove('a');
    expect(d.speaker).toBeNull();
    expect(d.level('a')).toBe(0);
  });

  it('treats bad levels as silence', () => {
    const d = new ActiveSpeakerDetector();
    expect(feed(d, { a: Number.NaN, b: -1 }, 0, 1000)).toBeNull();
    expect(d.update(new Map([['a', 7]]), 1000)).toBe('a');
    expect(d.level('a')).toBeLessThanOrEqual(1);
  });
});
