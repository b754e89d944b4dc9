/**
 * The audience layer as a page holds it: questions, the pinned one, chat, hands and the viewer
 * count, built from `audience.state` and kept current by `audience.update` (docs/protocol.md,
 * "Audience"). Plain data and pure functions; the pages render from it.
 */

import type {
  AudienceStateMessage,
  AudienceUpdateMessage,
  ChatLine,
  HandState,
  Question,
  RaisedHand,
} from './audienceProtocol';

/** Chat lines a page keeps; the server keeps a bounded history of its own. */
export const MAX_CHAT_LINES = 200;

export class AudienceModel {
  readonly questions = new Map<string, Question>();
  pinned: Question | null = null;
  chat: ChatLine[] = [];
  chatEnabled = true;
  stream: string | null = null;
  readonly hands = new Map<string, RaisedHand>();
  viewers: number | null = null;
  /** Bumped on every change, so a view re-renders its lists only when they changed. */
  version = 0;

  // This viewer's own view (the audience page only).
  readonly myVotes = new Set<string>();
  /** Questions this viewer asked, in every state (others see only approved ones). */
  readonly mine = new Map<string, Question>();
  hand: HandState = 'down';

  /** Replaces everything with a fresh `audience.state`. */
  reset(state: AudienceStateMessage): void {
    this.questions.clear();
    for (const q of state.questions) this.questions.set(q.id, q);
    this.pinned = state.pinned;
    this.chat = dedupeChat(state.chat).slice(-MAX_CHAT_LINES);
    this.chatEnabled = state.chatEnabled;
    this.stream = state.stream;
    this.hands.clear();
    for (const h of state.hands ?? []) if (h.state !== 'down') this.hands.set(h.viewerId, h);
    if (state.viewers !== undefined) this.viewers = state.viewers;
    this.refreshMine();
    this.version++;
  }

  /** Applies an `audience.update`. Updates are idempotent: one that repeats the state is harmless. */
  apply(update: AudienceUpdateMessage): void {
    for (const q of update.questions ?? []) this.questions.set(q.id, q);
    for (const id of update.removedQuestions ?? []) this.questions.delete(id);
    if (update.pinned !== undefined) this.pinned = update.pinned;
    if (this.pinned !== null) {
      // A question in the same update is newer than a pinned copy from before.
      const fresh = this.questions.get(this.pinned.id);
      if (fresh !== undefined && update.pinned === undefined) this.pinned = fresh;
    }
    if (update.chat !== undefined && update.chat.length > 0) {
      this.chat = dedupeChat([...this.chat, ...update.chat]).slice(-MAX_CHAT_LINES);
    }
    if (update.removedChat !== undefined && update.removedChat.length > 0) {
      const removed = new Set(update.removedChat);
      this.chat = this.chat.filter((c) => !removed.has(c.id));
    }
    if (update.chatEnabled !== undefined) this.chatEnabled = update.chatEnabled;
    if (update.stream !== undefined) this.stream = update.stream;
    for (const h of update.hands ?? []) {
      if (h.state === 'down') this.hands.delete(h.viewerId);
      else this.hands.set(h.viewerId, h);
    }
    if (update.viewers !== undefined) this.viewers = update.viewers;
    this.refreshMine();
    this.version++;
  }

  /** Records one of this viewer's own questions (from `question.asked` or `question.status`). */
  rememberMine(q: Question): void {
    this.mine.set(q.id, q);
    if (q.state === 'approved' || q.state === 'answered') this.questions.set(q.id, q);
    else if (this.questions.get(q.id)?.viewerId === undefined) this.questions.delete(q.id);
    this.version++;
  }

  /** Adds a chat line the server confirmed to us before the shared update arrives. */
  addChat(line: ChatLine): void {
    this.chat = dedupeChat([...this.chat, line]).slice(-MAX_CHAT_LINES);
    this.version++;
  }

  private refreshMine(): void {
    for (const [id, q] of this.mine) {
      const shared = this.questions.get(id);
      if (shared !== undefined) this.mine.set(id, { ...q, ...shared, state: shared.state });
    }
  }
}

function dedupeChat(lines: ChatLine[]): ChatLine[] {
  const seen = new Set<string>();
  const out: ChatLine[] = [];
  for (const line of lines) {
    if (seen.has(line.id)) continue;
    seen.add(line.id);
    out.push(line);
  }
  return out;
}

function byVotesThenAge(a: Question, b: Question): number {
  if (b.votes !== a.votes) return b.votes - a.votes;
  if (a.askedAt !== b.askedAt) return a.askedAt < b.askedAt ? -1 : 1;
  return numericId(a.id) - numericId(b.id);
}

function numericId(id: string): number {
  const n = Number(id.slice(id.indexOf('-') + 1));
  return Number.isFinite(n) ? n : 0;
}

/** The audience's list: open questions by votes (most first, then oldest), answered ones after. */
export function audienceQuestions(model: AudienceModel): Question[] {
  const open: Question[] = [];
  const answered: Question[] = [];
  for (const q of model.questions.values()) {
    if (q.state === 'approved') open.push(q);
    else if (q.state === 'answered') answered.push(q);
  }
  return [...open.sort(byVotesThenAge), ...answered.sort(byVotesThenAge)];
}

const QUEUE_ORDER: Record<Question['state'], number> = { pending: 0, approved: 1, answered: 2, hidden: 3 };

/**
 * The moderator's queue: the question being answered on top, then waiting questions, then
 * approved ones, each by votes (most first, then oldest); answered and hidden ones at the end.
 */
export function moderatorQueue(model: AudienceModel): Question[] {
  const pinned = model.pinned?.id;
  const rank = (q: Question): number => (q.id === pinned ? -1 : QUEUE_ORDER[q.state]);
  return [...model.questions.values()].sort((a, b) => rank(a) - rank(b) || byVotesThenAge(a, b));
}

/** This viewer's own questions the audience does not see yet (waiting or hidden). */
export function myUnlisted(model: AudienceModel): Question[] {
  return [...model.mine.values()].filter((q) => q.state === 'pending' || q.state === 'hidden').sort(byVotesThenAge);
}

/** Hands in the order they went up. */
export function handsInOrder(model: AudienceModel): RaisedHand[] {
  return [...model.hands.values()].sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : 0));
}

/** Characters as the server counts them (code points), for the "n left" hints. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text.trim()) n++;
  return n;
}

/** Seconds until an ISO time, never negative. */
export function secondsUntil(iso: string, nowMs: number): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - nowMs) / 1000)) : 0;
}
