/**
 * Where the tiles go: how many columns make the biggest tiles for a given count and space.
 */

export interface GridLayout {
  columns: number;
  /** The width of each tile in CSS pixels; its height follows from the aspect ratio. */
  tileWidthPx: number;
  /** True when the tiles would be too small to fit, so the grid scrolls instead. */
  scrolls: boolean;
}

/**
 * The tile shape for an area: 16:9 like the cameras, except in a tall, narrow area (a phone held
 * upright) where square tiles use the height and `object-fit: cover` crops the sides.
 */
export function tileAspect(widthPx: number, heightPx: number): number {
  return widthPx < 600 && heightPx > widthPx * 1.2 ? 1 : 16 / 9;
}

/** Below this width a tile's name and controls stop being readable. */
export const MIN_TILE_WIDTH_PX = 150;

/**
 * Chooses the column count that gives the largest tiles of `aspect` (width / height) for `count`
 * tiles in a `widthPx` × `heightPx` area with `gapPx` between them. When even the best fit is
 * narrower than {@link MIN_TILE_WIDTH_PX}, it fills the width with readable tiles and scrolls.
 */
export function gridLayout(count: number, widthPx: number, heightPx: number, gapPx = 12, aspect = 16 / 9): GridLayout {
  if (count <= 0 || widthPx <= 0 || heightPx <= 0) return { columns: 1, tileWidthPx: Math.max(0, widthPx), scrolls: false };
  let best: GridLayout = { columns: 1, tileWidthPx: 0, scrolls: false };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (widthPx - gapPx * (columns - 1)) / columns;
    const cellHeight = (heightPx - gapPx * (rows - 1)) / rows;
    const tileWidth = Math.floor(Math.min(cellWidth, cellHeight * aspect));
    if (tileWidth > best.tileWidthPx) best = { columns, tileWidthPx: tileWidth, scrolls: false };
  }
  if (best.tileWidthPx >= MIN_TILE_WIDTH_PX || widthPx < MIN_TILE_WIDTH_PX) return best;
  const columns = Math.max(1, Math.min(count, Math.floor((widthPx + gapPx) / (MIN_TILE_WIDTH_PX + gapPx))));
  return { columns, tileWidthPx: Math.floor((widthPx - gapPx * (columns - 1)) / columns), scrolls: true };
}
