/**
 * The signaling WebSocket client: joins with a token, matches replies to requests by `id`/`re`,
 * keeps the connection alive with pings, and on a lost connection reconnects with exponential
 * backoff and the `resume` the server gave in `joined`, so the participant keeps its seat
 * (docs/protocol.md, "Joining").
 *
 * It knows nothing of WebRTC; the socket and the timers are injected so tests drive it without a
 * network or a clock.
 */

import {
  type ClientMessage,
  type ClientRequestBody,
  type ErrorMessage,
  type JoinedMessage,
  type ResumeInfo,
  type ServerMessage,
  type StagePass,
  CloseCode,
  FATAL_JOIN_CODES,
  PROTOCOL_VERSION,
  parseServerMessage,
} from './protocol';

/** The part of the browser's WebSocket this client uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** Timers, injectable so tests step time by hand. */
export interface Scheduler {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const WEBSOCKET_OPEN = 1;
/** A close code of the application range (RFC 6455 §7.4.2) for "this client gave up on the socket". */
const CLIENT_GAVE_UP = 4100;

export type ConnectionState = 'idle' | 'connecting' | 'joining' | 'joined' | 'reconnecting' | 'ended';

/** Why a session ended for good. */
export type SessionEnd =
  /** The server refused the join: `code` is the server's (token-expired, room-not-found…). */
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'removed'; reason: string; by?: string }
  | { kind: 'room-ended'; reason: string }
  /** A guest from the audience whom a moderator sent back to it. */
  | { kind: 'sent-back'; by?: string }
  | { kind: 'left' };

export interface ReconnectInfo {
  /** 1 for the first retry. */
  attempt: number;
  retryInMs: number;
  /** False while the very first connection has not reached `joined` yet. */
  everJoined: boolean;
  /** Why the last connection went away, for the banner and the logs. */
  cause: string;
}

export interface SignalingListener {
  onStateChange?(state: ConnectionState, reconnect?: ReconnectInfo): void;
  /**
   * Every `joined`, the first and each after a reconnect (`reconnect` true). `joined.resumed`
   * says whether the server kept the seat.
   */
  onJoined?(joined: JoinedMessage, reconnect: boolean): void;
  /** Every server message that is not a reply to a request of ours, except the ends (see onEnded). */
  onMessage?(message: ServerMessage): void;
  onEnded?(end: SessionEnd): void;
  /** A frame that did not parse; the connection carries on. */
  onBadFrame?(reason: string): void;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface SignalingOptions {
  url: string;
  token: string;
  name: string;
  socketFactory: SocketFactory;
  scheduler: Scheduler;
  /** A number in [0, 1) for backoff jitter. */
  random?: () => number;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  /** How long a request (a ping included) may wait for its reply. */
  requestTimeoutMs?: number;
  /** How long a new socket may take to open and reach `joined`. */
  joinTimeoutMs?: number;
  /** A seat to take back from before this page loaded (a reload within the resume window). */
  resume?: ResumeInfo | null;
  /** A guest from the audience: the first join carries its stage pass; later ones resume. */
  stage?: StagePass | null;
}

/** A request refused by the server (`error` with our id as `re`) or that could not be delivered. */
export class SignalingError extends Error {
  /** The server's code, or `timeout`, `disconnected`, `not-joined` for local failures. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message === '' ? code : `${code}: ${message}`);
    this.name = 'SignalingError';
    this.code = code;
  }
}

/**
 * The delay before reconnect attempt `attempt` (1-based): exponential from `initialMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so a server restart is not met by every
 * page at the same instant.
 */
export function backoffDelayMs(attempt: number, backoff: BackoffOptions, random: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
  return Math.round(base / 2 + (random * base) / 2);
}

interface Pending {
  resolve(message: ServerMessage): void;
  reject(error: SignalingError): void;
  timer: unknown;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 15000 };

/** The signaling session of one participant, across as many sockets as it takes. */
export class SignalingClient {
  private readonly options: Required<Omit<SignalingOptions, 'random' | 'resume' | 'stage'>> & { random: () => number };
  private stagePass: StagePass | null;
  private readonly listener: SignalingListener;
  private socket: SocketLike | null = null;
  private state: ConnectionState = 'idle';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private resumeInfo: ResumeInfo | null = null;
  private everJoined = false;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private pingTimer: unknown = null;
  private joinTimer: unknown = null;
  private joinId = 0;
  /** The last error the server sent before closing, so a close code can be explained. */
  private lastError: ErrorMessage | null = null;
  private participant: string | null = null;

  constructor(options: SignalingOptions, listener: SignalingListener) {
    this.options = {
      random: Math.random,
      backoff: DEFAULT_BACKOFF,
      pingIntervalMs: 10000,
      requestTimeoutMs: 10000,
      joinTimeoutMs: 10000,
      ...options,
    };
    this.listener = listener;
    this.resumeInfo = options.resume ?? null;
    this.stagePass = options.stage ?? null;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** The participant id of the current seat, once joined. */
  get participantId(): string | null {
    return this.participant;
  }

  /** Opens the first connection. */
  start(): void {
    if (this.state !== 'idle') return;
    this.connect();
  }

  /** Skips the remaining backoff wait and tries at once (the banner's "Retry now"). */
  retryNow(): void {
    if (this.state !== 'reconnecting') return;
    this.options.scheduler.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  }

  /** Leaves the room politely and closes the socket; no reconnect follows. */
  leave(): void {
    if (this.state === 'ended') return;
    if (this.state === 'joined') this.send({ type: 'leave' });
    this.end({ kind: 'left' }, 1000);
  }

  /**
   * Sends a message that expects no reply. Returns false, dropping it, when not joined: what it
   * carried (a candidate, an answer) belongs to a connection that is gone, and the negotiation
   * after a resume supersedes it.
   */
  send(message: ClientMessage): boolean {
    if (this.socket === null || this.socket.readyState !== WEBSOCKET_OPEN) return false;
    if (this.state !== 'joined' && message.type !== 'join') return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Sends a request with a fresh id; resolves with the reply, rejects with a {@link SignalingError}. */
  request(body: ClientRequestBody, timeoutMs = this.options.requestTimeoutMs): Promise<ServerMessage> {
    if (this.state !== 'joined') {
      return Promise.reject(new SignalingError('not-joined', 'not connected to the room'));
    }
    const id = this.nextId++;
    return this.track(id, { ...body, id } as ClientMessage, timeoutMs);
  }

  private track(id: number, message: ClientMessage, timeoutMs: number): Promise<ServerMessage> {
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = this.options.scheduler.setTimeout(() => {
        if (this.pending.delete(id)) reject(new SignalingError('timeout', `no reply to ${message.type}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (this.socket === null || this.socket.readyState !== WEBSOCKET_OPEN) {
        this.settle(id, null, new SignalingError('disconnected', 'the connection is closed'));
        return;
      }
      this.socket.send(JSON.stringify(message));
    });
  }

  private settle(id: number, message: ServerMessage | null, error: SignalingError | null): boolean {
    const pending = this.pending.get(id);
    if (pending === undefined) return false;
    this.pending.delete(id);
    this.options.scheduler.clearTimeout(pending.timer);
    if (error !== null) pending.reject(error);
    else if (message !== null) pending.resolve(message);
    return true;
  }

  private setState(state: ConnectionState, reconnect?: ReconnectInfo): void {
    this.state = state;
    this.listener.onStateChange?.(state, reconnect);
  }

  private connect(): void {
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.options.socketFactory(this.options.url);
    } catch (e) {
      this.lost(`cannot open ${this.options.url}: ${String(e)}`);
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (event) => {
      if (this.socket === socket) this.onFrame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.onClose(event.code, event.reason);
    };
    // An error is always followed by close, which carries the code; nothing to do here.
    socket.onerror = () => undefined;
    this.joinTimer = this.options.scheduler.setTimeout(() => {
      if (this.socket === socket && this.state !== 'joined') this.lost('the server did not answer in time');
    }, this.options.joinTimeoutMs);
  }

  private onOpen(socket: SocketLike): void {
    if (this.socket !== socket) return;
    this.setState('joining');
    this.lastError = null;
    this.joinId = this.nextId++;
    const join: ClientMessage = {
      type: 'join',
      id: this.joinId,
      protocol: PROTOCOL_VERSION,
      token: this.options.token,
      name: this.options.name,
      ...(this.resumeInfo !== null ? { resume: this.resumeInfo } : {}),
      ...(this.resumeInfo === null && this.stagePass !== null ? { stage: this.stagePass } : {}),
    };
    socket.send(JSON.stringify(join));
  }

  private onFrame(data: unknown): void {
    if (typeof data !== 'string') {
      this.listener.onBadFrame?.('binary frame');
      return;
    }
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      this.listener.onBadFrame?.(parsed.reason);
      return;
    }
    const message = parsed.message;
    const re = 're' in message ? message.re : undefined;

    if (this.state === 'joining' && re === this.joinId) {
      if (message.type === 'joined') this.onJoined(message);
      else if (message.type === 'error') this.onJoinRefused(message);
      return;
    }
    if (re !== undefined) {
      const error = message.type === 'error' ? new SignalingError(message.code, message.message) : null;
      if (this.settle(re, error === null ? message : null, error)) return;
    }
    switch (message.type) {
      case 'error':
        this.lastError = message;
        if (this.state === 'joining' && FATAL_JOIN_CODES.has(message.code)) {
          this.onJoinRefused(message);
          return;
        }
        break;
      case 'removed':
        this.end(
          message.by === undefined
            ? { kind: 'removed', reason: message.reason }
            : { kind: 'removed', reason: message.reason, by: message.by },
        );
        return;
      case 'room.ended':
        this.end({ kind: 'room-ended', reason: message.reason });
        return;
      case 'sent.back':
        this.end(message.by === '' ? { kind: 'sent-back' } : { kind: 'sent-back', by: message.by });
        return;
      default:
        break;
    }
    this.listener.onMessage?.(message);
  }

  private onJoined(joined: JoinedMessage): void {
    this.options.scheduler.clearTimeout(this.joinTimer);
    this.joinTimer = null;
    const reconnect = this.everJoined;
    this.everJoined = true;
    this.attempt = 0;
    this.resumeInfo = joined.resume;
    // The pass is single use: from now on the seat is resumed, never re-granted.
    this.stagePass = null;
    this.participant = joined.participantId;
    this.setState('joined');
    this.schedulePing();
    this.listener.onJoined?.(joined, reconnect);
  }

  private onJoinRefused(error: ErrorMessage): void {
    if (FATAL_JOIN_CODES.has(error.code)) {
      this.end({ kind: 'refused', code: error.code, message: error.message });
    } else {
      // The same link may well work on the next try. Past a passing trouble (internal,
      // rate-limited), the seat we asked to resume may be what the server objects to, so the
      // next try asks for a new one rather than repeating the refused join forever.
      if (error.code !== 'internal' && error.code !== 'rate-limited') this.resumeInfo = null;
      this.lost(`join refused: ${error.code}`);
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.state === 'ended') return;
    const error = this.lastError;
    switch (code) {
      case CloseCode.ROOM_ENDED:
        this.end({ kind: 'room-ended', reason: reason !== '' ? reason : 'The room has ended.' });
        return;
      case CloseCode.REMOVED:
        this.end({ kind: 'removed', reason });
        return;
      case CloseCode.TOKEN_REFUSED:
        this.end({ kind: 'refused', code: error?.code ?? 'token-refused', message: error?.message ?? reason });
        return;
      case CloseCode.ROOM_GONE:
        this.end({ kind: 'refused', code: error?.code ?? 'room-not-found', message: error?.message ?? reason });
        return;
      case CloseCode.SENT_BACK:
        this.end({ kind: 'sent-back' });
        return;
      default:
        this.lost(
          code === 1006 || code === 0
            ? 'the connection to the server was lost'
            : `closed with ${code}${reason !== '' ? ` (${reason})` : ''}`,
        );
    }
  }

  /** The socket is gone or useless: fail what waited on it and schedule the next attempt. */
  private lost(cause: string): void {
    this.dropSocket(CLIENT_GAVE_UP);
    this.attempt++;
    const retryInMs = backoffDelayMs(this.attempt, this.options.backoff, this.options.random());
    this.setState('reconnecting', { attempt: this.attempt, retryInMs, everJoined: this.everJoined, cause });
    this.reconnectTimer = this.options.scheduler.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, retryInMs);
  }

  private end(end: SessionEnd, closeCode = 1000): void {
    if (this.state === 'ended') return;
    this.dropSocket(closeCode);
    this.options.scheduler.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.setState('ended');
    this.listener.onEnded?.(end);
  }

  private dropSocket(closeCode: number): void {
    const socket = this.socket;
    this.socket = null;
    this.options.scheduler.clearTimeout(this.pingTimer);
    this.options.scheduler.clearTimeout(this.joinTimer);
    this.pingTimer = null;
    this.joinTimer = null;
    for (const id of [...this.pending.keys()]) {
      this.settle(id, null, new SignalingError('disconnected', 'the connection was lost'));
    }
    if (socket !== null) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      try {
        socket.close(closeCode);
      } catch {
        // Closing a socket that never opened may throw in some browsers; it is gone either way.
      }
    }
  }

  private schedulePing(): void {
    this.pingTimer = this.options.scheduler.setTimeout(() => {
      this.pingTimer = null;
      if (this.state !== 'joined') return;
      const socket = this.socket;
      this.request({ type: 'ping' }).then(
        () => {
          if (this.socket === socket && this.state === 'joined') this.schedulePing();
        },
        (error: SignalingError) => {
          // A ping without a pong means the path is dead even if TCP has not noticed yet.
          if (error.code === 'timeout' && this.socket === socket) this.lost('the server stopped answering');
          else if (this.socket === socket && this.state === 'joined') this.schedulePing();
        },
      );
    }, this.options.pingIntervalMs);
  }
}

/** The browser's WebSocket and timers, for the real page. */
export const browserSocketFactory: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

export const browserScheduler: Scheduler = {
  setTimeout: (fn, delayMs) => window.setTimeout(fn, delayMs),
  clearTimeout: (handle) => window.clearTimeout(handle as number | undefined),
};
