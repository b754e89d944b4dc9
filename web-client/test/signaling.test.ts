import { beforeEach, describe, expect, it } from 'vitest';
import type { JoinedMessage, ServerMessage } from '../src/protocol';
import {
  type ConnectionState,
  type ReconnectInfo,
  type SessionEnd,
  SignalingClient,
  SignalingError,
  backoffDelayMs,
} from '../src/signaling';
import { FakeScheduler, FakeSocket, flush } from './fakes';

const JOINED = {
  type: 'joined',
  protocol: 1,
  room: { id: '3fk9q2', name: 'Friday panel' },
  participantId: 'p-7',
  role: 'presenter',
  resumed: false,
  resume: { participantId: 'p-7', secret: 'Qm9v' },
  iceServers: [],
  participants: [],
};

class Harness {
  readonly scheduler = new FakeScheduler();
  readonly sockets: FakeSocket[] = [];
  readonly states: [ConnectionState, ReconnectInfo | undefined][] = [];
  readonly joined: [JoinedMessage, boolean][] = [];
  readonly messages: ServerMessage[] = [];
  readonly ended: SessionEnd[] = [];
  readonly badFrames: string[] = [];
  readonly client: SignalingClient;

  constructor(extra: Partial<ConstructorParameters<typeof SignalingClient>[0]> = {}) {
    this.client = new SignalingClient(
      {
        url: 'ws://localhost:8080/ws',
        token: 'v1.tok.sig',
        name: 'Ada Lovelace',
        socketFactory: (url) => {
          const socket = new FakeSocket(url);
          this.sockets.push(socket);
          return socket;
        },
        scheduler: this.scheduler,
        random: () => 0.5,
        backoff: { initialMs: 1000, maxMs: 8000 },
        pingIntervalMs: 10000,
        requestTimeoutMs: 5000,
        joinTimeoutMs: 5000,
        ...extra,
      },
      {
        onStateChange: (state, reconnect) => this.states.push([state, reconnect]),
        onJoined: (joined, reconnect) => this.joined.push([joined, reconnect]),
        onMessage: (message) => this.messages.push(message),
        onEnded: (end) => this.ended.push(end),
        onBadFrame: (reason) => this.badFrames.push(reason),
      },
    );
  }

  get socket(): FakeSocket {
    const socket = this.sockets[this.sockets.length - 1];
    if (socket === undefined) throw new Error('no socket yet');
    return socket;
  }

  /** Starts, opens, and answers the join with `joined`. */
  join(joined: object = JOINED): void {
    if (this.client.connectionState === 'idle') this.client.start();
    this.socket.open();
    const join = this.socket.last();
    this.socket.receive({ ...joined, re: join['id'] });
  }
}

describe('SignalingClient: joining', () => {
  let t: Harness;
  beforeEach(() => {
    t = new Harness();
  });

  it('connects to the URL and sends join first, with protocol, token and name', () => {
    t.client.start();
    expect(t.socket.url).toBe('ws://localhost:8080/ws');
    expect(t.client.connectionState).toBe('connecting');
    t.socket.open();
    expect(t.client.connectionState).toBe('joining');
    expect(t.socket.sent).toEqual([{ type: 'join', id: 1, protocol: 1, token: 'v1.tok.sig', name: 'Ada Lovelace' }]);
  });

  it('becomes joined on the matching joined', () => {
    t.join();
    expect(t.client.connectionState).toBe('joined');
    expect(t.client.participantId).toBe('p-7');
    expect(t.joined).toHaveLength(1);
    expect(t.joined[0]?.[1]).toBe(false);
  });

  it('sends a stored resume with the very first join (page reload)', () => {
    t = new Harness({ resume: { participantId: 'p-7', secret: 'old' } });
    t.client.start();
    t.socket.open();
    expect(t.socket.last()['resume']).toEqual({ participantId: 'p-7', secret: 'old' });
  });

  it.each(['token-expired', 'token-bad-signature', 'token-malformed', 'token-wrong-room', 'room-not-found'])(
    'ends with the server reason when the join is refused with %s',
    (code) => {
      t.client.start();
      t.socket.open();
      t.socket.receive({ type: 'error', re: 1, code, message: `because ${code}` });
      expect(t.ended).toEqual([{ kind: 'refused', code, message: `because ${code}` }]);
      expect(t.client.connectionState).toBe('ended');
      // The server's close that follows changes nothing, and nothing reconnects.
      t.socket.serverClose(4001);
      t.scheduler.advance(60000);
      expect(t.sockets).toHaveLength(1);
    },
  );

  it('explains a bare 4001 close with the last error the server sent', () => {
    t.client.start();
    t.socket.open();
    t.socket.receive({ type: 'error', code: 'token-expired', message: 'expired at 12:00' });
    t.socket.serverClose(4001);
    expect(t.ended).toEqual([{ kind: 'refused', code: 'token-expired', message: 'expired at 12:00' }]);
  });

  it('names a 4004 close without an error room-not-found', () => {
    t.client.start();
    t.socket.open();
    t.socket.serverClose(4004);
    expect(t.ended).toEqual([{ kind: 'refused', code: 'room-not-found', message: '' }]);
  });

  it('retries a join refused for a passing reason', () => {
    t.client.start();
    t.socket.open();
    t.socket.receive({ type: 'error', re: 1, code: 'internal', message: 'oops' });
    expect(t.client.connectionState).toBe('reconnecting');
    expect(t.ended).toEqual([]);
    t.scheduler.advance(1000);
    expect(t.sockets).toHaveLength(2);
  });

  it('drops a stored resume the server refuses, and joins afresh', () => {
    t = new Harness({ resume: { participantId: 'p-7', secret: 'stale' } });
    t.client.start();
    t.socket.open();
    t.socket.receive({ type: 'error', re: 1, code: 'bad-message', message: 'unknown seat' });
    t.scheduler.advance(1000);
    t.socket.open();
    expect(t.socket.last()).toMatchObject({ type: 'join' });
    expect(t.socket.last()['resume']).toBeUndefined();
  });

  it('keeps the seat to resume across a passing refusal', () => {
    t = new Harness({ resume: { participantId: 'p-7', secret: 's' } });
    t.client.start();
    t.socket.open();
    t.socket.receive({ type: 'error', re: 1, code: 'rate-limited', message: '' });
    t.scheduler.advance(1000);
    t.socket.open();
    expect(t.socket.last()['resume']).toEqual({ participantId: 'p-7', secret: 's' });
  });

  it('gives up on a socket that never opens and retries (server unreachable)', () => {
    t.client.start();
    t.socket.serverClose(1006);
    const [state, info] = t.states[t.states.length - 1] ?? [];
    expect(state).toBe('reconnecting');
    expect(info).toMatchObject({ attempt: 1, everJoined: false, retryInMs: 750 });
    t.scheduler.advance(749);
    expect(t.sockets).toHaveLength(1);
    t.scheduler.advance(1);
    expect(t.sockets).toHaveLength(2);
  });

  it('times out a join that gets no answer', () => {
    t.client.start();
    t.socket.open();
    t.scheduler.advance(5000);
    expect(t.client.connectionState).toBe('reconnecting');
    expect(t.sockets[0]?.closedWith).toBe(4100);
  });
});

describe('SignalingClient: requests and events', () => {
  let t: Harness;
  beforeEach(() => {
    t = new Harness();
    t.join();
  });

  it('numbers requests and resolves each with the reply that carries its id as re', async () => {
    const first = t.client.request({ type: 'publish.offer', sdp: 'o1', tracks: [] });
    const second = t.client.request({ type: 'track.mute', trackId: 't-1', muted: true });
    const [a, b] = t.socket.sent.slice(-2);
    expect(a).toMatchObject({ type: 'publish.offer', id: 2 });
    expect(b).toMatchObject({ type: 'track.mute', id: 3 });
    // Replies may come in any order.
    t.socket.receive({ type: 'pong', re: 3 });
    t.socket.receive({ type: 'publish.answer', re: 2, sdp: 'a1' });
    await expect(first).resolves.toMatchObject({ type: 'publish.answer', sdp: 'a1' });
    await expect(second).resolves.toMatchObject({ type: 'pong' });
    expect(t.messages).toEqual([]);
  });

  it('rejects a request with the error that answers it', async () => {
    const offer = t.client.request({ type: 'publish.offer', sdp: 'o', tracks: [] });
    t.socket.receive({ type: 'error', re: 2, code: 'glare', message: 'subscribe.offer outstanding' });
    const error = await offer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalingError);
    expect((error as SignalingError).code).toBe('glare');
    expect(t.messages).toEqual([]);
  });

  it('times out a request without a reply', async () => {
    const mute = t.client.request({ type: 'track.mute', trackId: 't', muted: true });
    t.scheduler.advance(5000);
    await expect(mute).rejects.toMatchObject({ code: 'timeout' });
  });

  it('passes events and unmatched replies on', () => {
    t.socket.receive({ type: 'participant.left', participantId: 'p-9', reason: 'left' });
    t.socket.receive({ type: 'error', re: 99, code: 'rate-limited', message: '' });
    expect(t.messages.map((m) => m.type)).toEqual(['participant.left', 'error']);
  });

  it('reports bad frames and stays connected', () => {
    t.socket.receive('not json');
    t.socket.receive({ type: 'warp' });
    expect(t.badFrames).toEqual(['not JSON', 'unknown type "warp"']);
    expect(t.client.connectionState).toBe('joined');
  });

  it('refuses requests and drops sends while not joined', async () => {
    t.socket.serverClose(1006);
    expect(t.client.send({ type: 'trickle', candidate: null })).toBe(false);
    await expect(t.client.request({ type: 'room.end' })).rejects.toMatchObject({ code: 'not-joined' });
  });

  it('fails pending requests when the connection drops', async () => {
    const offer = t.client.request({ type: 'publish.offer', sdp: 'o', tracks: [] });
    t.socket.serverClose(1006);
    await expect(offer).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('sends leave, closes with 1000 and does not reconnect', () => {
    t.client.leave();
    expect(t.socket.last()).toEqual({ type: 'leave' });
    expect(t.socket.closedWith).toBe(1000);
    expect(t.ended).toEqual([{ kind: 'left' }]);
    t.scheduler.advance(60000);
    expect(t.sockets).toHaveLength(1);
  });

  it('ends on removed with the moderator reason', () => {
    t.socket.receive({ type: 'removed', reason: 'Off-topic', by: 'p-3' });
    expect(t.ended).toEqual([{ kind: 'removed', reason: 'Off-topic', by: 'p-3' }]);
    t.socket.serverClose(4003);
    expect(t.ended).toHaveLength(1);
  });

  it('ends on room.ended, and on a bare 4000 close', () => {
    t.socket.receive({ type: 'room.ended', reason: 'ended by moderator' });
    expect(t.ended).toEqual([{ kind: 'room-ended', reason: 'ended by moderator' }]);

    const u = new Harness();
    u.join();
    u.socket.serverClose(4000, 'bye');
    expect(u.ended).toEqual([{ kind: 'room-ended', reason: 'bye' }]);
  });
});

describe('SignalingClient: keep-alive and reconnect', () => {
  let t: Harness;
  beforeEach(() => {
    t = new Harness();
    t.join();
  });

  it('pings every interval while pongs come back', async () => {
    t.scheduler.advance(10000);
    expect(t.socket.last()).toEqual({ type: 'ping', id: 2 });
    t.socket.receive({ type: 'pong', re: 2 });
    await flush();
    t.scheduler.advance(10000);
    expect(t.socket.last()).toEqual({ type: 'ping', id: 3 });
  });

  it('drops a connection whose pong does not come and reconnects', async () => {
    t.scheduler.advance(10000);
    t.scheduler.advance(5000);
    await flush();
    expect(t.client.connectionState).toBe('reconnecting');
    expect(t.sockets[0]?.closedWith).toBe(4100);
  });

  it('reconnects with resume after a drop and reports the reconnect', () => {
    t.socket.serverClose(1006);
    expect(t.states[t.states.length - 1]?.[1]).toMatchObject({ attempt: 1, everJoined: true });
    t.scheduler.advance(750);
    t.socket.open();
    const join = t.socket.last();
    expect(join).toMatchObject({ type: 'join', resume: { participantId: 'p-7', secret: 'Qm9v' } });
    t.socket.receive({ ...JOINED, re: join['id'], resumed: true, resume: { participantId: 'p-7', secret: 'new' } });
    expect(t.joined[1]?.[1]).toBe(true);
    expect(t.joined[1]?.[0].resumed).toBe(true);
    // The next drop uses the newest secret.
    t.socket.serverClose(1006);
    t.scheduler.advance(750);
    t.socket.open();
    expect(t.socket.last()['resume']).toEqual({ participantId: 'p-7', secret: 'new' });
  });

  it('backs off exponentially while the server stays away, and resets after joining', () => {
    t.socket.serverClose(1006);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const info = t.states[t.states.length - 1]?.[1];
      delays.push(info?.retryInMs ?? -1);
      t.scheduler.advance(info?.retryInMs ?? 0);
      t.socket.serverClose(1006);
    }
    expect(delays).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
    t.scheduler.advance(6000);
    t.join();
    t.socket.serverClose(1006);
    expect(t.states[t.states.length - 1]?.[1]?.attempt).toBe(1);
  });

  it('retries at once on retryNow', () => {
    t.socket.serverClose(1006);
    t.client.retryNow();
    expect(t.sockets).toHaveLength(2);
    expect(t.client.connectionState).toBe('connecting');
    // The cancelled backoff timer opens no third socket (the join timeout at 5 s would).
    t.scheduler.advance(4999);
    expect(t.sockets).toHaveLength(2);
  });

  it('ignores events from a socket it has given up on', () => {
    const old = t.socket;
    t.socket.serverClose(1006);
    old.receive({ type: 'participant.left', participantId: 'p-1', reason: 'left' });
    expect(t.messages).toEqual([]);
  });
});

describe('backoffDelayMs', () => {
  const backoff = { initialMs: 1000, maxMs: 15000 };
  it('doubles from the initial delay up to the cap, with half of it jittered', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, backoff, 0))).toEqual([500, 1000, 2000, 4000, 7500, 7500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, backoff, 1))).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it('stays finite for huge attempt counts', () => {
    expect(backoffDelayMs(10000, backoff, 0.5)).toBe(11250);
  });
});
