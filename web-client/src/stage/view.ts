/**
 * The stage screen: the tile grid, the control bar, the header's status, connection banners and
 * the card shown when the session ends. It renders from {@link StageSession}'s state and calls
 * its actions.
 */

import type { Role } from '../protocol';
import type { ConnectionState, ReconnectInfo, SessionEnd } from '../signaling';
import { h, replaceChildren } from '../ui/dom';
import { type IconName, icon } from '../ui/icons';
import type { Banners } from './banners';
import { confirmDialog } from './dialogs';
import { gridLayout, tileAspect } from './layout';
import { explainEnd } from './messages';
import { AudiencePanel, pinnedStrip } from './audiencepanel';
import type { StageSession } from './session';
import { Tile, type TileModel } from './tile';

export interface EndCardSpec {
  title: string;
  text: string;
  /** The server's code, shown as it is. */
  code?: string;
  /** The server's (or moderator's) reason, shown as it is. */
  reason?: string;
  reasonLabel?: string;
  actions: { label: string; href?: string; run?: () => void; primary?: boolean; testId: string }[];
  icon?: IconName;
}

/** The card that replaces the stage when the user cannot (or can no longer) be on it. */
export function endCard(spec: EndCardSpec): HTMLElement {
  return h(
    'section',
    { class: 'end-card', 'data-testid': 'end-card', 'data-code': spec.code, 'aria-labelledby': 'end-title' },
    h('div', { class: 'end-icon' }, icon(spec.icon ?? 'info', 'icon icon-xl')),
    h('h1', { id: 'end-title', tabindex: '-1', 'data-testid': 'end-title' }, spec.title),
    h('p', { class: 'end-text' }, spec.text),
    spec.reason !== undefined && spec.reason !== ''
      ? h(
          'p',
          { class: 'end-reason', 'data-testid': 'end-reason' },
          h('span', { class: 'end-reason-label' }, spec.reasonLabel ?? 'Reason'),
          ' ',
          spec.reason,
        )
      : null,
    spec.code !== undefined ? h('p', { class: 'end-code' }, 'Code ', h('code', { 'data-testid': 'end-code' }, spec.code)) : null,
    h(
      'div',
      { class: 'end-actions' },
      ...spec.actions.map((a) =>
        a.href !== undefined
          ? h('a', { class: `btn ${a.primary === true ? 'btn-primary' : 'btn-ghost'}`, href: a.href, 'data-testid': a.testId }, a.label)
          : h(
              'button',
              { type: 'button', class: `btn ${a.primary === true ? 'btn-primary' : 'btn-ghost'}`, 'data-testid': a.testId, onclick: () => a.run?.() },
              a.label,
            ),
      ),
    ),
  );
}

/** The card for an ended session, with the server's reason. */
export function endCardFor(end: SessionEnd, rejoin: () => void): HTMLElement {
  const explained = explainEnd(end);
  const home = { label: 'Back to Palco', href: '/', testId: 'home-link' };
  switch (end.kind) {
    case 'refused': {
      const retriable = end.code === 'room-full' || end.code === 'server-full';
      return endCard({
        ...explained,
        code: end.code,
        reason: end.message,
        reasonLabel: 'The server said:',
        icon: 'alert',
        actions: retriable ? [{ label: 'Try again', run: rejoin, primary: true, testId: 'rejoin-button' }, home] : [home],
      });
    }
    case 'removed':
      return endCard({
        ...explained,
        code: 'removed',
        reason: end.reason !== '' ? end.reason : 'No reason was given.',
        reasonLabel: 'Reason:',
        icon: 'userX',
        actions: [home],
      });
    case 'room-ended':
      return endCard({ ...explained, code: 'room-ended', reason: end.reason, reasonLabel: 'Reason:', icon: 'power', actions: [home] });
    case 'sent-back':
      return endCard({ ...explained, code: 'sent-back', icon: 'users', actions: [home] });
    case 'left':
      return endCard({
        ...explained,
        icon: 'leave',
        actions: [{ label: 'Rejoin', run: rejoin, primary: true, testId: 'rejoin-button' }, home],
      });
  }
}

const STATE_LABELS: Record<ConnectionState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  joining: 'Joining…',
  joined: 'Live',
  reconnecting: 'Reconnecting…',
  ended: 'Offline',
};

interface ControlButton {
  element: HTMLButtonElement;
  set(on: boolean, label: string, iconName: IconName, text: string): void;
}

function controlButton(testId: string, onClick: () => void, extraClass = ''): ControlButton {
  const element = h('button', { type: 'button', class: `control ${extraClass}`, 'data-testid': testId, onclick: onClick });
  return {
    element,
    set(on, label, iconName, text) {
      element.dataset['state'] = on ? 'on' : 'off';
      element.setAttribute('aria-label', label);
      element.title = label;
      replaceChildren(element, icon(iconName), h('span', { class: 'control-label' }, text));
    },
  };
}

export interface StageViewOptions {
  session: StageSession;
  banners: Banners;
  main: HTMLElement;
  controls: HTMLElement;
  /** The name the user gave; shown on their own tile. */
  selfName: string;
  /** The room id from the link, shown until the server names the room. */
  roomId: string;
  /** The role from the link, until the server confirms it. */
  linkRole: Role | null;
  rejoin: () => void;
}

export class StageView {
  private readonly o: StageViewOptions;
  private readonly grid: HTMLElement;
  /** Holds the first screen share, large, when there is one. */
  private readonly spotlight: HTMLElement;
  private readonly audioSink: HTMLElement;
  private readonly tiles = new Map<string, Tile>();
  /** Remote video tiles being measured: their track and last measurement. */
  private readonly watched = new Map<Element, WatchedTile>();
  private readonly tileResize: ResizeObserver;
  private readonly tileIntersection: IntersectionObserver;
  private readonly audio = new Map<string, HTMLAudioElement>();
  private readonly mic: ControlButton;
  private readonly camera: ControlButton;
  private readonly screen: ControlButton;
  private readonly endRoomButton: HTMLButtonElement;
  private readonly broadcastButton: HTMLButtonElement;
  private readonly onAirBadge: HTMLElement;
  private readonly audienceButton: HTMLButtonElement;
  private readonly pinnedHost: HTMLElement;
  private pinnedKey = '';
  private panel: AudiencePanel | null = null;
  private viewerPill: HTMLElement | null = null;
  private renderQueued = false;
  private reconnectDeadline = 0;
  private countdownTimer = 0;
  private wasDisconnected = false;
  private ended = false;

  constructor(options: StageViewOptions) {
    this.o = options;
    this.grid = h('div', { class: 'grid', 'data-testid': 'stage-grid', role: 'list', 'aria-label': 'People on stage' });
    this.spotlight = h('div', { class: 'spotlight', 'data-testid': 'spotlight', role: 'list', 'aria-label': 'Shared screen' });
    this.audioSink = h('div', { class: 'audio-sink', 'aria-hidden': 'true' });
    this.pinnedHost = h('div', { class: 'pinned-host', 'aria-live': 'polite' });
    replaceChildren(options.main, h('h1', { class: 'sr-only' }, 'Stage'), this.spotlight, this.grid, this.pinnedHost, this.audioSink);
    options.main.classList.add('on-stage');

    const s = options.session;
    this.mic = controlButton('mic-toggle', () => s.toggleMic());
    this.camera = controlButton('camera-toggle', () => s.toggleCamera());
    this.screen = controlButton('screen-toggle', () => void s.toggleScreen(), 'control-screen');
    this.endRoomButton = h(
      'button',
      { type: 'button', class: 'control control-end', 'data-testid': 'end-room-button', 'aria-label': 'End the room for everyone', title: 'End the room for everyone', onclick: () => void this.confirmEndRoom() },
      icon('power'),
      h('span', { class: 'control-label' }, 'End room'),
    );
    this.broadcastButton = h('button', {
      type: 'button',
      class: 'control control-broadcast',
      'data-testid': 'broadcast-button',
      hidden: true,
      onclick: () => s.setBroadcasting(!s.broadcast.live),
    });
    // Everyone on stage sees when the audience is watching.
    this.onAirBadge = h('span', { class: 'on-air', 'data-testid': 'on-air', role: 'status', hidden: true }, 'On air');
    document.querySelector('.topbar-status')?.prepend(this.onAirBadge);
    const leave = h(
      'button',
      { type: 'button', class: 'control control-leave', 'data-testid': 'leave-button', 'aria-label': 'Leave the room', title: 'Leave the room', onclick: () => s.leave() },
      icon('leave'),
      h('span', { class: 'control-label' }, 'Leave'),
    );
    this.audienceButton = h(
      'button',
      {
        type: 'button',
        class: 'control control-audience',
        'data-testid': 'audience-toggle',
        'aria-label': 'Show the audience panel',
        'aria-controls': 'audience-panel',
        'aria-expanded': 'false',
        title: 'Audience: questions, hands, chat',
        hidden: true,
        onclick: () => this.togglePanel(),
      },
      icon('question'),
      h('span', { class: 'control-label' }, 'Audience'),
    );
    replaceChildren(
      options.controls,
      h('div', { class: 'controls-group', role: 'group', 'aria-label': 'Your media' }, this.mic.element, this.camera.element, this.screen.element),
      h('div', { class: 'controls-group', role: 'group', 'aria-label': 'Room' }, this.audienceButton, this.broadcastButton, this.endRoomButton, leave),
    );
    options.controls.hidden = false;
    options.controls.setAttribute('aria-label', 'Stage controls');

    new ResizeObserver(() => this.layout()).observe(this.grid);
    // Each remote video tile's size in device pixels and whether it is on screen go to the SFU,
    // which sends no layer larger than the tile and pauses what is not seen.
    this.tileResize = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const w = this.watched.get(entry.target);
        if (w === undefined) continue;
        w.cssWidth = entry.contentRect.width;
        w.cssHeight = entry.contentRect.height;
        this.reportTile(w);
      }
    });
    this.tileIntersection = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const w = this.watched.get(entry.target);
        if (w === undefined) continue;
        w.intersecting = entry.isIntersecting;
        this.reportTile(w);
      }
    });
    document.addEventListener('visibilitychange', () => {
      for (const w of this.watched.values()) this.reportTile(w);
    });
    this.watchPixelRatio();
    this.render();
  }

  /**
   * A window moved to a screen of another density (or zoomed) keeps its CSS sizes, so the tiles'
   * observers stay quiet: tell every tile again in the new device pixels.
   */
  private watchPixelRatio(): void {
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener(
      'change',
      () => {
        for (const w of this.watched.values()) this.reportTile(w);
        this.watchPixelRatio();
      },
      { once: true },
    );
  }

  /**
   * Tells the session a tile's size in device pixels: CSS pixels times the pixel ratio, which is
   * what the video is drawn at on this screen (the `device-pixel-content-box` of a
   * ResizeObserver would be exact to the pixel, but emulated screens leave it in CSS pixels).
   */
  private reportTile(w: WatchedTile): void {
    // Each observer reports a new tile on its own; until both have, nothing is told, so a tile is
    // never taken for hidden (and paused) for a moment by accident.
    if (w.intersecting === null || w.cssWidth < 0) return;
    const ratio = window.devicePixelRatio || 1;
    this.o.session.reportTile(w.trackId, {
      widthPx: w.cssWidth * ratio,
      heightPx: w.cssHeight * ratio,
      visible: w.intersecting && document.visibilityState !== 'hidden',
    });
  }

  /** Measures a remote video tile, or stops when it shows no remote track. */
  private watchTile(tile: Tile, model: TileModel): void {
    const current = this.watched.get(tile.element);
    const trackId = model.isSelf ? null : model.trackId;
    if (current !== undefined && current.trackId === trackId) return;
    this.unwatchTile(tile.element);
    if (trackId === null) return;
    this.watched.set(tile.element, { trackId, cssWidth: -1, cssHeight: -1, intersecting: null });
    this.tileResize.observe(tile.element);
    this.tileIntersection.observe(tile.element);
  }

  private unwatchTile(element: Element): void {
    const w = this.watched.get(element);
    if (w === undefined) return;
    this.watched.delete(element);
    this.tileResize.unobserve(element);
    this.tileIntersection.unobserve(element);
    this.o.session.forgetTile(w.trackId);
  }

  /** Batches renders to one per frame: stats and levels change often. */
  scheduleRender(): void {
    if (this.renderQueued || this.ended) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  onConnection(state: ConnectionState, reconnect?: ReconnectInfo): void {
    const pill = document.getElementById('connection-pill');
    if (pill !== null) {
      pill.dataset['state'] = state;
      pill.textContent = STATE_LABELS[state];
    }
    const banners = this.o.banners;
    if (state === 'reconnecting' && reconnect !== undefined) {
      this.wasDisconnected = true;
      this.reconnectDeadline = Date.now() + reconnect.retryInMs;
      const unreachable = !reconnect.everJoined;
      banners.show(
        'connection',
        {
          level: unreachable ? 'error' : 'warning',
          icon: 'wifiOff',
          title: unreachable ? 'Can’t reach the Palco server' : 'Connection lost, reconnecting',
          text: this.countdownText(unreachable),
          actions: [{ label: 'Retry now', run: () => this.o.session.retryNow(), testId: 'retry-now', primary: true }],
        },
        reconnect.attempt === 1 || unreachable !== banners.has('connection'),
      );
      window.clearInterval(this.countdownTimer);
      this.countdownTimer = window.setInterval(() => banners.updateText('connection', this.countdownText(unreachable)), 1000);
    } else if (state === 'connecting' || state === 'joining') {
      window.clearInterval(this.countdownTimer);
      if (banners.has('connection')) banners.updateText('connection', 'Trying now…');
    } else {
      window.clearInterval(this.countdownTimer);
      banners.hide('connection');
      if (state === 'joined' && this.wasDisconnected) {
        this.wasDisconnected = false;
        banners.show('connection-back', { level: 'info', title: 'Connected', text: 'You are back on stage.', dismissAfterS: 4 });
      }
    }
  }

  private countdownText(unreachable: boolean): string {
    const seconds = Math.max(0, Math.ceil((this.reconnectDeadline - Date.now()) / 1000));
    const next = seconds > 0 ? `Retrying in ${seconds} s.` : 'Trying now…';
    return unreachable
      ? `Check your network, or whether the server is running. ${next}`
      : `Your seat is kept for 30 seconds. ${next}`;
  }

  /** Replaces the stage with the end card. */
  showEnd(end: SessionEnd): void {
    this.ended = true;
    window.clearInterval(this.countdownTimer);
    for (const tile of this.tiles.values()) {
      this.unwatchTile(tile.element);
      tile.dispose();
    }
    this.tiles.clear();
    for (const audio of this.audio.values()) audio.srcObject = null;
    this.audio.clear();
    this.o.banners.clear();
    this.o.controls.hidden = true;
    this.panel?.dispose();
    this.panel = null;
    this.viewerPill?.remove();
    this.viewerPill = null;
    this.onAirBadge.remove();
    document.body.classList.remove('has-panel', 'panel-open');
    const count = document.getElementById('participant-count');
    if (count !== null) count.hidden = true;
    this.o.main.classList.remove('on-stage', 'has-spotlight');
    const card = endCardFor(end, this.o.rejoin);
    replaceChildren(this.o.main, card);
    const explained = explainEnd(end);
    this.o.banners.announce(`${explained.title}. ${card.querySelector('.end-reason')?.textContent ?? ''}`, end.kind !== 'left');
    card.querySelector<HTMLElement>('#end-title')?.focus();
  }

  private render(): void {
    if (this.ended) return;
    const s = this.o.session;
    const room = s.room;

    const roomName = document.getElementById('room-name');
    if (roomName !== null) roomName.textContent = room.roomName !== '' ? room.roomName : `Room ${this.o.roomId}`;
    const role = room.role ?? this.o.linkRole;
    const badge = document.getElementById('role-badge');
    if (badge !== null) {
      badge.hidden = role === null;
      badge.textContent = role === 'moderator' ? 'Moderator' : role === 'presenter' ? 'Presenter' : '';
      badge.dataset['role'] = role ?? '';
    }
    const count = document.getElementById('participant-count');
    if (count !== null) {
      const n = room.participants.size + 1;
      count.hidden = !s.joined;
      replaceChildren(count, icon('users', 'icon icon-s'), h('span', {}, String(n)));
      count.setAttribute('aria-label', `${n} on stage`);
      count.title = `${n} on stage`;
    }

    this.renderControls();
    this.renderTiles(this.tileModels());
    this.renderAudio();
    this.renderAudience();
  }

  /** The pinned question for everyone; the audience panel and viewer count for moderators. */
  private renderAudience(): void {
    const s = this.o.session;
    const pinned = s.audience.pinned;
    const key = pinned === null ? '' : `${pinned.id}:${pinned.text}:${pinned.name}`;
    if (key !== this.pinnedKey) {
      this.pinnedKey = key;
      replaceChildren(this.pinnedHost, pinnedStrip(pinned));
    }
    if (s.isModerator && s.joined && this.panel === null) {
      this.panel = new AudiencePanel(s);
      this.o.main.after(this.panel.element);
      document.body.classList.add('has-panel');
      this.audienceButton.hidden = false;
      this.viewerPill = h('span', { class: 'viewer-pill', 'data-testid': 'topbar-viewers', role: 'status' });
      document.querySelector('.topbar-status')?.prepend(this.viewerPill);
    }
    if (this.panel !== null) {
      this.panel.render();
      if (this.viewerPill !== null) {
        const n = s.audience.viewers ?? 0;
        replaceChildren(this.viewerPill, icon('eye', 'icon icon-s'), h('span', {}, String(n)));
        this.viewerPill.setAttribute('aria-label', `${n} watching`);
        this.viewerPill.title = `${n} watching the stream`;
      }
    }
  }

  /** At phone width the panel is a sheet over the stage, opened from the control bar. */
  private togglePanel(): void {
    const open = !document.body.classList.contains('panel-open');
    document.body.classList.toggle('panel-open', open);
    this.audienceButton.setAttribute('aria-expanded', String(open));
    this.audienceButton.dataset['state'] = open ? 'on' : 'off';
    if (open) this.panel?.element.querySelector<HTMLElement>('[role=tab][aria-selected=true]')?.focus();
  }

  private renderControls(): void {
    const s = this.o.session;
    const hasMic = s.media.audio !== null;
    const hasCamera = s.media.video !== null;
    const micOn = s.micOn && hasMic;
    const cameraOn = s.cameraOn && hasCamera;
    this.mic.set(micOn, micOn ? 'Mute microphone' : hasMic ? 'Unmute microphone' : 'No microphone', micOn ? 'mic' : 'micOff', micOn ? 'Mute' : 'Unmute');
    this.camera.set(cameraOn, cameraOn ? 'Turn camera off' : hasCamera ? 'Turn camera on' : 'No camera', cameraOn ? 'video' : 'videoOff', cameraOn ? 'Stop video' : 'Start video');
    const sharing = s.screenTrack !== null;
    this.screen.set(sharing, sharing ? 'Stop sharing your screen' : 'Share your screen', sharing ? 'screenOff' : 'screen', sharing ? 'Stop sharing' : 'Share');
    this.mic.element.classList.toggle('unavailable', !hasMic);
    this.camera.element.classList.toggle('unavailable', !hasCamera);
    this.screen.element.disabled = !s.joined && !sharing;
    this.endRoomButton.hidden = !s.isModerator;
    this.endRoomButton.disabled = !s.joined;
    const live = s.broadcast.live;
    this.onAirBadge.hidden = !live;
    this.broadcastButton.hidden = !s.isModerator;
    this.broadcastButton.disabled = !s.joined || s.broadcastPending;
    this.broadcastButton.dataset['state'] = live ? 'on' : 'off';
    const label = live ? 'Stop the broadcast to the audience' : 'Go live: broadcast the stage to the audience';
    this.broadcastButton.setAttribute('aria-label', label);
    this.broadcastButton.title = label;
    replaceChildren(this.broadcastButton, icon('broadcast'), h('span', { class: 'control-label' }, live ? 'End live' : 'Go live'));
  }

  private tileModels(): TileModel[] {
    const s = this.o.session;
    const room = s.room;
    const selfId = room.selfId ?? 'self';
    const canModerate = s.isModerator && s.joined;
    const role = room.role ?? this.o.linkRole ?? 'presenter';
    const screens: TileModel[] = [];
    const people: TileModel[] = [];

    people.push({
      key: `${selfId}:camera`,
      participantId: selfId,
      name: this.o.selfName,
      role,
      isSelf: true,
      source: 'camera',
      trackId: room.ownTrack('camera')?.trackId ?? null,
      video: s.media.video,
      videoOff: !s.cameraOn || s.media.video === null,
      micMuted: !s.micOn || s.media.audio === null,
      speaking: s.speaker !== null && s.speaker === room.selfId,
      paused: null,
      quality: room.selfId !== null ? s.quality.get(room.selfId) : undefined,
      canModerate: false,
      fromAudience: false,
    });
    if (s.screenTrack !== null) {
      screens.push({
        key: `${selfId}:screen:local`,
        participantId: selfId,
        name: this.o.selfName,
        role,
        isSelf: true,
        source: 'screen',
        trackId: room.ownTrack('screen')?.trackId ?? null,
        video: s.screenTrack,
        videoOff: false,
        micMuted: false,
        speaking: false,
        paused: null,
        quality: undefined,
        canModerate: false,
        fromAudience: false,
      });
    }

    for (const p of room.participants.values()) {
      let camera: { trackId: string; muted: boolean } | undefined;
      let mic: { muted: boolean } | undefined;
      for (const t of p.tracks.values()) {
        if (t.source === 'screen' && t.kind === 'video') {
          const media = s.remoteMedia.get(t.trackId);
          const paused = s.paused.get(t.trackId) ?? null;
          screens.push({
            key: `${p.id}:screen:${t.trackId}`,
            participantId: p.id,
            name: p.name,
            role: p.role,
            isSelf: false,
            source: 'screen',
            trackId: t.trackId,
            video: media?.track ?? null,
            videoOff: t.muted || media === undefined || paused !== null,
            micMuted: false,
            speaking: false,
            paused: t.muted ? null : paused,
            quality: undefined,
            canModerate: false,
            fromAudience: false,
          });
        } else if (t.kind === 'video' && camera === undefined) {
          camera = t;
        } else if (t.kind === 'audio' && mic === undefined) {
          mic = t;
        }
      }
      const cameraMedia = camera !== undefined ? s.remoteMedia.get(camera.trackId) : undefined;
      // A paused camera shows the avatar and why, rather than its last frame frozen.
      const cameraPaused = camera !== undefined && !camera.muted ? (s.paused.get(camera.trackId) ?? null) : null;
      people.push({
        key: `${p.id}:camera`,
        participantId: p.id,
        name: p.name,
        role: p.role,
        isSelf: false,
        source: 'camera',
        trackId: camera?.trackId ?? null,
        video: cameraMedia?.track ?? null,
        videoOff: camera === undefined || camera.muted || cameraMedia === undefined || cameraPaused !== null,
        micMuted: mic === undefined || mic.muted,
        speaking: s.speaker === p.id,
        paused: cameraPaused,
        quality: s.quality.get(p.id),
        canModerate,
        fromAudience: p.fromAudience,
      });
    }
    return [...screens, ...people];
  }

  private renderTiles(models: TileModel[]): void {
    const wanted = new Set(models.map((m) => m.key));
    for (const [key, tile] of this.tiles) {
      if (!wanted.has(key)) {
        this.unwatchTile(tile.element);
        tile.dispose();
        this.tiles.delete(key);
      }
    }
    const spotlit = models.find((m) => m.source === 'screen');
    const inGrid = models.filter((m) => m !== spotlit);
    this.place(this.spotlight, spotlit === undefined ? [] : [spotlit]);
    this.place(this.grid, inGrid);
    this.o.main.classList.toggle('has-spotlight', spotlit !== undefined);
    this.grid.dataset['count'] = String(inGrid.length);
    this.layout();
  }

  /** Puts the tiles of `models` into `container` in order, creating and updating them. */
  private place(container: HTMLElement, models: TileModel[]): void {
    let previous: Element | null = null;
    for (const model of models) {
      let tile = this.tiles.get(model.key);
      if (tile === undefined) {
        tile = new Tile(model, {
          mute: (id, name) => this.confirmMute(id, name),
          remove: (id, name) => void this.confirmRemove(id, name),
          sendBack: (id, name) => {
            this.o.session.sendBack(id);
            this.o.banners.announce(`Sending ${name} back to the audience.`);
          },
        });
        tile.element.setAttribute('role', 'listitem');
        this.tiles.set(model.key, tile);
      } else {
        tile.update(model);
      }
      this.watchTile(tile, model);
      // Move only tiles that are out of place: moving a playing <video> restarts it.
      const expected: Element | null = previous === null ? container.firstElementChild : previous.nextElementSibling;
      if (expected !== tile.element) {
        if (previous === null) container.prepend(tile.element);
        else previous.after(tile.element);
      }
      previous = tile.element;
    }
  }

  private layout(): void {
    if (this.o.main.classList.contains('has-spotlight')) {
      this.grid.style.removeProperty('--columns');
      this.grid.style.removeProperty('--tile-width');
      this.grid.style.removeProperty('--tile-aspect');
      this.grid.style.removeProperty('--avatar-share');
      this.grid.classList.remove('scrolls');
      return;
    }
    const rect = this.grid.getBoundingClientRect();
    const style = getComputedStyle(this.grid);
    const gap = parseFloat(style.columnGap) || 12;
    const width = rect.width - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
    const height = rect.height - (parseFloat(style.paddingTop) || 0) - (parseFloat(style.paddingBottom) || 0);
    const aspect = tileAspect(width, height);
    const layout = gridLayout(this.grid.childElementCount, width, height, gap, aspect);
    this.grid.style.setProperty('--tile-aspect', String(aspect));
    this.grid.style.setProperty('--avatar-share', aspect < 1.5 ? '32' : '20');
    this.grid.style.setProperty('--columns', String(layout.columns));
    this.grid.style.setProperty('--tile-width', `${layout.tileWidthPx}px`);
    this.grid.classList.toggle('scrolls', layout.scrolls);
  }

  private renderAudio(): void {
    const s = this.o.session;
    const wanted = new Set<string>();
    for (const media of s.remoteMedia.values()) {
      if (media.kind !== 'audio') continue;
      wanted.add(media.trackId);
      let audio = this.audio.get(media.trackId);
      if (audio === undefined || (audio.srcObject as MediaStream | null)?.getTracks()[0] !== media.track) {
        audio ??= h('audio', { autoplay: true, 'data-track-id': media.trackId, 'data-participant-id': media.participantId });
        audio.srcObject = new MediaStream([media.track]);
        void audio.play().catch(() => this.askForSound());
        this.audio.set(media.trackId, audio);
        this.audioSink.append(audio);
      }
    }
    for (const [trackId, audio] of this.audio) {
      if (!wanted.has(trackId)) {
        audio.srcObject = null;
        audio.remove();
        this.audio.delete(trackId);
      }
    }
  }

  /** The autoplay policy blocked sound: one click on the page lets it play. */
  private askForSound(): void {
    this.o.banners.show('sound', {
      level: 'info',
      title: 'Sound is paused',
      text: 'Your browser waits for a click before playing sound.',
      actions: [
        {
          label: 'Play sound',
          primary: true,
          testId: 'play-sound',
          run: () => {
            for (const audio of this.audio.values()) void audio.play().catch(() => undefined);
            this.o.banners.hide('sound');
          },
        },
      ],
    });
  }

  private confirmMute(participantId: string, name: string): void {
    // Muting is undoable by the person themselves, so it needs no confirmation.
    this.o.session.muteParticipant(participantId);
    this.o.banners.announce(`Muting ${name}.`);
  }

  private async confirmRemove(participantId: string, name: string): Promise<void> {
    const result = await confirmDialog({
      title: `Remove ${name}?`,
      text: 'They leave the stage at once and their link stops working for this room.',
      confirmLabel: 'Remove',
      danger: true,
      reasonLabel: 'Reason (they will see it)',
      testId: 'remove-dialog',
    });
    if (result.confirmed) this.o.session.removeParticipant(participantId, result.reason);
  }

  private async confirmEndRoom(): Promise<void> {
    const result = await confirmDialog({
      title: 'End the room for everyone?',
      text: 'Everyone leaves the stage and the links stop working.',
      confirmLabel: 'End room',
      danger: true,
      testId: 'end-room-dialog',
    });
    if (result.confirmed) this.o.session.endRoom();
  }
}

/** A remote video tile being measured for the SFU. */
interface WatchedTile {
  trackId: string;
  /** The tile's content box in CSS pixels; -1 until the first observation. */
  cssWidth: number;
  cssHeight: number;
  /** Whether any of it is in view; null until the first observation. */
  intersecting: boolean | null;
}
