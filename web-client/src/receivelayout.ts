/**
 * What this page tells the SFU about the video it receives, and what it publishes for others to
 * receive well:
 *
 * - {@link LayoutReporter}: each remote video tile's rendered size (device pixels) and visibility,
 *   debounced and sent only when it changed (`subscription.layout`), so the SFU sends no layer
 *   larger than the tile and pauses what nobody sees;
 * - {@link simulcastEncodings}: the three simulcast layers a camera is published in;
 * - {@link pauseText}: the words a paused tile shows for the SFU's reason (`track.paused`).
 *
 * No DOM here: the stage feeds sizes in from its observers, and a scheduler is injected.
 */

import type { PauseReason, TrackLayoutInfo } from './protocol';
import type { Scheduler } from './signaling';

/** One tile as observed: its rendered size in device pixels and whether any of it is on screen. */
export interface ObservedTile {
  widthPx: number;
  heightPx: number;
  visible: boolean;
}

/** The largest side the server accepts (docs/protocol.md, `subscription.layout`). */
export const MAX_SIDE_PX = 16384;
/** The most tracks one `subscription.layout` may name. */
export const MAX_TRACKS_PER_MESSAGE = 64;
/** Sizes are told again only when a side moved by more than this: the layer choice is coarse. */
export const SIZE_SLACK_PX = 16;
/** A live resize settles before it is told: one message per settled layout, not per frame. */
export const DEBOUNCE_MS = 300;

/** What is told for a tile: a tile of no size is not on screen, whatever the observers said. */
export function layoutOf(trackId: string, tile: ObservedTile): TrackLayoutInfo {
  const width = Math.min(MAX_SIDE_PX, Math.round(tile.widthPx));
  const height = Math.min(MAX_SIDE_PX, Math.round(tile.heightPx));
  if (!(width >= 1 && height >= 1)) return { trackId, visible: false };
  return { trackId, width, height, visible: tile.visible };
}

/** Whether `next` differs enough from what was told (`previous`) to be told again. */
export function differs(previous: TrackLayoutInfo | undefined, next: TrackLayoutInfo): boolean {
  if (previous === undefined || previous.visible !== next.visible) return true;
  if ((previous.width === undefined) !== (next.width === undefined)) return true;
  if (previous.width === undefined || next.width === undefined) return false;
  return (
    Math.abs(previous.width - next.width) > SIZE_SLACK_PX || Math.abs((previous.height ?? 0) - (next.height ?? 0)) > SIZE_SLACK_PX
  );
}

/**
 * Collects tile observations and tells the server what changed, {@link DEBOUNCE_MS} after the
 * last change, in messages of at most {@link MAX_TRACKS_PER_MESSAGE} tracks.
 */
export class LayoutReporter {
  private readonly wanted = new Map<string, TrackLayoutInfo>();
  private readonly told = new Map<string, TrackLayoutInfo>();
  private timer: unknown = null;

  /**
   * @param send sends one `subscription.layout`'s tracks; false when it could not be sent (not
   *     connected), and the tracks are tried again at the next change or {@link resendAll}
   */
  constructor(
    private readonly send: (tracks: TrackLayoutInfo[]) => boolean,
    private readonly scheduler: Scheduler,
    private readonly debounceMs = DEBOUNCE_MS,
  ) {}

  /** A tile of a received video track was measured. */
  observe(trackId: string, tile: ObservedTile): void {
    const next = layoutOf(trackId, tile);
    this.wanted.set(trackId, next);
    if (differs(this.told.get(trackId), next)) this.schedule();
  }

  /** The track is no longer received: nothing more is told about it. */
  forget(trackId: string): void {
    this.wanted.delete(trackId);
    this.told.delete(trackId);
  }

  /** A new session (or media connection) knows nothing yet: tell every tile again. */
  resendAll(): void {
    this.told.clear();
    if (this.wanted.size > 0) this.schedule();
  }

  /** What was last told per track (for the test hook). */
  get sent(): ReadonlyMap<string, TrackLayoutInfo> {
    return this.told;
  }

  /** Tells what changed now, without waiting for the debounce. */
  flush(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
    const changed: TrackLayoutInfo[] = [];
    for (const [trackId, layout] of this.wanted) {
      if (differs(this.told.get(trackId), layout)) changed.push(layout);
    }
    for (let i = 0; i < changed.length; i += MAX_TRACKS_PER_MESSAGE) {
      const chunk = changed.slice(i, i + MAX_TRACKS_PER_MESSAGE);
      if (!this.send(chunk)) return;
      for (const layout of chunk) this.told.set(layout.trackId, layout);
    }
  }

  /** Stops the pending report (the page is leaving). */
  dispose(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.debounceMs);
  }
}

/** One simulcast layer as `RTCRtpEncodingParameters` has it. */
export interface SimulcastEncoding {
  rid: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

/** Below this camera width the lower layers would be too small to be worth sending. */
export const SIMULCAST_MIN_WIDTH_PX = 640;

/**
 * The layers a camera of `widthPx` × `heightPx` is published in, lowest first as the SFU expects
 * them (`a=simulcast:send q;h;f`, RFC 8853): a quarter, half and full size, with bitrates that
 * suit 16:9 at 180p, 360p and 720p. None for a small camera (one layer is enough) or when the size
 * is unknown.
 */
export function simulcastEncodings(widthPx: number | undefined, heightPx: number | undefined): SimulcastEncoding[] | null {
  if (widthPx === undefined || heightPx === undefined || widthPx < SIMULCAST_MIN_WIDTH_PX || heightPx < 360) return null;
  return [
    { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
    { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
  ];
}

/** What a paused tile says, for the SFU's reason. */
export function pauseText(reason: PauseReason): string {
  switch (reason) {
    case 'last-n':
      return 'Video paused: not among the last speakers';
    case 'hidden':
      return 'Video paused while off screen';
    case 'bandwidth':
      return 'Video paused: not enough bandwidth';
    case 'no-live-layer':
      return 'Video paused: no picture from this camera';
    default:
      return 'Video paused';
  }
}
