/** Test doubles: a WebSocket the test plays the server on, and timers the test moves by hand. */

import type { Scheduler, SocketLike } from '../src/signaling';

export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly url: string;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(url: string) {
    this.url = url;
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code?: number): void {
    this.closedWith = code ?? 1000;
    this.readyState = 3;
  }

  /** The server accepts the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends a message. */
  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  /** The server (or the network) closes the connection. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code, reason });
  }

  last(): Record<string, unknown> {
    const message = this.sent[this.sent.length - 1];
    if (message === undefined) throw new Error('nothing sent');
    return message;
  }
}

export class FakeScheduler implements Scheduler {
  nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { atMs: number; fn: () => void }>();

  setTimeout(fn: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { atMs: this.nowMs + delayMs, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Runs every timer due within `ms`, in time order, moving the clock as it goes. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      let nextId = -1;
      let next: { atMs: number; fn: () => void } | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.atMs <= end && (next === undefined || timer.atMs < next.atMs)) {
          next = timer;
          nextId = id;
        }
      }
      if (next === undefined) break;
      this.timers.delete(nextId);
      this.nowMs = next.atMs;
      next.fn();
    }
    this.nowMs = end;
  }

  get pending(): number {
    return this.timers.size;
  }
}

/** base64url without padding (RFC 4648 §5). */
export function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token of the shape the server issues, with a signature that only looks real. */
export function makeToken(payload: Record<string, unknown>): string {
  return `v1.${base64Url(JSON.stringify(payload))}.${base64Url('not-a-real-signature-32-bytes!!')}`;
}

/** Lets queued promise callbacks run. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
