/**
 * The local camera and microphone: acquiring them (and saying clearly why not), switching
 * devices, and measuring the microphone's level for the meter and the speaker highlight.
 */

export type MediaProblem = 'denied' | 'not-found' | 'in-use' | 'insecure' | 'unsupported' | 'failed';

export interface DeviceChoice {
  audioDeviceId?: string;
  videoDeviceId?: string;
}

/** What a getUserMedia failure means for the user. */
export function mediaProblemOf(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'failed';
  }
}

export function describeMediaProblem(problem: MediaProblem, what: string): string {
  switch (problem) {
    case 'denied':
      return `The browser blocked the ${what}. Allow it from the camera icon in the address bar, then choose “Try again”.`;
    case 'not-found':
      return `No ${what} was found. Plug one in and choose “Try again”.`;
    case 'in-use':
      return `The ${what} is in use by another app. Close it and choose “Try again”.`;
    case 'insecure':
      return `The ${what} needs a secure page (https:// or localhost).`;
    case 'unsupported':
      return `This browser cannot use a ${what}.`;
    case 'failed':
      return `The ${what} could not be started.`;
  }
}

const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};

const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** The microphone's level through an AnalyserNode: RMS amplitude, 0..1 like WebRTC's audioLevel. */
export class LevelMeter {
  private readonly context: AudioContext;
  private readonly analyser: AnalyserNode;
  private readonly source: MediaStreamAudioSourceNode;
  private readonly samples: Float32Array<ArrayBuffer>;

  constructor(track: MediaStreamTrack) {
    this.context = new AudioContext();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.source.connect(this.analyser);
    this.samples = new Float32Array(this.analyser.fftSize);
  }

  /** Resumes a context the autoplay policy suspended; call from a user gesture. */
  resume(): void {
    if (this.context.state === 'suspended') void this.context.resume();
  }

  level(): number {
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (let i = 0; i < this.samples.length; i++) {
      const s = this.samples[i] ?? 0;
      sum += s * s;
    }
    return Math.sqrt(sum / this.samples.length);
  }

  close(): void {
    this.source.disconnect();
    void this.context.close();
  }
}

/** Maps a 0..1 amplitude to a 0..1 meter position on a 60 dB scale, as ears hear it. */
export function meterPosition(level: number): number {
  if (level <= 0) return 0;
  const db = 20 * Math.log10(level);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/** The user's camera and microphone. */
export class LocalMedia {
  audio: MediaStreamTrack | null = null;
  video: MediaStreamTrack | null = null;
  audioProblem: MediaProblem | null = null;
  videoProblem: MediaProblem | null = null;
  private meter: LevelMeter | null = null;

  /** Opens both devices, then each alone if together failed, so one broken device does not cost the other. */
  async open(choice: DeviceChoice = {}): Promise<void> {
    this.stop();
    const devices = navigator.mediaDevices as MediaDevices | undefined;
    if (devices?.getUserMedia === undefined) {
      const problem: MediaProblem = window.isSecureContext ? 'unsupported' : 'insecure';
      this.audioProblem = problem;
      this.videoProblem = problem;
      return;
    }
    const audio = { ...AUDIO_CONSTRAINTS, ...(choice.audioDeviceId ? { deviceId: { exact: choice.audioDeviceId } } : {}) };
    const video = { ...VIDEO_CONSTRAINTS, ...(choice.videoDeviceId ? { deviceId: { exact: choice.videoDeviceId } } : {}) };
    try {
      const stream = await devices.getUserMedia({ audio, video });
      this.audio = stream.getAudioTracks()[0] ?? null;
      this.video = stream.getVideoTracks()[0] ?? null;
    } catch (error) {
      if (mediaProblemOf(error) === 'denied') {
        this.audioProblem = 'denied';
        this.videoProblem = 'denied';
        return;
      }
      await this.openAlone('audio', audio);
      await this.openAlone('video', video);
    }
    this.startMeter();
  }

  private async openAlone(kind: 'audio' | 'video', constraints: MediaTrackConstraints): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
      const track = stream.getTracks()[0] ?? null;
      if (kind === 'audio') this.audio = track;
      else this.video = track;
    } catch (error) {
      if (kind === 'audio') this.audioProblem = mediaProblemOf(error);
      else this.videoProblem = mediaProblemOf(error);
    }
  }

  /** Replaces one device; the old track stops. Returns the new track, or null on failure. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<MediaStreamTrack | null> {
    const base = kind === 'audio' ? AUDIO_CONSTRAINTS : VIDEO_CONSTRAINTS;
    const old = kind === 'audio' ? this.audio : this.video;
    const enabled = old?.enabled ?? true;
    // Stop first: some cameras cannot be opened twice at once.
    if (kind === 'video') old?.stop();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ [kind]: { ...base, deviceId: { exact: deviceId } } });
      const track = stream.getTracks()[0] ?? null;
      if (track !== null) track.enabled = enabled;
      if (kind === 'audio') {
        old?.stop();
        this.audio = track;
        this.audioProblem = null;
        this.startMeter();
      } else {
        this.video = track;
        this.videoProblem = null;
      }
      return track;
    } catch (error) {
      if (kind === 'audio') this.audioProblem = mediaProblemOf(error);
      else {
        this.video = null;
        this.videoProblem = mediaProblemOf(error);
      }
      return null;
    }
  }

  /** The microphone's level now, 0..1 (0 when muted or absent). */
  level(): number {
    if (this.audio === null || !this.audio.enabled || this.meter === null) return 0;
    return this.meter.level();
  }

  /** Lets the meter run after a click (autoplay policy). */
  resumeMeter(): void {
    this.meter?.resume();
  }

  private startMeter(): void {
    this.meter?.close();
    this.meter = null;
    if (this.audio === null || typeof AudioContext === 'undefined') return;
    try {
      this.meter = new LevelMeter(this.audio);
    } catch {
      this.meter = null;
    }
  }

  stop(): void {
    this.audio?.stop();
    this.video?.stop();
    this.audio = null;
    this.video = null;
    this.audioProblem = null;
    this.videoProblem = null;
    this.meter?.close();
    this.meter = null;
  }
}

/** The cameras and microphones the browser lists (labels only after permission). */
export async function listDevices(): Promise<{ audio: MediaDeviceInfo[]; video: MediaDeviceInfo[] }> {
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (devices?.enumerateDevices === undefined) return { audio: [], video: [] };
  const all = await devices.enumerateDevices();
  return {
    audio: all.filter((d) => d.kind === 'audioinput' && d.deviceId !== ''),
    video: all.filter((d) => d.kind === 'videoinput' && d.deviceId !== ''),
  };
}
