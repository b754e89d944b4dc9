/**
 * The signaling protocol, version 1, as typed messages (docs/protocol.md).
 *
 * Client messages are built by the code that sends them, so they only need types. Server
 * messages come off the wire, so {@link parseServerMessage} checks every field this client reads
 * and turns anything else into a reason instead of a half-typed object.
 */

import {
  type AckMessage,
  type AudienceStateMessage,
  type AudienceUpdateMessage,
  readAudienceMessage,
} from './audienceProtocol';

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = 1;

export type Role = 'moderator' | 'presenter' | 'audience';
export type TrackKind = 'audio' | 'video';
/** What a track shows; the server may introduce new sources, so any string is kept. */
export type TrackSource = 'microphone' | 'camera' | 'screen' | (string & {});

export interface TrackInfo {
  trackId: string;
  kind: TrackKind;
  source: TrackSource;
  muted: boolean;
}

export interface ParticipantInfo {
  id: string;
  name: string;
  role: Role;
  tracks: TrackInfo[];
  /** A guest the moderator invited from the audience (the moderator may send it back). */
  fromAudience?: boolean;
}

/** What a guest from the audience joins the stage with: its viewer session and the grant. */
export interface StagePass {
  viewerId: string;
  secret: string;
  grant: string;
}

export interface ResumeInfo {
  participantId: string;
  secret: string;
}

export interface IceServerInfo {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** One m-line of a `subscribe.offer`: which publisher's track it carries. */
export interface SubscribedTrack {
  mid: string;
  participantId: string;
  trackId: string;
  kind: TrackKind;
  source: TrackSource;
}

/** One sending m-line of a `publish.offer`. */
export interface PublishedTrack {
  mid: string;
  source: TrackSource;
}

/** An RTCIceCandidateInit as JSON; `null` ends the candidates (RFC 8838 §4.4). */
export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

// ---------------------------------------------------------------- client → server

export interface JoinMessage {
  type: 'join';
  id: number;
  protocol: number;
  token: string;
  name: string;
  resume?: ResumeInfo;
  stage?: StagePass;
}
export interface PublishOfferMessage {
  type: 'publish.offer';
  id: number;
  sdp: string;
  tracks: PublishedTrack[];
}
export interface SubscribeAnswerMessage {
  type: 'subscribe.answer';
  revision: number;
  sdp: string;
}
export interface TrickleMessage {
  type: 'trickle';
  candidate: CandidateInit | null;
}
export interface TrackMuteMessage {
  type: 'track.mute';
  id: number;
  trackId: string;
  muted: boolean;
}
export interface ModerateMuteMessage {
  type: 'moderate.mute';
  id: number;
  participantId: string;
  kind: TrackKind;
}
export interface ModerateRemoveMessage {
  type: 'moderate.remove';
  id: number;
  participantId: string;
  reason: string;
}
export interface RoomEndMessage {
  type: 'room.end';
  id: number;
}
export interface LeaveMessage {
  type: 'leave';
}
/** Moderators: put the room on air for the audience (LL-HLS), or take it off. */
export interface BroadcastStartMessage {
  type: 'broadcast.start';
  id: number;
}
export interface BroadcastStopMessage {
  type: 'broadcast.stop';
  id: number;
}
/** Moderators: act on an audience question. */
export interface QuestionModerateMessage {
  type: 'question.moderate';
  id: number;
  questionId: string;
  action: 'approve' | 'hide' | 'pin' | 'unpin' | 'answered';
}
export interface HandInviteMessage {
  type: 'hand.invite';
  id: number;
  viewerId: string;
}
export interface HandLowerMessage {
  type: 'hand.lower';
  id: number;
  viewerId: string;
}
export interface StageSendBackMessage {
  type: 'stage.sendback';
  id: number;
  participantId: string;
}
export interface ChatEnableMessage {
  type: 'chat.enable';
  id: number;
  enabled: boolean;
}
export interface ChatRemoveMessage {
  type: 'chat.remove';
  id: number;
  messageId: string;
}
export interface ViewerBanMessage {
  type: 'viewer.ban';
  id: number;
  viewerId: string;
  reason: string;
}
export interface PingMessage {
  type: 'ping';
  id: number;
}
/** How this page shows one remote video track: its tile's size in device pixels, and whether it is seen. */
export interface TrackLayoutInfo {
  trackId: string;
  /** Device pixels; both or neither (none: no size limit). */
  width?: number;
  height?: number;
  visible: boolean;
}
/**
 * The page's tiles as the SFU should serve them: no layer larger than a tile, a hidden tile
 * paused. Sent without an id (no reply) as tiles change.
 */
export interface SubscriptionLayoutMessage {
  type: 'subscription.layout';
  id?: number;
  tracks: TrackLayoutInfo[];
}

export type ClientMessage =
  | JoinMessage
  | PublishOfferMessage
  | SubscribeAnswerMessage
  | TrickleMessage
  | TrackMuteMessage
  | ModerateMuteMessage
  | ModerateRemoveMessage
  | RoomEndMessage
  | LeaveMessage
  | PingMessage
  | SubscriptionLayoutMessage
  | QuestionModerateMessage
  | HandInviteMessage
  | HandLowerMessage
  | StageSendBackMessage
  | ChatEnableMessage
  | ChatRemoveMessage
  | ViewerBanMessage
  | BroadcastStartMessage
  | BroadcastStopMessage;

/** A client message that expects a reply; the signaling client fills in `id`. */
export type ClientRequest = Extract<ClientMessage, { id: number }>;
/** Distributes `Omit` over the union so each member keeps its own fields. */
type OmitId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type ClientRequestBody = OmitId<ClientRequest>;

// ---------------------------------------------------------------- server → client

export interface JoinedMessage {
  type: 'joined';
  re?: number;
  protocol: number;
  room: { id: string; name: string };
  participantId: string;
  role: Role;
  resumed: boolean;
  resume: ResumeInfo;
  iceServers: IceServerInfo[];
  participants: ParticipantInfo[];
}
export interface PublishAnswerMessage {
  type: 'publish.answer';
  re?: number;
  sdp: string;
  /** Not in protocol v1's example; read when a server sends the ids it gave our tracks. */
  tracks?: { mid: string; trackId: string }[];
}
export interface SubscribeOfferMessage {
  type: 'subscribe.offer';
  revision: number;
  sdp: string;
  tracks: SubscribedTrack[];
}
export interface ServerTrickleMessage {
  type: 'trickle';
  candidate: CandidateInit | null;
}
export interface ParticipantJoinedMessage {
  type: 'participant.joined';
  participant: ParticipantInfo;
}
export type LeftReason = 'left' | 'disconnected' | 'removed' | 'room-ended' | (string & {});
export interface ParticipantLeftMessage {
  type: 'participant.left';
  participantId: string;
  reason: LeftReason;
}
export interface TrackPublishedMessage {
  type: 'track.published';
  participantId: string;
  track: TrackInfo;
}
export interface TrackUnpublishedMessage {
  type: 'track.unpublished';
  participantId: string;
  trackId: string;
}
export interface TrackMutedMessage {
  type: 'track.muted';
  participantId: string;
  trackId: string;
  muted: boolean;
  by?: string;
}
export interface MutedByModeratorMessage {
  type: 'muted.by.moderator';
  kind: TrackKind;
  by: string;
}
export interface RemovedMessage {
  type: 'removed';
  reason: string;
  by?: string;
}
export interface RoomEndedMessage {
  type: 'room.ended';
  reason: string;
}
export interface PongMessage {
  type: 'pong';
  re?: number;
}
export interface ErrorMessage {
  type: 'error';
  re?: number;
  code: string;
  message: string;
}
/**
 * The room's dominant speaker, decided by the SFU from RFC 6464 audio levels; `participantIds` is
 * the speaking order, dominant speaker first. A single `participantId` (null for silence) is
 * accepted as well.
 */
export interface SpeakerChangedMessage {
  type: 'speaker.changed';
  participantIds: string[];
}

/** Whether the room is on air, and the path of the audience's playlist while it is. */
export interface BroadcastStateMessage {
  type: 'broadcast.state';
  live: boolean;
  playlist: string | null;
}

/** Why the SFU stopped forwarding a received video track (docs/protocol.md, `track.paused`). */
export type PauseReason = 'hidden' | 'last-n' | 'bandwidth' | 'no-live-layer' | (string & {});

/** The SFU paused a video track this page receives (with the reason), or resumed it. */
export interface TrackPausedMessage {
  type: 'track.paused';
  participantId: string;
  trackId: string;
  paused: boolean;
  /** Present while paused. */
  reason: PauseReason | null;
}

/** A guest from the audience was sent back to it by a moderator. */
export interface SentBackMessage {
  type: 'sent.back';
  by: string;
}

export type ServerMessage =
  | AudienceStateMessage
  | AudienceUpdateMessage
  | AckMessage
  | SentBackMessage
  | JoinedMessage
  | PublishAnswerMessage
  | SubscribeOfferMessage
  | ServerTrickleMessage
  | ParticipantJoinedMessage
  | ParticipantLeftMessage
  | TrackPublishedMessage
  | TrackUnpublishedMessage
  | TrackMutedMessage
  | MutedByModeratorMessage
  | RemovedMessage
  | RoomEndedMessage
  | PongMessage
  | ErrorMessage
  | SpeakerChangedMessage
  | BroadcastStateMessage
  | TrackPausedMessage;

export type ServerMessageType = ServerMessage['type'];

/** The result of parsing one frame: a message, or why it was not one. */
export type ParseResult =
  | { ok: true; message: ServerMessage }
  | { ok: false; reason: string; type?: string };

// ---------------------------------------------------------------- parsing

/** Thrown only inside the parser; never escapes {@link parseServerMessage}. */
class FieldError extends Error {}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new FieldError(`${key}: expected a string`);
  return v;
}

function optStr(o: Json, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FieldError(`${key}: expected a string`);
  return v;
}

function num(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldError(`${key}: expected a number`);
  return v;
}

function optNum(o: Json, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldError(`${key}: expected a number`);
  return v;
}

function bool(o: Json, key: string, fallback?: boolean): boolean {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw new FieldError(`${key}: expected a boolean`);
  return v;
}

function obj(o: Json, key: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new FieldError(`${key}: expected an object`);
  return v;
}

function arr(o: Json, key: string, fallback?: unknown[]): unknown[] {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(v)) throw new FieldError(`${key}: expected an array`);
  return v;
}

function each<T>(items: unknown[], key: string, read: (o: Json) => T): T[] {
  return items.map((item, i) => {
    if (!isObject(item)) throw new FieldError(`${key}[${i}]: expected an object`);
    try {
      return read(item);
    } catch (e) {
      if (e instanceof FieldError) throw new FieldError(`${key}[${i}].${e.message}`);
      throw e;
    }
  });
}

function kind(o: Json, key = 'kind'): TrackKind {
  const v = str(o, key);
  if (v !== 'audio' && v !== 'video') throw new FieldError(`${key}: expected "audio" or "video"`);
  return v;
}

function role(o: Json): Role {
  const v = str(o, 'role');
  if (v !== 'moderator' && v !== 'presenter' && v !== 'audience') {
    throw new FieldError('role: unknown role');
  }
  return v;
}

function readTrack(o: Json): TrackInfo {
  return { trackId: str(o, 'trackId'), kind: kind(o), source: str(o, 'source'), muted: bool(o, 'muted', false) };
}

function readParticipant(o: Json): ParticipantInfo {
  const p: ParticipantInfo = {
    id: str(o, 'id'),
    name: str(o, 'name'),
    role: role(o),
    tracks: each(arr(o, 'tracks', []), 'tracks', readTrack),
  };
  if (o['fromAudience'] === true) p.fromAudience = true;
  return p;
}

function viaAudience<T extends AudienceStateMessage | AudienceUpdateMessage | AckMessage>(o: Json): T {
  const parsed = readAudienceMessage(o);
  if (!parsed.ok) throw new FieldError(parsed.reason);
  return parsed.message as T;
}

function readResume(o: Json): ResumeInfo {
  return { participantId: str(o, 'participantId'), secret: str(o, 'secret') };
}

function readIceServer(o: Json): IceServerInfo {
  const urls = o['urls'];
  let checked: string | string[];
  if (typeof urls === 'string') {
    checked = urls;
  } else if (Array.isArray(urls) && urls.every((u) => typeof u === 'string')) {
    checked = urls as string[];
  } else {
    throw new FieldError('urls: expected a string or an array of strings');
  }
  const server: IceServerInfo = { urls: checked };
  const username = optStr(o, 'username');
  const credential = optStr(o, 'credential');
  if (username !== undefined) server.username = username;
  if (credential !== undefined) server.credential = credential;
  return server;
}

function readCandidate(o: Json): CandidateInit | null {
  const c = o['candidate'];
  if (c === null) return null;
  if (!isObject(c)) throw new FieldError('candidate: expected an object or null');
  const init: CandidateInit = { candidate: str(c, 'candidate') };
  const mid = optStr(c, 'sdpMid');
  const index = optNum(c, 'sdpMLineIndex');
  const ufrag = optStr(c, 'usernameFragment');
  if (mid !== undefined) init.sdpMid = mid;
  if (index !== undefined) init.sdpMLineIndex = index;
  if (ufrag !== undefined) init.usernameFragment = ufrag;
  return init;
}

function withRe<T extends object>(o: Json, message: T): T & { re?: number } {
  const re = optNum(o, 're');
  return re === undefined ? message : { ...message, re };
}

function readSpeakers(o: Json): string[] {
  if (Array.isArray(o['participantIds'])) {
    return arr(o, 'participantIds').map((v, i) => {
      if (typeof v !== 'string') throw new FieldError(`participantIds[${i}]: expected a string`);
      return v;
    });
  }
  const one = optStr(o, 'participantId');
  return one === undefined ? [] : [one];
}

const READERS: { [K in ServerMessageType]: (o: Json) => Extract<ServerMessage, { type: K }> } = {
  'audience.state': (o) => viaAudience<AudienceStateMessage>(o),
  'audience.update': (o) => viaAudience<AudienceUpdateMessage>(o),
  ack: (o) => viaAudience<AckMessage>(o),
  'sent.back': (o) => ({ type: 'sent.back', by: optStr(o, 'by') ?? '' }),
  joined: (o) =>
    withRe(o, {
      type: 'joined',
      protocol: num(o, 'protocol'),
      room: { id: str(obj(o, 'room'), 'id'), name: str(obj(o, 'room'), 'name') },
      participantId: str(o, 'participantId'),
      role: role(o),
      resumed: bool(o, 'resumed', false),
      resume: readResume(obj(o, 'resume')),
      iceServers: each(arr(o, 'iceServers', []), 'iceServers', readIceServer),
      participants: each(arr(o, 'participants', []), 'participants', readParticipant),
    }),
  'publish.answer': (o) => {
    const message: PublishAnswerMessage = { type: 'publish.answer', sdp: str(o, 'sdp') };
    if (o['tracks'] !== undefined) {
      message.tracks = each(arr(o, 'tracks'), 'tracks', (t) => ({ mid: str(t, 'mid'), trackId: str(t, 'trackId') }));
    }
    return withRe(o, message);
  },
  'subscribe.offer': (o) => ({
    type: 'subscribe.offer',
    revision: num(o, 'revision'),
    sdp: str(o, 'sdp'),
    tracks: each(arr(o, 'tracks', []), 'tracks', (t) => ({
      mid: str(t, 'mid'),
      participantId: str(t, 'participantId'),
      trackId: str(t, 'trackId'),
      kind: kind(t),
      source: str(t, 'source'),
    })),
  }),
  trickle: (o) => {
    if (!('candidate' in o)) throw new FieldError('candidate: missing');
    return { type: 'trickle', candidate: readCandidate(o) };
  },
  'participant.joined': (o) => ({ type: 'participant.joined', participant: readParticipant(obj(o, 'participant')) }),
  'participant.left': (o) => ({
    type: 'participant.left',
    participantId: str(o, 'participantId'),
    reason: optStr(o, 'reason') ?? 'left',
  }),
  'track.published': (o) => ({
    type: 'track.published',
    participantId: str(o, 'participantId'),
    track: readTrack(obj(o, 'track')),
  }),
  'track.unpublished': (o) => ({
    type: 'track.unpublished',
    participantId: str(o, 'participantId'),
    trackId: str(o, 'trackId'),
  }),
  'track.muted': (o) => {
    const message: TrackMutedMessage = {
      type: 'track.muted',
      participantId: str(o, 'participantId'),
      trackId: str(o, 'trackId'),
      muted: bool(o, 'muted'),
    };
    const by = optStr(o, 'by');
    if (by !== undefined) message.by = by;
    return message;
  },
  'muted.by.moderator': (o) => ({ type: 'muted.by.moderator', kind: kind(o), by: optStr(o, 'by') ?? '' }),
  removed: (o) => {
    const message: RemovedMessage = { type: 'removed', reason: optStr(o, 'reason') ?? '' };
    const by = optStr(o, 'by');
    if (by !== undefined) message.by = by;
    return message;
  },
  'room.ended': (o) => ({ type: 'room.ended', reason: optStr(o, 'reason') ?? '' }),
  pong: (o) => withRe(o, { type: 'pong' }),
  error: (o) => withRe(o, { type: 'error', code: str(o, 'code'), message: optStr(o, 'message') ?? '' }),
  'speaker.changed': (o) => ({ type: 'speaker.changed', participantIds: readSpeakers(o) }),
  'track.paused': (o) => {
    const paused = bool(o, 'paused');
    return {
      type: 'track.paused',
      participantId: str(o, 'participantId'),
      trackId: str(o, 'trackId'),
      paused,
      reason: paused ? (optStr(o, 'reason') ?? 'unknown') : null,
    };
  },
  'broadcast.state': (o) => ({ type: 'broadcast.state', live: bool(o, 'live'), playlist: optStr(o, 'playlist') ?? null }),
};

/**
 * Parses one text frame from the server. Never throws: a frame that is not JSON, has an unknown
 * `type` or a field of the wrong type comes back as `{ok: false, reason}` so the caller can log
 * it and carry on, as the server does with ours.
 */
export function parseServerMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const type = value['type'];
  if (typeof type !== 'string') return { ok: false, reason: 'type: missing' };
  if (!Object.prototype.hasOwnProperty.call(READERS, type)) {
    return { ok: false, reason: `unknown type "${type}"`, type };
  }
  try {
    const read = READERS[type as ServerMessageType] as (o: Json) => ServerMessage;
    return { ok: true, message: read(value) };
  } catch (e) {
    if (e instanceof FieldError) return { ok: false, reason: `${type}: ${e.message}`, type };
    return { ok: false, reason: `${type}: ${String(e)}`, type };
  }
}

/** Error codes after which joining again with the same link cannot succeed. */
export const FATAL_JOIN_CODES: ReadonlySet<string> = new Set([
  'token-malformed',
  'token-bad-signature',
  'token-expired',
  'token-wrong-room',
  'room-not-found',
  'unsupported-protocol',
  'room-full',
  'server-full',
  'grant-malformed',
  'grant-bad-signature',
  'grant-expired',
  'grant-wrong-viewer',
  'grant-used',
  'grant-revoked',
  'banned',
]);

/** WebSocket close codes of docs/protocol.md after which the page must not reconnect. */
export const CloseCode = {
  ROOM_ENDED: 4000,
  TOKEN_REFUSED: 4001,
  REMOVED: 4003,
  ROOM_GONE: 4004,
  SENT_BACK: 4005,
} as const;

/** True for a close code that ends the session for good. */
export function isFinalCloseCode(code: number): boolean {
  return (
    code === CloseCode.ROOM_ENDED ||
    code === CloseCode.TOKEN_REFUSED ||
    code === CloseCode.REMOVED ||
    code === CloseCode.ROOM_GONE ||
    code === CloseCode.SENT_BACK
  );
}
