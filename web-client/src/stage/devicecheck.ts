/**
 * The device check before joining: camera preview, microphone meter, device pickers, the
 * user's name, and the Join button. Joining without a camera or microphone is allowed; the page
 * says plainly what is missing and why.
 */

import type { Role } from '../protocol';
import { h, replaceChildren } from '../ui/dom';
import { icon } from '../ui/icons';
import { type LocalMedia, describeMediaProblem, listDevices, meterPosition } from './media';

const NAME_KEY = 'palco.name';
export const MAX_NAME_LENGTH = 64;

export interface JoinRequest {
  name: string;
  micOn: boolean;
  cameraOn: boolean;
}

function storedName(): string {
  try {
    return window.localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeName(name: string): void {
  try {
    window.localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private windows may refuse storage; the name is only a convenience.
  }
}

const ROLE_LABELS: Record<Role, string> = { moderator: 'moderator', presenter: 'presenter', audience: 'audience member' };

/** The device-check screen; {@link element} goes into the page's main area. */
export class DeviceCheck {
  readonly element: HTMLElement;
  private readonly media: LocalMedia;
  private readonly onJoin: (request: JoinRequest) => void;
  private readonly video: HTMLVideoElement;
  private readonly previewEmpty: HTMLElement;
  private readonly meterFill: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly nameInput: HTMLInputElement;
  private readonly nameError: HTMLElement;
  private readonly cameraSelect: HTMLSelectElement;
  private readonly micSelect: HTMLSelectElement;
  private readonly micToggle: HTMLButtonElement;
  private readonly cameraToggle: HTMLButtonElement;
  private readonly joinButton: HTMLButtonElement;
  private micOn = true;
  private cameraOn = true;
  private frame = 0;

  constructor(media: LocalMedia, roomId: string, role: Role | null, onJoin: (request: JoinRequest) => void) {
    this.media = media;
    this.onJoin = onJoin;

    this.video = h('video', { class: 'preview-video mirror', autoplay: true, playsinline: true, 'aria-hidden': 'true' });
    this.video.muted = true;
    this.previewEmpty = h('div', { class: 'preview-empty' }, icon('videoOff', 'icon icon-xl'), h('span', {}, 'Camera is off'));
    this.micToggle = h('button', {
      type: 'button',
      class: 'round-button',
      'data-testid': 'preview-mic-toggle',
      onclick: () => this.toggle('audio'),
    });
    this.cameraToggle = h('button', {
      type: 'button',
      class: 'round-button',
      'data-testid': 'preview-camera-toggle',
      onclick: () => this.toggle('video'),
    });
    this.meterFill = h('span', { class: 'meter-fill' });
    this.notice = h('div', { class: 'media-notice', role: 'alert', 'data-testid': 'media-notice', hidden: true });

    this.nameInput = h('input', {
      id: 'display-name',
      class: 'input',
      type: 'text',
      autocomplete: 'name',
      maxlength: MAX_NAME_LENGTH,
      placeholder: 'Ada Lovelace',
      required: true,
      'aria-describedby': 'display-name-error',
      'data-testid': 'name-input',
    });
    this.nameInput.value = storedName();
    this.nameError = h('p', { id: 'display-name-error', class: 'field-error', 'data-testid': 'name-error' });
    this.cameraSelect = h('select', { id: 'camera-select', class: 'select', 'data-testid': 'camera-select' });
    this.micSelect = h('select', { id: 'mic-select', class: 'select', 'data-testid': 'mic-select' });
    this.cameraSelect.addEventListener('change', () => void this.switchDevice('video', this.cameraSelect.value));
    this.micSelect.addEventListener('change', () => void this.switchDevice('audio', this.micSelect.value));
    this.joinButton = h('button', { type: 'submit', class: 'btn btn-primary btn-large btn-block', 'data-testid': 'join-button' }, 'Join the stage');

    const form = h(
      'form',
      { class: 'join-form', novalidate: true, 'aria-labelledby': 'device-check-title' },
      h('h1', { id: 'device-check-title' }, 'Ready to go on stage?'),
      h(
        'p',
        { class: 'join-sub' },
        'Room ',
        h('code', {}, roomId),
        role !== null ? ` · joining as ${ROLE_LABELS[role]}` : '',
      ),
      this.notice,
      h('div', { class: 'field' }, h('label', { for: 'display-name' }, 'Your name'), this.nameInput, this.nameError),
      h('div', { class: 'field' }, h('label', { for: 'camera-select' }, 'Camera'), this.cameraSelect),
      h('div', { class: 'field' }, h('label', { for: 'mic-select' }, 'Microphone'), this.micSelect),
      this.joinButton,
      h('p', { class: 'hint' }, 'Others see your name on your tile. You can mute your camera and microphone at any time.'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });

    this.element = h(
      'section',
      { class: 'device-check', 'data-testid': 'device-check' },
      h(
        'div',
        { class: 'preview-pane' },
        h(
          'div',
          { class: 'preview' },
          this.video,
          this.previewEmpty,
          h('div', { class: 'preview-toggles' }, this.micToggle, this.cameraToggle),
        ),
        h(
          'div',
          { class: 'meter', 'aria-hidden': 'true' },
          icon('mic', 'icon icon-s'),
          h('span', { class: 'meter-track' }, this.meterFill),
        ),
      ),
      form,
    );
  }

  /** Opens the devices and fills the pickers. */
  async start(): Promise<void> {
    this.setBusy(true);
    await this.media.open();
    await this.refresh();
    this.setBusy(false);
    this.tick();
  }

  /** Focus the first thing the user needs. */
  focus(): void {
    // Called when the camera is ready, which can be while someone is already typing their name:
    // moving the focus to Join then would let the next space in the name press it.
    const active = document.activeElement;
    if (active !== null && active !== document.body && this.element.contains(active)) return;
    (this.nameInput.value === '' ? this.nameInput : this.joinButton).focus();
  }

  /** Releases the preview loop; the tracks stay with LocalMedia for the stage. */
  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.video.srcObject = null;
  }

  /** Shows the joining state (or ends it after a failure). */
  setBusy(busy: boolean, label = 'Starting camera…'): void {
    this.joinButton.disabled = busy;
    this.joinButton.textContent = busy ? label : 'Join the stage';
  }

  private async refresh(): Promise<void> {
    const { audio, video } = this.media;
    this.micOn = audio !== null && this.micOn;
    this.cameraOn = video !== null && this.cameraOn;
    if (audio !== null) audio.enabled = this.micOn;
    if (video !== null) video.enabled = this.cameraOn;
    this.video.srcObject = video !== null ? new MediaStream([video]) : null;
    this.renderToggles();
    this.renderNotice();

    const devices = await listDevices().catch(() => ({ audio: [], video: [] }));
    this.fillSelect(this.cameraSelect, devices.video, video, 'No camera');
    this.fillSelect(this.micSelect, devices.audio, audio, 'No microphone');
  }

  private fillSelect(select: HTMLSelectElement, devices: MediaDeviceInfo[], track: MediaStreamTrack | null, none: string): void {
    const current = track?.getSettings().deviceId;
    replaceChildren(
      select,
      ...(devices.length === 0
        ? [h('option', { value: '' }, none)]
        : devices.map((d, i) =>
            h('option', { value: d.deviceId, selected: d.deviceId === current }, d.label || `${none.replace('No ', '')} ${i + 1}`),
          )),
    );
    select.disabled = devices.length === 0;
  }

  private renderNotice(): void {
    const { audioProblem, videoProblem } = this.media;
    const lines: string[] = [];
    if (audioProblem !== null && audioProblem === videoProblem) {
      lines.push(describeMediaProblem(audioProblem, 'camera and microphone'));
    } else {
      if (videoProblem !== null) lines.push(describeMediaProblem(videoProblem, 'camera'));
      if (audioProblem !== null) lines.push(describeMediaProblem(audioProblem, 'microphone'));
    }
    if (lines.length === 0) {
      this.notice.hidden = true;
      replaceChildren(this.notice);
      return;
    }
    this.notice.hidden = false;
    replaceChildren(
      this.notice,
      icon('alert'),
      h(
        'div',
        { class: 'media-notice-body' },
        ...lines.map((line) => h('p', {}, line)),
        h('p', { class: 'media-notice-hint' }, 'You can still join: others will hear and see you once you allow them.'),
      ),
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'retry-devices', onclick: () => void this.retry() }, 'Try again'),
    );
  }

  private async retry(): Promise<void> {
    this.setBusy(true);
    this.micOn = true;
    this.cameraOn = true;
    await this.media.open({ audioDeviceId: this.micSelect.value || undefined, videoDeviceId: this.cameraSelect.value || undefined });
    await this.refresh();
    this.setBusy(false);
  }

  private async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (deviceId === '') return;
    await this.media.switchDevice(kind, deviceId);
    await this.refresh();
  }

  private toggle(kind: 'audio' | 'video'): void {
    const track = kind === 'audio' ? this.media.audio : this.media.video;
    if (track === null) return;
    if (kind === 'audio') this.micOn = !this.micOn;
    else this.cameraOn = !this.cameraOn;
    track.enabled = kind === 'audio' ? this.micOn : this.cameraOn;
    this.media.resumeMeter();
    this.renderToggles();
  }

  private renderToggles(): void {
    const hasMic = this.media.audio !== null;
    const hasCamera = this.media.video !== null;
    this.micToggle.disabled = !hasMic;
    this.cameraToggle.disabled = !hasCamera;
    this.micToggle.setAttribute('aria-pressed', String(!this.micOn));
    this.cameraToggle.setAttribute('aria-pressed', String(!this.cameraOn));
    this.micToggle.setAttribute('aria-label', this.micOn ? 'Mute microphone' : 'Unmute microphone');
    this.cameraToggle.setAttribute('aria-label', this.cameraOn ? 'Turn camera off' : 'Turn camera on');
    this.micToggle.classList.toggle('off', !this.micOn);
    this.cameraToggle.classList.toggle('off', !this.cameraOn);
    replaceChildren(this.micToggle, icon(this.micOn ? 'mic' : 'micOff'));
    replaceChildren(this.cameraToggle, icon(this.cameraOn ? 'video' : 'videoOff'));
    const showVideo = hasCamera && this.cameraOn;
    this.video.hidden = !showVideo;
    this.previewEmpty.hidden = showVideo;
    const blocked = this.media.videoProblem === 'denied' || this.media.videoProblem === 'insecure';
    replaceChildren(
      this.previewEmpty,
      icon(hasCamera ? 'videoOff' : 'alert', 'icon icon-xl'),
      h('span', {}, hasCamera ? 'Camera is off' : blocked ? 'Camera blocked' : 'No camera'),
    );
  }

  private tick(): void {
    const position = this.micOn ? meterPosition(this.media.level()) : 0;
    this.meterFill.style.transform = `scaleX(${position.toFixed(3)})`;
    this.frame = requestAnimationFrame(() => this.tick());
  }

  private submit(): void {
    const name = this.nameInput.value.trim().replace(/\s+/g, ' ');
    if (name === '') {
      this.nameError.textContent = 'Enter the name others will see.';
      this.nameInput.setAttribute('aria-invalid', 'true');
      this.nameInput.focus();
      return;
    }
    this.nameError.textContent = '';
    this.nameInput.removeAttribute('aria-invalid');
    storeName(name);
    this.media.resumeMeter();
    this.onJoin({ name, micOn: this.micOn && this.media.audio !== null, cameraOn: this.cameraOn && this.media.video !== null });
  }
}
