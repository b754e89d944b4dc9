/**
 * `window.palco`: a small, read-only view of the page's state for browser tests (Selenium reads
 * it with executeScript). Its shape is stable; add fields, never rename them.
 */

import type { NegotiationCounters } from '../negotiation';
import type { AudienceModel } from '../qa';
import type { PauseReason, Role, TrackKind, TrackSource, TrackLayoutInfo } from '../protocol';
import type { QualityLevel } from '../quality';
import type { ConnectionState, SessionEnd } from '../signaling';
import type { ErrorInfo, StageSession } from './session';

export interface RemoteTileInfo {
  participantId: string;
  trackId: string;
  kind: TrackKind;
  source: TrackSource;
  mid: string;
  muted: boolean;
  /** Why the SFU paused this video (`track.paused`), or null. */
  paused: PauseReason | null;
  /** The tile's size and visibility last told to the SFU (`subscription.layout`), or null. */
  layout: TrackLayoutInfo | null;
}

export interface PalcoTestHook {
  readonly version: 1;
  /** `device-check`, `stage` or `ended`. */
  readonly phase: string;
  readonly joined: boolean;
  readonly connectionState: ConnectionState | 'idle';
  readonly roomId: string | null;
  readonly roomName: string | null;
  readonly participantId: string | null;
  readonly role: Role | null;
  readonly micOn: boolean;
  readonly cameraOn: boolean;
  readonly screenSharing: boolean;
  /** Whether the camera is published in simulcast layers (rid q, h, f). */
  readonly cameraSimulcast: boolean;
  readonly participants: readonly { id: string; name: string; role: Role; tracks: { trackId: string; kind: TrackKind; source: TrackSource; muted: boolean }[] }[];
  /** The remote tracks being received, one entry per track. */
  readonly remoteTiles: readonly RemoteTileInfo[];
  readonly activeSpeaker: string | null;
  readonly broadcast: { live: boolean; playlist: string | null } | null;
  readonly quality: Readonly<Record<string, QualityLevel>>;
  readonly lastError: ErrorInfo | null;
  readonly ended: SessionEnd | null;
  readonly negotiation: Readonly<NegotiationCounters> | null;
  /** The participant's RTCPeerConnection, for getStats() in tests. */
  readonly pc: RTCPeerConnection | null;
  /** The room's audience as this page sees it (questions, pinned, chat; hands for moderators). */
  readonly audience: AudienceHookInfo | null;
}

/** The audience layer in the test hook; the audience page adds its own viewer's state. */
export interface AudienceHookInfo {
  readonly questions: readonly { id: string; name: string; text: string; votes: number; state: string }[];
  readonly pinned: { id: string; text: string; votes: number } | null;
  readonly chat: readonly { id: string; name: string; text: string }[];
  readonly chatEnabled: boolean;
  readonly hands: readonly { viewerId: string; name: string; state: string }[];
  readonly viewers: number | null;
  readonly stream: string | null;
  readonly [more: string]: unknown;
}

export interface HookSource {
  phase(): string;
  roomId(): string | null;
  session(): StageSession | null;
  /** An error known before any session (a broken link). */
  pageError(): ErrorInfo | null;
  /** The audience layer; by default the stage session's view of it. */
  audience?(): AudienceHookInfo | null;
}

/** The test hook's view of an audience model. */
export function audienceHookInfo(model: AudienceModel): AudienceHookInfo {
  return {
    questions: [...model.questions.values()].map((q) => ({ id: q.id, name: q.name, text: q.text, votes: q.votes, state: q.state })),
    pinned: model.pinned === null ? null : { id: model.pinned.id, text: model.pinned.text, votes: model.pinned.votes },
    chat: model.chat.map((c) => ({ id: c.id, name: c.name, text: c.text })),
    chatEnabled: model.chatEnabled,
    hands: [...model.hands.values()].map((x) => ({ viewerId: x.viewerId, name: x.name, state: x.state })),
    viewers: model.viewers,
    stream: model.stream,
  };
}

declare global {
  interface Window {
    palco?: PalcoTestHook;
  }
}

export function installTestHook(source: HookSource): void {
  const hook: PalcoTestHook = {
    version: 1,
    get phase() {
      return source.phase();
    },
    get joined() {
      return source.session()?.joined ?? false;
    },
    get connectionState() {
      return source.session()?.connectionState ?? 'idle';
    },
    get roomId() {
      return source.session()?.room.roomId || source.roomId();
    },
    get roomName() {
      return source.session()?.room.roomName || null;
    },
    get participantId() {
      return source.session()?.participantId ?? null;
    },
    get role() {
      return source.session()?.room.role ?? null;
    },
    get micOn() {
      const s = source.session();
      return s !== null && s.micOn && s.media.audio !== null;
    },
    get cameraOn() {
      const s = source.session();
      return s !== null && s.cameraOn && s.media.video !== null;
    },
    get screenSharing() {
      return (source.session()?.screenTrack ?? null) !== null;
    },
    get cameraSimulcast() {
      return source.session()?.cameraSimulcast ?? false;
    },
    get participants() {
      const s = source.session();
      if (s === null) return [];
      return [...s.room.participants.values()].map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        tracks: [...p.tracks.values()].map((t) => ({ ...t })),
      }));
    },
    get remoteTiles() {
      const s = source.session();
      if (s === null) return [];
      return [...s.remoteMedia.values()].map((m) => ({
        participantId: m.participantId,
        trackId: m.trackId,
        kind: m.kind,
        source: m.source,
        mid: m.mid,
        muted: s.room.participants.get(m.participantId)?.tracks.get(m.trackId)?.muted ?? false,
        paused: s.paused.get(m.trackId) ?? null,
        layout: s.layouts.sent.get(m.trackId) ?? null,
      }));
    },
    get activeSpeaker() {
      return source.session()?.speaker ?? null;
    },
    get broadcast() {
      const b = source.session()?.broadcast;
      return b === undefined ? null : { ...b };
    },
    get quality() {
      const s = source.session();
      const result: Record<string, QualityLevel> = {};
      if (s !== null) for (const [id, report] of s.quality) result[id] = report.level;
      return result;
    },
    get lastError() {
      return source.session()?.lastError ?? source.pageError();
    },
    get ended() {
      return source.session()?.end ?? null;
    },
    get negotiation() {
      const counters = source.session()?.negotiator?.counters;
      return counters === undefined ? null : { ...counters };
    },
    get pc() {
      return source.session()?.pc ?? null;
    },
    get audience() {
      if (source.audience !== undefined) return source.audience();
      const s = source.session();
      return s === null ? null : audienceHookInfo(s.audience);
    },
  };
  Object.defineProperty(window, 'palco', { value: Object.freeze(hook), writable: false, configurable: false, enumerable: true });
}
