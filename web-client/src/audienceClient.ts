/**
 * The audience door's WebSocket client (`/ws/audience`): joins with the audience token, keeps the
 * viewer session across reconnects with the `resume` the server gave, matches replies to requests
 * by `id`/`re`, and reports everything else to a listener. Socket and timers are injected, as in
 * signaling.ts, so tests drive it without a network or a clock.
 */

import {
  type AudienceJoinedMessage,
  type AudienceRequestBody,
  type AudienceServerMessage,
  type ViewerResume,
  parseAudienceMessage,
} from './audienceProtocol';
import { PROTOCOL_VERSION } from './protocol';
import { type BackoffOptions, type Scheduler, type SocketFactory, type SocketLike, SignalingError, backoffDelayMs } from './signaling';

const WEBSOCKET_OPEN = 1;
const CLIENT_GAVE_UP = 4100;

export type AudienceConnectionState = 'idle' | 'connecting' | 'joining' | 'joined' | 'reconnecting' | 'ended';

/** Why the audience session ended for good. */
export type AudienceEnd =
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'banned'; reason: string }
  | { kind: 'room-ended'; reason: string };

/** Codes after which joining again cannot succeed. */
const FATAL = new Set([
  'token-malformed',
  'token-bad-signature',
  'token-expired',
  'token-wrong-room',
  'room-not-found',
  'unsupported-protocol',
  'forbidden',
  'banned',
]);

export interface AudienceListener {
  onState?(state: AudienceConnectionState, retryInMs?: number): void;
  onJoined?(joined: AudienceJoinedMessage, reconnect: boolean): void;
  /** Every message that is not a reply to one of our requests. */
  onMessage?(message: AudienceServerMessage): void;
  onEnded?(end: AudienceEnd): void;
}

export interface AudienceClientOptions {
  url: string;
  token: string;
  name: string;
  socketFactory: SocketFactory;
  scheduler: Scheduler;
  resume?: ViewerResume | null;
  random?: () => number;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  requestTimeoutMs?: number;
}

interface Pending {
  resolve(message: AudienceServerMessage): void;
  reject(error: SignalingError): void;
  timer: unknown;
}

export class AudienceClient {
  private readonly o: Required<Omit<AudienceClientOptions, 'resume'>>;
  private readonly listener: AudienceListener;
  private socket: SocketLike | null = null;
  private state: AudienceConnectionState = 'idle';
  private nextId = 1;
  private joinId = 0;
  private attempt = 0;
  private everJoined = false;
  private resumeInfo: ViewerResume | null;
  private lastError: { code: string; message: string } | null = null;
  private readonly pending = new Map<number, Pending>();
  private reconnectTimer: unknown = null;
  private pingTimer: unknown = null;

  constructor(options: AudienceClientOptions, listener: AudienceListener) {
    this.o = {
      random: Math.random,
      backoff: { initialMs: 1000, maxMs: 15000 },
      pingIntervalMs: 15000,
      requestTimeoutMs: 10000,
      ...options,
    };
    this.resumeInfo = options.resume ?? null;
    this.listener = listener;
  }

  get connectionState(): AudienceConnectionState {
    return this.state;
  }

  /** The session to resume (also what the stage join proves itself with). */
  get resume(): ViewerResume | null {
    return this.resumeInfo;
  }

  start(): void {
    if (this.state === 'idle') this.connect();
  }

  retryNow(): void {
    if (this.state !== 'reconnecting') return;
    this.o.scheduler.clearTimeout(this.reconnectTimer);
    this.connect();
  }

  /** Sends a request; resolves with the reply, rejects with a {@link SignalingError}. */
  request(body: AudienceRequestBody): Promise<AudienceServerMessage> {
    const socket = this.socket;
    if (this.state !== 'joined' || socket === null || socket.readyState !== WEBSOCKET_OPEN) {
      return Promise.reject(new SignalingError('not-joined', 'not connected to the room'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = this.o.scheduler.setTimeout(() => {
        if (this.pending.delete(id)) reject(new SignalingError('timeout', `no reply to ${body.type}`));
      }, this.o.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...body, id }));
    });
  }

  /** Closes for good (the page is leaving the audience). */
  close(): void {
    this.dropSocket(1000);
    this.o.scheduler.clearTimeout(this.reconnectTimer);
    this.setState('ended');
  }

  private setState(state: AudienceConnectionState, retryInMs?: number): void {
    this.state = state;
    this.listener.onState?.(state, retryInMs);
  }

  private connect(): void {
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.o.socketFactory(this.o.url);
    } catch {
      this.lost();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.setState('joining');
      this.joinId = this.nextId++;
      const join: Record<string, unknown> = {
        type: 'join',
        id: this.joinId,
        protocol: PROTOCOL_VERSION,
        token: this.o.token,
      };
      if (this.o.name !== '') join['name'] = this.o.name;
      if (this.resumeInfo !== null) join['resume'] = this.resumeInfo;
      socket.send(JSON.stringify(join));
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.onFrame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.onClose(event.code);
    };
    socket.onerror = () => undefined;
  }

  private onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    const parsed = parseAudienceMessage(data);
    if (!parsed.ok) {
      console.warn('palco: ignored an audience frame:', parsed.reason);
      return;
    }
    const m = parsed.message;
    const re = 're' in m ? m.re : undefined;
    if (this.state === 'joining' && re === this.joinId) {
      if (m.type === 'audience.joined') {
        const reconnect = this.everJoined;
        this.everJoined = true;
        this.attempt = 0;
        this.resumeInfo = m.resume;
        this.setState('joined');
        this.schedulePing();
        this.listener.onJoined?.(m, reconnect);
      } else if (m.type === 'error') {
        this.lastError = { code: m.code, message: m.message };
        if (FATAL.has(m.code)) this.end(m.code === 'banned' ? { kind: 'banned', reason: m.message } : { kind: 'refused', code: m.code, message: m.message });
        else {
          if (m.code !== 'internal' && m.code !== 'rate-limited') this.resumeInfo = null;
          this.lost();
        }
      }
      return;
    }
    if (re !== undefined) {
      const pending = this.pending.get(re);
      if (pending !== undefined) {
        this.pending.delete(re);
        this.o.scheduler.clearTimeout(pending.timer);
        if (m.type === 'error') pending.reject(new SignalingError(m.code, m.message));
        else pending.resolve(m);
        return;
      }
    }
    if (m.type === 'banned') {
      this.end({ kind: 'banned', reason: m.reason });
      return;
    }
    if (m.type === 'room.ended') {
      this.end({ kind: 'room-ended', reason: m.reason });
      return;
    }
    if (m.type === 'error') this.lastError = { code: m.code, message: m.message };
    this.listener.onMessage?.(m);
  }

  private onClose(code: number): void {
    if (this.state === 'ended') return;
    const error = this.lastError;
    if (code === 4000) this.end({ kind: 'room-ended', reason: 'The room has ended.' });
    else if (code === 4003 && error?.code === 'banned') this.end({ kind: 'banned', reason: error.message });
    else if (code === 4001 || code === 4003 || code === 4004) {
      this.end({ kind: 'refused', code: error?.code ?? (code === 4004 ? 'room-not-found' : 'forbidden'), message: error?.message ?? '' });
    } else this.lost();
  }

  private lost(): void {
    this.dropSocket(CLIENT_GAVE_UP);
    this.attempt++;
    const retryInMs = backoffDelayMs(this.attempt, this.o.backoff, this.o.random());
    this.setState('reconnecting', retryInMs);
    this.reconnectTimer = this.o.scheduler.setTimeout(() => this.connect(), retryInMs);
  }

  private end(end: AudienceEnd): void {
    if (this.state === 'ended') return;
    this.dropSocket(1000);
    this.o.scheduler.clearTimeout(this.reconnectTimer);
    this.setState('ended');
    this.listener.onEnded?.(end);
  }

  private dropSocket(code: number): void {
    const socket = this.socket;
    this.socket = null;
    this.o.scheduler.clearTimeout(this.pingTimer);
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      this.o.scheduler.clearTimeout(p.timer);
      p.reject(new SignalingError('disconnected', 'the connection was lost'));
    }
    if (socket !== null) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      try {
        socket.close(code);
      } catch {
        // It is gone either way.
      }
    }
  }

  private schedulePing(): void {
    this.pingTimer = this.o.scheduler.setTimeout(() => {
      if (this.state !== 'joined') return;
      const socket = this.socket;
      this.request({ type: 'ping' }).then(
        () => {
          if (this.socket === socket) this.schedulePing();
        },
        (error: SignalingError) => {
          if (this.socket !== socket) return;
          if (error.code === 'timeout') this.lost();
          else this.schedulePing();
        },
      );
    }, this.o.pingIntervalMs);
  }
}

/** The audience door's URL on the page's own origin. */
export function audienceSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/audience`;
}
