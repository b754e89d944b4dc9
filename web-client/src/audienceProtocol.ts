/**
 * The audience's messages (docs/protocol.md, "Audience"): what viewers send on `/ws/audience`,
 * what the server sends them, and the `audience.state` / `audience.update` messages the stage
 * page receives too. Like protocol.ts, {@link parseAudienceMessage} never throws: a frame that
 * does not fit comes back as a reason.
 */

export type QuestionState = 'pending' | 'approved' | 'hidden' | 'answered';
export type HandState = 'down' | 'raised' | 'invited' | 'on-stage';

export interface Question {
  id: string;
  name: string;
  text: string;
  votes: number;
  state: QuestionState;
  askedAt: string;
  /** Moderators only. */
  viewerId?: string;
}

export interface ChatLine {
  id: string;
  name: string;
  text: string;
  at: string;
  /** Moderators only. */
  viewerId?: string;
}

export interface RaisedHand {
  viewerId: string;
  name: string;
  state: HandState;
  raisedAt: string;
  connected: boolean;
  expiresAt?: string;
}

/** `audience.state`: everything a newcomer needs. Moderators also get hands and the viewer count. */
export interface AudienceStateMessage {
  type: 'audience.state';
  questions: Question[];
  pinned: Question | null;
  chat: ChatLine[];
  chatEnabled: boolean;
  stream: string | null;
  hands?: RaisedHand[];
  viewers?: number;
}

/** `audience.update`: what changed; a field is present only when it changed. */
export interface AudienceUpdateMessage {
  type: 'audience.update';
  questions?: Question[];
  removedQuestions?: string[];
  /** Present when the pinned question changed; null when nothing is pinned any more. */
  pinned?: Question | null;
  chat?: ChatLine[];
  removedChat?: string[];
  chatEnabled?: boolean;
  stream?: string | null;
  hands?: RaisedHand[];
  viewers?: number;
}

export interface ViewerResume {
  viewerId: string;
  secret: string;
}

export interface AudienceJoinedMessage {
  type: 'audience.joined';
  re?: number;
  room: { id: string; name: string };
  viewerId: string;
  resumed: boolean;
  resume: ViewerResume;
  you: { name: string; votes: string[]; questions: Question[]; hand: HandState };
  limits: { questionChars: number; chatChars: number; nameChars: number };
}

export interface QuestionAskedMessage {
  type: 'question.asked';
  re?: number;
  question: Question;
}
export interface QuestionVotedMessage {
  type: 'question.voted';
  re?: number;
  questionId: string;
  up: boolean;
  votes: number;
}
export interface QuestionStatusMessage {
  type: 'question.status';
  question: Question;
}
export interface HandStateMessage {
  type: 'hand.state';
  re?: number;
  state: HandState;
  expiresAt?: string;
  reason?: string;
}
export interface StageInviteMessage {
  type: 'stage.invite';
  grant: string;
  expiresAt: string;
  by?: string;
}
export interface ChatSentMessage {
  type: 'chat.sent';
  re?: number;
  message: ChatLine;
}
export interface BannedMessage {
  type: 'banned';
  reason: string;
}
export interface AudienceRoomEndedMessage {
  type: 'room.ended';
  reason: string;
}
export interface AudiencePongMessage {
  type: 'pong';
  re?: number;
}
export interface AudienceErrorMessage {
  type: 'error';
  re?: number;
  code: string;
  message: string;
}
/** The stage door's reply to a moderator's audience action. */
export interface AckMessage {
  type: 'ack';
  re?: number;
  expiresAt?: string;
}

export type AudienceServerMessage =
  | AudienceJoinedMessage
  | AudienceStateMessage
  | AudienceUpdateMessage
  | QuestionAskedMessage
  | QuestionVotedMessage
  | QuestionStatusMessage
  | HandStateMessage
  | StageInviteMessage
  | ChatSentMessage
  | BannedMessage
  | AudienceRoomEndedMessage
  | AudiencePongMessage
  | AudienceErrorMessage
  | AckMessage;

export type AudienceParseResult =
  | { ok: true; message: AudienceServerMessage }
  | { ok: false; reason: string; type?: string };

// ---------------------------------------------------------------- client → server (audience door)

export type AudienceRequestBody =
  | { type: 'question.ask'; text: string; name?: string }
  | { type: 'question.vote'; questionId: string; up: boolean }
  | { type: 'hand.raise'; raised: boolean; name?: string }
  | { type: 'stage.decline' }
  | { type: 'chat.send'; text: string; name?: string }
  | { type: 'ping' };

// ---------------------------------------------------------------- parsing

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
function bool(o: Json, key: string, fallback: boolean): boolean {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new FieldError(`${key}: expected a boolean`);
  return v;
}
function obj(o: Json, key: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new FieldError(`${key}: expected an object`);
  return v;
}
function list<T>(o: Json, key: string, read: (item: Json) => T): T[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new FieldError(`${key}: expected an array`);
  return v.map((item, i) => {
    if (!isObject(item)) throw new FieldError(`${key}[${i}]: expected an object`);
    try {
      return read(item);
    } catch (e) {
      if (e instanceof FieldError) throw new FieldError(`${key}[${i}].${e.message}`);
      throw e;
    }
  });
}
function strings(o: Json, key: string): string[] {
  const v = o[key];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new FieldError(`${key}: expected strings`);
  return v as string[];
}

const QUESTION_STATES: readonly QuestionState[] = ['pending', 'approved', 'hidden', 'answered'];
const HAND_STATES: readonly HandState[] = ['down', 'raised', 'invited', 'on-stage'];

function questionState(o: Json): QuestionState {
  const v = str(o, 'state');
  if (!(QUESTION_STATES as readonly string[]).includes(v)) throw new FieldError('state: unknown question state');
  return v as QuestionState;
}
function handState(o: Json, key = 'state'): HandState {
  const v = str(o, key);
  if (!(HAND_STATES as readonly string[]).includes(v)) throw new FieldError(`${key}: unknown hand state`);
  return v as HandState;
}

export function readQuestion(o: Json): Question {
  const q: Question = {
    id: str(o, 'id'),
    name: str(o, 'name'),
    text: str(o, 'text'),
    votes: num(o, 'votes'),
    state: questionState(o),
    askedAt: optStr(o, 'askedAt') ?? '',
  };
  const viewerId = optStr(o, 'viewerId');
  if (viewerId !== undefined) q.viewerId = viewerId;
  return q;
}
function readChat(o: Json): ChatLine {
  const c: ChatLine = { id: str(o, 'id'), name: str(o, 'name'), text: str(o, 'text'), at: optStr(o, 'at') ?? '' };
  const viewerId = optStr(o, 'viewerId');
  if (viewerId !== undefined) c.viewerId = viewerId;
  return c;
}
function readHand(o: Json): RaisedHand {
  const hand: RaisedHand = {
    viewerId: str(o, 'viewerId'),
    name: str(o, 'name'),
    state: handState(o),
    raisedAt: optStr(o, 'raisedAt') ?? '',
    connected: bool(o, 'connected', true),
  };
  const expiresAt = optStr(o, 'expiresAt');
  if (expiresAt !== undefined) hand.expiresAt = expiresAt;
  return hand;
}
function pinned(o: Json): Question | null {
  const v = o['pinned'];
  if (v === null || v === undefined) return null;
  if (!isObject(v)) throw new FieldError('pinned: expected an object or null');
  return readQuestion(v);
}
function stream(o: Json): string | null {
  const v = o['stream'];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new FieldError('stream: expected a string or null');
  return v;
}
function withRe<T extends object>(o: Json, message: T): T & { re?: number } {
  const re = optNum(o, 're');
  return re === undefined ? message : { ...message, re };
}

type Reader = (o: Json) => AudienceServerMessage;

const READERS: Record<AudienceServerMessage['type'], Reader> = {
  'audience.joined': (o) => {
    const you = obj(o, 'you');
    const limits = obj(o, 'limits');
    return withRe(o, {
      type: 'audience.joined',
      room: { id: str(obj(o, 'room'), 'id'), name: str(obj(o, 'room'), 'name') },
      viewerId: str(o, 'viewerId'),
      resumed: bool(o, 'resumed', false),
      resume: { viewerId: str(obj(o, 'resume'), 'viewerId'), secret: str(obj(o, 'resume'), 'secret') },
      you: {
        name: optStr(you, 'name') ?? '',
        votes: strings(you, 'votes'),
        questions: list(you, 'questions', readQuestion),
        hand: handState(you, 'hand'),
      },
      limits: { questionChars: num(limits, 'questionChars'), chatChars: num(limits, 'chatChars'), nameChars: num(limits, 'nameChars') },
    });
  },
  'audience.state': (o) => {
    const m: AudienceStateMessage = {
      type: 'audience.state',
      questions: list(o, 'questions', readQuestion),
      pinned: pinned(o),
      chat: list(o, 'chat', readChat),
      chatEnabled: bool(o, 'chatEnabled', true),
      stream: stream(o),
    };
    if (o['hands'] !== undefined) m.hands = list(o, 'hands', readHand);
    const viewers = optNum(o, 'viewers');
    if (viewers !== undefined) m.viewers = viewers;
    return m;
  },
  'audience.update': (o) => {
    const m: AudienceUpdateMessage = { type: 'audience.update' };
    if (o['questions'] !== undefined) m.questions = list(o, 'questions', readQuestion);
    if (o['removedQuestions'] !== undefined) m.removedQuestions = strings(o, 'removedQuestions');
    if ('pinned' in o) m.pinned = pinned(o);
    if (o['chat'] !== undefined) m.chat = list(o, 'chat', readChat);
    if (o['removedChat'] !== undefined) m.removedChat = strings(o, 'removedChat');
    if (o['chatEnabled'] !== undefined) m.chatEnabled = bool(o, 'chatEnabled', true);
    if ('stream' in o) m.stream = stream(o);
    if (o['hands'] !== undefined) m.hands = list(o, 'hands', readHand);
    const viewers = optNum(o, 'viewers');
    if (viewers !== undefined) m.viewers = viewers;
    return m;
  },
  'question.asked': (o) => withRe(o, { type: 'question.asked', question: readQuestion(obj(o, 'question')) }),
  'question.voted': (o) =>
    withRe(o, { type: 'question.voted', questionId: str(o, 'questionId'), up: bool(o, 'up', true), votes: num(o, 'votes') }),
  'question.status': (o) => ({ type: 'question.status', question: readQuestion(obj(o, 'question')) }),
  'hand.state': (o) => {
    const m: HandStateMessage = { type: 'hand.state', state: handState(o) };
    const expiresAt = optStr(o, 'expiresAt');
    const reason = optStr(o, 'reason');
    if (expiresAt !== undefined) m.expiresAt = expiresAt;
    if (reason !== undefined) m.reason = reason;
    return withRe(o, m);
  },
  'stage.invite': (o) => {
    const m: StageInviteMessage = { type: 'stage.invite', grant: str(o, 'grant'), expiresAt: str(o, 'expiresAt') };
    const by = optStr(o, 'by');
    if (by !== undefined) m.by = by;
    return m;
  },
  'chat.sent': (o) => withRe(o, { type: 'chat.sent', message: readChat(obj(o, 'message')) }),
  banned: (o) => ({ type: 'banned', reason: optStr(o, 'reason') ?? '' }),
  'room.ended': (o) => ({ type: 'room.ended', reason: optStr(o, 'reason') ?? '' }),
  pong: (o) => withRe(o, { type: 'pong' }),
  error: (o) => withRe(o, { type: 'error', code: str(o, 'code'), message: optStr(o, 'message') ?? '' }),
  ack: (o) => {
    const m: AckMessage = { type: 'ack' };
    const expiresAt = optStr(o, 'expiresAt');
    if (expiresAt !== undefined) m.expiresAt = expiresAt;
    return withRe(o, m);
  },
};

/** Whether a message type is one of this file's (the stage page routes those here). */
export function isAudienceType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(READERS, type);
}

/** Parses a frame already decoded from JSON. */
export function readAudienceMessage(value: unknown): AudienceParseResult {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const type = value['type'];
  if (typeof type !== 'string') return { ok: false, reason: 'type: missing' };
  if (!isAudienceType(type)) return { ok: false, reason: `unknown type "${type}"`, type };
  try {
    return { ok: true, message: (READERS[type as AudienceServerMessage['type']])(value) };
  } catch (e) {
    if (e instanceof FieldError) return { ok: false, reason: `${type}: ${e.message}`, type };
    return { ok: false, reason: `${type}: ${String(e)}`, type };
  }
}

/** Parses one text frame; never throws. */
export function parseAudienceMessage(text: string): AudienceParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  return readAudienceMessage(value);
}
