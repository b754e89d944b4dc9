/**
 * One tile of the stage grid: a participant's camera (or a screen share), their name, mute
 * state, connection quality, and a moderator's actions on them.
 *
 * A tile keeps its <video> across updates and only touches what changed, so an update never
 * makes the picture flicker.
 */

import type { PauseReason, Role } from '../protocol';
import { pauseText } from '../receivelayout';
import { type QualityReport, describeQuality } from '../quality';
import { h, initials, replaceChildren } from '../ui/dom';
import { icon } from '../ui/icons';

export interface TileModel {
  /** `${participantId}:camera` or `${participantId}:screen:${trackId}`. */
  key: string;
  participantId: string;
  name: string;
  role: Role;
  isSelf: boolean;
  source: 'camera' | 'screen';
  trackId: string | null;
  video: MediaStreamTrack | null;
  /** The camera is off or muted, so the avatar shows instead. */
  videoOff: boolean;
  micMuted: boolean;
  speaking: boolean;
  /** Why the SFU paused this remote video (`track.paused`), or null while it flows. */
  paused: PauseReason | null;
  quality: QualityReport | undefined;
  canModerate: boolean;
  /** A guest from the audience (a moderator may send it back). */
  fromAudience: boolean;
}

export interface TileActions {
  mute(participantId: string, name: string): void;
  remove(participantId: string, name: string): void;
  sendBack(participantId: string, name: string): void;
}

const ROLE_NAMES: Record<Role, string> = { moderator: 'Moderator', presenter: 'Presenter', audience: 'Audience' };

export class Tile {
  readonly element: HTMLElement;
  private readonly video: HTMLVideoElement;
  private readonly avatar: HTMLElement;
  private readonly nameEl: HTMLElement;
  private readonly roleEl: HTMLElement;
  private readonly micEl: HTMLElement;
  private readonly qualityEl: HTMLElement;
  private readonly pausedEl: HTMLElement;
  private readonly actionsEl: HTMLElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly removeButton: HTMLButtonElement;
  private readonly sendBackButton: HTMLButtonElement;
  private currentTrack: MediaStreamTrack | null = null;
  private model: TileModel;

  constructor(model: TileModel, actions: TileActions) {
    this.model = model;
    this.video = h('video', { class: 'tile-video', autoplay: true, playsinline: true, 'aria-hidden': 'true' });
    // Audio plays through the page's audio elements; the video element stays silent.
    this.video.muted = true;
    this.avatar = h('div', { class: 'tile-avatar', 'aria-hidden': 'true' });
    this.nameEl = h('span', { class: 'tile-name', 'data-testid': 'tile-name' });
    this.roleEl = h('span', { class: 'tile-role' });
    this.micEl = h('span', { class: 'tile-mic', 'data-testid': 'tile-mic' });
    this.pausedEl = h('p', { class: 'tile-paused', 'data-testid': 'tile-paused', role: 'status', hidden: true });
    this.qualityEl = h(
      'span',
      { class: 'quality', role: 'img', 'data-testid': 'tile-quality' },
      h('span', { class: 'bar' }),
      h('span', { class: 'bar' }),
      h('span', { class: 'bar' }),
    );
    this.muteButton = h('button', {
      type: 'button',
      class: 'tile-action',
      'data-testid': 'tile-mute-button',
      onclick: () => actions.mute(this.model.participantId, this.model.name),
    });
    this.removeButton = h('button', {
      type: 'button',
      class: 'tile-action tile-action-danger',
      'data-testid': 'tile-remove-button',
      onclick: () => actions.remove(this.model.participantId, this.model.name),
    });
    this.sendBackButton = h('button', {
      type: 'button',
      class: 'tile-action',
      'data-testid': 'tile-sendback-button',
      onclick: () => actions.sendBack(this.model.participantId, this.model.name),
    });
    replaceChildren(this.muteButton, icon('micOff'), h('span', { class: 'tile-action-label' }, 'Mute'));
    replaceChildren(this.removeButton, icon('userX'), h('span', { class: 'tile-action-label' }, 'Remove'));
    replaceChildren(this.sendBackButton, icon('leave'), h('span', { class: 'tile-action-label' }, 'Send back'));
    this.actionsEl = h('div', { class: 'tile-actions' }, this.muteButton, this.sendBackButton, this.removeButton);

    this.element = h(
      'article',
      { class: 'tile', 'data-testid': 'tile' },
      this.video,
      this.avatar,
      this.pausedEl,
      h('div', { class: 'tile-top' }, this.qualityEl),
      this.actionsEl,
      h('div', { class: 'tile-bottom' }, this.micEl, this.nameEl, this.roleEl),
    );
    this.render(model, true);
  }

  update(model: TileModel): void {
    const previous = this.model;
    this.model = model;
    this.render(previous, false);
  }

  private render(previous: TileModel, first: boolean): void {
    const m = this.model;
    const e = this.element;
    if (first || previous.participantId !== m.participantId || previous.source !== m.source) {
      e.dataset['participantId'] = m.participantId;
      e.dataset['source'] = m.source;
      if (m.trackId !== null) e.dataset['trackId'] = m.trackId;
      e.classList.toggle('tile-self', m.isSelf);
      e.classList.toggle('tile-screen', m.source === 'screen');
      this.video.classList.toggle('mirror', m.isSelf && m.source === 'camera');
    }
    if (first || previous.name !== m.name || previous.role !== m.role || previous.isSelf !== m.isSelf) {
      const label = m.source === 'screen' ? `${m.isSelf ? 'Your' : `${m.name}’s`} screen` : m.isSelf ? `${m.name} (you)` : m.name;
      this.nameEl.textContent = label;
      this.nameEl.title = label;
      this.roleEl.textContent =
        m.source !== 'camera' ? '' : m.role === 'moderator' ? ROLE_NAMES[m.role] : m.fromAudience ? 'Guest' : '';
      this.roleEl.hidden = this.roleEl.textContent === '';
      this.avatar.textContent = initials(m.name);
      this.muteButton.setAttribute('aria-label', `Mute ${m.name}`);
      this.removeButton.setAttribute('aria-label', `Remove ${m.name} from the room`);
      this.sendBackButton.setAttribute('aria-label', `Send ${m.name} back to the audience`);
      this.sendBackButton.title = `Send ${m.name} back to the audience`;
      e.setAttribute('aria-label', `${label}${m.source === 'camera' ? `, ${ROLE_NAMES[m.role].toLowerCase()}` : ''}`);
    }
    if (first || previous.video !== m.video || this.currentTrack !== m.video) {
      this.currentTrack = m.video;
      this.video.srcObject = m.video !== null ? new MediaStream([m.video]) : null;
      if (m.video !== null) void this.video.play().catch(() => undefined);
    }
    const showVideo = m.video !== null && !m.videoOff;
    e.classList.toggle('video-off', !showVideo);
    e.dataset['videoOff'] = String(!showVideo);

    if (first || previous.paused !== m.paused) {
      e.dataset['paused'] = m.paused ?? '';
      this.pausedEl.hidden = m.paused === null;
      this.pausedEl.textContent = m.paused === null ? '' : pauseText(m.paused);
    }

    e.classList.toggle('speaking', m.speaking);
    e.dataset['speaking'] = String(m.speaking);

    if (first || previous.micMuted !== m.micMuted) {
      e.dataset['micMuted'] = String(m.micMuted);
      replaceChildren(this.micEl, icon(m.micMuted ? 'micOff' : 'mic', 'icon icon-s'));
      this.micEl.classList.toggle('muted', m.micMuted);
      this.micEl.setAttribute('aria-label', m.micMuted ? 'Microphone muted' : 'Microphone on');
      this.micEl.setAttribute('role', 'img');
    }
    this.micEl.hidden = m.source === 'screen';

    const level = m.quality?.level ?? 'unknown';
    this.qualityEl.dataset['level'] = level;
    const description = m.quality !== undefined ? describeQuality(m.quality) : 'Connection quality: measuring';
    this.qualityEl.setAttribute('aria-label', description);
    this.qualityEl.title = description;
    // Shown once measured: before the first stats there is nothing to say.
    this.qualityEl.hidden = m.source === 'screen' || m.quality === undefined;

    const moderate = m.canModerate && !m.isSelf && m.source === 'camera';
    this.actionsEl.hidden = !moderate;
    this.sendBackButton.hidden = !m.fromAudience;
    this.muteButton.disabled = m.micMuted;
    this.muteButton.title = m.micMuted ? `${m.name} is muted` : `Mute ${m.name}`;
  }

  dispose(): void {
    this.video.srcObject = null;
    this.element.remove();
  }
}
