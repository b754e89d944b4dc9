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
export type PlayerState = 'waiting' | 'loading' | 'playing' | 'failed' | 'ended';

interface HlsLike {
  /** Seconds from the playhead's program date time to now (hls.js, from EXT-X-PROGRAM-DATE-TIME). */
  readonly latency: number;
  /** The latency hls.js aims for (PART-HOLD-BACK in low-latency mode). */
  readonly targetLatency: number | null;
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
  private hls: HlsLike | null = null;
  private url: string | null = null;
  private state: PlayerState = 'waiting';
  private roomName = '';

  constructor() {
    this.video = h('video', { playsinline: true, controls: true, 'aria-label': 'The live stream', 'data-testid': 'player-video' });
    this.video.hidden = true;
    this.slate = h('div', { class: 'player-slate', 'data-testid': 'player-slate', role: 'status' });
    this.live = h('span', { class: 'live-badge', 'data-testid': 'live-badge', hidden: true }, 'LIVE');
    this.element = h('div', { class: 'player', 'data-testid': 'player', 'data-state': 'waiting' }, this.video, this.slate, this.live);
    this.video.addEventListener('playing', () => this.setState('playing'));
    this.video.addEventListener('ended', () => this.setState('ended'));
    this.renderSlate();
  }

  get currentState(): PlayerState {
    return this.state;
  }

  get streamUrl(): string | null {
    return this.url;
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

  /** Plays a stream, or shows the waiting slate for `null`. */
  setStream(url: string | null): void {
    if (url === this.url) return;
    this.stop();
    this.url = url;
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
      if (this.url !== url) return;
      if (Hls.isSupported()) {
        // Up to 15 % faster playback (pitch kept) until the playhead is back at the target
        // latency: a start, a stall or a slow part otherwise leaves the audience behind for good.
        const hls = new Hls({ lowLatencyMode: true, backBufferLength: 30, maxLiveSyncPlaybackRate: 1.15 }) as unknown as HlsLike;
        this.hls = hls;
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (data.fatal === true && this.url === url) this.setState('failed', data.details);
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => void video.play().catch(() => undefined));
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
      case 'failed':
        slate('alert', 'The stream could not be played', detail !== undefined ? `The player said: ${detail}.` : 'Try reloading the page.');
        break;
      default:
        break;
    }
  }
}
