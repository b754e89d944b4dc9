/**
 * Picks the active speaker from audio levels sampled a few times a second.
 *
 * Levels are the linear 0..1 `audioLevel` of WebRTC stats (RFC 6464 levels, converted by the
 * browser), or the local microphone's analyser level on the same scale. Speech jumps between
 * syllables, so each level is smoothed, and the highlight only moves when someone has been
 * louder than the current speaker for a moment: a cough does not steal the stage.
 */

export interface SpeakerOptions {
  /** Smoothed level under which a participant counts as silent. */
  speakingLevel: number;
  /** How long a challenger must lead before the highlight moves to them. */
  switchAfterMs: number;
  /** How long the current speaker keeps the highlight after going quiet. */
  releaseAfterMs: number;
  /** Weight of the newest sample in the moving average (0..1]. */
  smoothing: number;
}

export const DEFAULT_SPEAKER_OPTIONS: SpeakerOptions = {
  speakingLevel: 0.02,
  switchAfterMs: 600,
  releaseAfterMs: 1500,
  smoothing: 0.5,
};

/** Tracks who is speaking; feed it with {@link update}. */
export class ActiveSpeakerDetector {
  private readonly options: SpeakerOptions;
  private readonly smoothed = new Map<string, number>();
  private current: string | null = null;
  private lastHeardMs = 0;
  private challenger: string | null = null;
  private challengerSinceMs = 0;

  constructor(options: Partial<SpeakerOptions> = {}) {
    this.options = { ...DEFAULT_SPEAKER_OPTIONS, ...options };
  }

  get speaker(): string | null {
    return this.current;
  }

  /** The smoothed level of a participant, for meters. */
  level(participantId: string): number {
    return this.smoothed.get(participantId) ?? 0;
  }

  /** Forgets a participant who left. */
  remove(participantId: string): void {
    this.smoothed.delete(participantId);
    if (this.current === participantId) this.current = null;
    if (this.challenger === participantId) this.challenger = null;
  }

  /** Takes one sample of every participant's level; returns the speaker after it (or null). */
  update(levels: ReadonlyMap<string, number>, nowMs: number): string | null {
    const { smoothing, speakingLevel, switchAfterMs, releaseAfterMs } = this.options;
    for (const id of [...this.smoothed.keys()]) if (!levels.has(id)) this.smoothed.set(id, 0);
    for (const [id, raw] of levels) {
      const level = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
      const previous = this.smoothed.get(id) ?? level;
      this.smoothed.set(id, previous + smoothing * (level - previous));
    }

    let loudest: string | null = null;
    let loudestLevel = speakingLevel;
    for (const [id, level] of this.smoothed) {
      if (level >= loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }

    const currentLevel = this.current === null ? 0 : (this.smoothed.get(this.current) ?? 0);
    if (this.current !== null && currentLevel >= speakingLevel) this.lastHeardMs = nowMs;

    if (loudest === null || loudest === this.current) {
      this.challenger = null;
      if (this.current !== null && nowMs - this.lastHeardMs >= releaseAfterMs) this.current = null;
      return this.current;
    }
    if (this.current === null || (currentLevel < speakingLevel && nowMs - this.lastHeardMs >= releaseAfterMs)) {
      this.take(loudest, nowMs);
      return this.current;
    }
    if (this.challenger !== loudest) {
      this.challenger = loudest;
      this.challengerSinceMs = nowMs;
    } else if (nowMs - this.challengerSinceMs >= switchAfterMs) {
      this.take(loudest, nowMs);
    }
    return this.current;
  }

  private take(participantId: string, nowMs: number): void {
    this.current = participantId;
    this.lastHeardMs = nowMs;
    this.challenger = null;
  }
}
