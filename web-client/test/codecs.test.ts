import { describe, expect, it } from 'vitest';
import { redFirst } from '../src/codecs';

describe('redFirst', () => {
  it('moves RED ahead of Opus and keeps the order of the rest', () => {
    const codecs = [
      { mimeType: 'audio/opus', clockRate: 48000 },
      { mimeType: 'audio/red', clockRate: 48000 },
      { mimeType: 'audio/G722', clockRate: 8000 },
      { mimeType: 'audio/telephone-event', clockRate: 48000 },
    ];
    expect(redFirst(codecs)?.map((c) => c.mimeType)).toEqual(['audio/red', 'audio/opus', 'audio/G722', 'audio/telephone-event']);
  });

  it('matches the MIME type without regard to case', () => {
    expect(redFirst([{ mimeType: 'audio/opus' }, { mimeType: 'audio/RED' }])?.[0]?.mimeType).toBe('audio/RED');
  });

  it('gives null when the browser has no RED, so the preferences stay as they are', () => {
    expect(redFirst([{ mimeType: 'audio/opus' }, { mimeType: 'audio/PCMU' }])).toBeNull();
  });
});
