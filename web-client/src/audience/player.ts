/**
 * The audience's player: the room's LL-HLS stream through hls.js in low-latency mode (or the
 * browser's own HLS where it has one), and an honest slate when there is nothing to play. The
 * stream URL comes from the server (`stream` in `audience.state` / `audience.update`); until the
 * bridge announces one, the slate says the stream starts soon. Nothing is faked: the LIVE badge
 * shows only while the video element is really playing.
 */

import { h, replaceChildren } from '../ui/dom';
import { type IconName, icon } from '../ui/icons';

/** What the player shows (data-state on the element, for tests and styles). */
export type PlayerState = 'waiting' | 'loading' | 'playing' | 'failed' | 'ended' | 'suspended';

interface HlsLike {
  /** Seconds from the playhead's program date time to now (hls.js, from EXT-X-PROGRAM-DATE-TIME). */
  readonly latency: number;
  /** The latency hls.js aims for (PART-HOLD-BACK in low-latency mode). */
  readonly targetLatency: number | null;
  /** Where the playhead should be to play at the target latency, or null before it is known. */
  readonly liveSyncPosition: number | null;
  /** The renditions of the multivariant playlist. */
  readonly levels: readonly { height: number; width: number; bitrate: number }[];
  /** The rendition being played, or -1. */
  readonly currentLevel: number;
  /** -1: automatic (ABR); otherwise the rendition to switch to. */
  nextLevel: number;
  /** Whether hls.js chooses the rendition itself. */
  readonly autoLevelEnabled: boolean;
  loadSource(url: string): void;
  attachMedia(media: HTMLMediaElement): void;
  on(event: string, handler: (event: string, data: { fatal?: boolean; details?: string }) => void): void;
  destroy(): void;
}

export class Player {
  readonly element: HTMLElement;
  private readonly video: HTMLVideoElement;
  private readonly slate: HTMLElement;
  private readonly live: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly quality: HTMLSelectElement;
  private readonly statsToggle: HTMLButtonElement;
  private readonly stats: HTMLElement;
  private readonly controls: HTMLElement;
  private statsTimer = 0;
  private hls: HlsLike | null = null;
  private url: string | null = null;
  private state: PlayerState = 'waiting';
  private suspended = false;
  private roomName = '';

  constructor() {
    this.video = h('video', { playsinline: true, controls: true, 'aria-label': 'The live stream', 'data-testid': 'player-video' });
    this.video.hidden = true;
    this.slate = h('div', { class: 'player-slate', 'data-testid': 'player-slate', role: 'status' });
    this.live = h('span', { class: 'live-badge', 'data-testid': 'live-badge', hidden: true }, 'LIVE');
    // Shown when the playhead is well behind the live edge (paused, or after a stall).
    this.jump = h('button', { type: 'button', class: 'btn btn-small jump-live', 'data-testid': 'jump-live', hidden: true, onclick: () => this.jumpToLive() }, 'Jump to live');
    this.quality = h('select', { class: 'select select-small', 'data-testid': 'quality-select', 'aria-label': 'Video quality', onchange: () => this.chooseQuality() });
    this.statsToggle = h(
      'button',
      { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'stats-toggle', 'aria-pressed': 'false', 'aria-controls': 'player-stats', onclick: () => this.toggleStats() },
      'Stats',
    );
    this.stats = h('div', { class: 'player-stats', id: 'player-stats', 'data-testid': 'player-stats', role: 'status', hidden: true });
    this.controls = h('div', { class: 'player-controls', hidden: true }, this.jump, this.quality, this.statsToggle);
    this.element = h('div', { class: 'player', 'data-testid': 'player', 'data-state': 'waiting' }, this.video, this.slate, this.live, this.stats, this.controls);
    this.video.addEventListener('playing', () => this.setState('playing'));
    this.video.addEventListener('ended', () => this.setState('ended'));
    this.video.addEventListener('pause', () => this.updateJump());
    this.video.addEventListener('play', () => this.updateJump());
    this.video.addEventListener('waiting', () => this.updateJump());
    this.renderSlate();
  }

  get currentState(): PlayerState {
    return this.state;
  }

  get streamUrl(): string | null {
    return this.url;
  }

  /** Moves the playhead back to the live edge (at the target latency) and plays. */
  jumpToLive(): void {
    const position = this.hls?.liveSyncPosition ?? null;
    if (position !== null) this.video.currentTime = position;
    void this.video.play().catch(() => undefined);
  }

  private chooseQuality(): void {
    const hls = this.hls;
    if (hls === null) return;
    // -1 hands the choice back to hls.js's ABR; a level switches at the next segment boundary.
    hls.nextLevel = Number(this.quality.value);
  }

  private toggleStats(): void {
    const shown = this.stats.hidden;
    this.stats.hidden = !shown;
    this.statsToggle.setAttribute('aria-pressed', String(shown));
    window.clearInterval(this.statsTimer);
    if (shown) {
      this.renderStats();
      this.statsTimer = window.setInterval(() => this.renderStats(), 500);
    }
  }

  private renderStats(): void {
    const hls = this.hls;
    const l = this.latency;
    const level = hls !== null && hls.currentLevel >= 0 ? hls.levels[hls.currentLevel] : undefined;
    const lines = [
      l === null ? 'Latency: —' : `Latency: ${l.latency.toFixed(2)} s (target ${l.target === null ? '—' : `${l.target.toFixed(2)} s`})`,
      level === undefined ? 'Quality: —' : `Quality: ${level.height}p, ${Math.round(level.bitrate / 1000)} kbit/s${hls?.autoLevelEnabled === true ? ' (auto)' : ''}`,
      `Buffer: ${this.bufferAhead().toFixed(2)} s`,
    ];
    replaceChildren(this.stats, ...lines.map((text) => h('div', {}, text)));
    this.updateJump();
  }

  /** Seconds buffered ahead of the playhead. */
  private bufferAhead(): number {
    const b = this.video.buffered;
    const t = this.video.currentTime;
    for (let i = 0; i < b.length; i++) if (b.start(i) <= t + 0.1 && t <= b.end(i)) return b.end(i) - t;
    return 0;
  }

  private updateJump(): void {
    const l = this.latency;
    const behind = this.video.paused || (l !== null && l.target !== null && l.latency > l.target + 3);
    this.jump.hidden = this.state !== 'playing' || !behind;
  }

  private fillQualities(): void {
    const hls = this.hls;
    if (hls === null) return;
    const options = [h('option', { value: '-1' }, 'Auto')];
    hls.levels.forEach((level, i) => options.push(h('option', { value: String(i) }, `${level.height}p`)));
    replaceChildren(this.quality, ...options);
    this.quality.value = '-1';
  }

  /** The live latency and its target, in seconds, while hls.js plays (null otherwise). */
  get latency(): { latency: number; target: number | null } | null {
    const hls = this.hls;
    return hls === null || this.state !== 'playing' ? null : { latency: hls.latency, target: hls.targetLatency };
  }

  setRoomName(name: string): void {
    this.roomName = name;
    this.renderSlate();
  }

  /** Plays a stream, or shows the waiting slate for `null`. While suspended, only remembers it. */
  setStream(url: string | null): void {
    if (url === this.url) return;
    this.stop();
    this.url = url;
    if (this.suspended) return;
    this.play();
  }

  /**
   * Stops playing while the viewer is on stage, remembering the stream. On stage they hear the
   * others live over WebRTC; the broadcast, 1–2 s behind and carrying their own voice, would
   * echo into their microphone.
   */
  suspend(): void {
    if (this.suspended) return;
    this.suspended = true;
    this.stop();
    this.setState('suspended');
  }

  /** Back in the audience: plays the current stream again from its live edge. */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.play();
  }

  private play(): void {
    const url = this.url;
    if (url === null) {
      this.setState('waiting');
      return;
    }
    this.setState('loading');
    void this.start(url);
  }

  private async start(url: string): Promise<void> {
    const video = this.video;
    try {
      const { default: Hls } = await import('hls.js');
      if (this.url !== url || this.suspended) return;
      if (Hls.isSupported()) {
        // Up to 15 % faster playback (pitch kept) until the playhead is back at the target
        // latency: a start, a stall or a slow part otherwise leaves the audience behind for good.
        // A stall moves the target back by a quarter of a second, not hls.js's default whole
        // second: with 200 ms parts, one stall while the stream starts would otherwise keep the
        // audience a second later than it needs to be for the rest of the show.
        const hls = new Hls({
          lowLatencyMode: true,
          backBufferLength: 30,
          maxLiveSyncPlaybackRate: 1.15,
          liveSyncOnStallIncrease: 0.25,
        }) as unknown as HlsLike;
        this.hls = hls;
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (data.fatal === true && this.url === url) this.setState('failed', data.details);
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => {
          this.fillQualities();
          void video.play().catch(() => undefined);
        });
        hls.loadSource(url);
        hls.attachMedia(video);
      } else if (video.canPlayType('application/vnd.apple.mpegurl') !== '') {
        video.src = url;
        void video.play().catch(() => undefined);
      } else {
        this.setState('failed', 'this browser cannot play HLS');
        return;
      }
      video.hidden = false;
    } catch (e) {
      if (this.url === url) this.setState('failed', String(e));
    }
  }

  private stop(): void {
    window.clearInterval(this.statsTimer);
    this.hls?.destroy();
    this.hls = null;
    this.video.removeAttribute('src');
    this.video.load();
    this.video.hidden = true;
  }

  private setState(state: PlayerState, detail?: string): void {
    this.state = state;
    this.element.dataset['state'] = state;
    this.live.hidden = state !== 'playing';
    this.controls.hidden = state !== 'playing' || this.hls === null;
    if (state !== 'playing') this.stats.hidden = true;
    this.updateJump();
    if (state === 'failed' || state === 'waiting') this.video.hidden = true;
    this.renderSlate(detail);
  }

  private renderSlate(detail?: string): void {
    const shown = this.state !== 'playing';
    this.slate.hidden = !shown;
    if (!shown) return;
    const slate = (iconName: IconName, title: string, text: string): void =>
      replaceChildren(
        this.slate,
        h('span', { class: 'slate-mark' }, icon(iconName)),
        h('span', { class: 'slate-title', 'data-testid': 'player-slate-title' }, title),
        h('p', { class: 'slate-text' }, text),
      );
    switch (this.state) {
      case 'waiting':
        slate(
          'play',
          'The stream starts soon',
          `${this.roomName !== '' ? `${this.roomName} is` : 'This room is'} not streaming yet. This page starts playing by itself once it is. Meanwhile, ask a question.`,
        );
        break;
      case 'loading':
        slate('refresh', 'Connecting to the stream…', 'The video appears in a moment.');
        break;
      case 'ended':
        slate('power', 'The stream has ended', 'Thanks for watching.');
        break;
      case 'suspended':
        slate('mic', 'You are on stage', 'The stream resumes when you are back in the audience.');
        break;
      case 'failed':
        slate('alert', 'The stream could not be played', detail !== undefined ? `The player said: ${detail}.` : 'Try reloading the page.');
        break;
      default:
        break;
    }
  }
}
