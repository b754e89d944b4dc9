import { describe, expect, it } from 'vitest';
import { MIN_TILE_WIDTH_PX, gridLayout, tileAspect } from '../src/stage/layout';

describe('gridLayout', () => {
  it.each([
    // count, width, height → columns
    [1, 1280, 720, 1],
    [2, 1280, 720, 2],
    [3, 1280, 720, 2],
    [4, 1280, 720, 2],
    [5, 1280, 720, 3],
    [9, 1280, 720, 3],
    [10, 1280, 720, 4],
    [2, 360, 640, 1],
    [3, 360, 640, 1],
    [4, 360, 640, 1],
    [4, 640, 360, 2],
  ])('puts %i tiles in %ix%i into %i columns', (count, width, height, columns) => {
    expect(gridLayout(count, width, height, 12).columns).toBe(columns);
  });

  it('fits the tiles inside the area', () => {
    for (const [count, width, height] of [
      [1, 1280, 720],
      [5, 1280, 600],
      [7, 900, 900],
      [3, 360, 560],
    ] as const) {
      const layout = gridLayout(count, width, height, 12);
      const rows = Math.ceil(count / layout.columns);
      expect(layout.columns * layout.tileWidthPx + 12 * (layout.columns - 1)).toBeLessThanOrEqual(width);
      expect(rows * (layout.tileWidthPx * 9) / 16 + 12 * (rows - 1)).toBeLessThanOrEqual(height + 1);
    }
  });

  it('scrolls with readable tiles when too many would fit only as stamps', () => {
    const layout = gridLayout(30, 360, 500, 8);
    expect(layout.scrolls).toBe(true);
    expect(layout.tileWidthPx).toBeGreaterThanOrEqual(MIN_TILE_WIDTH_PX);
    expect(layout.columns).toBe(2);
  });

  it('copes with no tiles and no space', () => {
    expect(gridLayout(0, 800, 600)).toEqual({ columns: 1, tileWidthPx: 800, scrolls: false });
    expect(gridLayout(3, 0, 0)).toEqual({ columns: 1, tileWidthPx: 0, scrolls: false });
  });
});

describe('tileAspect', () => {
  it('uses 16:9 on wide areas and squares on an upright phone', () => {
    expect(tileAspect(1280, 720)).toBeCloseTo(16 / 9, 9);
    expect(tileAspect(360, 300)).toBeCloseTo(16 / 9, 9);
    expect(tileAspect(360, 640)).toBe(1);
    expect(tileAspect(800, 1200)).toBeCloseTo(16 / 9, 9);
  });
});
