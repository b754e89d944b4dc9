import { describe, expect, it } from 'vitest';
import { AudienceClient, type AudienceEnd } from '../src/audienceClient';
import { type AudienceServerMessage, type Question, parseAudienceMessage } from '../src/audienceProtocol';
import { parseAudienceLocation } from '../src/links';
import { parseServerMessage } from '../src/protocol';
import { AudienceModel, MAX_CHAT_LINES, audienceQuestions, charCount, moderatorQueue, myUnlisted, secondsUntil } from '../src/qa';
import { FakeScheduler, FakeSocket, flush } from './fakes';

function q(id: string, votes: number, state: Question['state'] = 'approved', askedAt = '2026-05-01T10:00:00Z'): Question {
  return { id, name: `Asker ${id}`, text: `Question ${id}`, votes, state, askedAt };
}

const EXAMPLES: Record<string, unknown> = {
  joined: {
    type: 'audience.joined',
    re: 1,
    protocol: 1,
    room: { id: 'r1', name: 'Friday panel' },
    viewerId: 'v-7',
    resumed: false,
    resume: { viewerId: 'v-7', secret: 's3cr3t' },
    you: { name: 'Ann', votes: ['q-1'], questions: [q('q-2', 0, 'pending')], hand: 'down' },
    limits: { questionChars: 280, chatChars: 300, nameChars: 40 },
  },
  state: {
    type: 'audience.state',
    questions: [q('q-1', 3)],
    pinned: q('q-1', 3),
    chat: [{ id: 'c-1', name: 'Ann', text: 'hi', at: '2026-05-01T10:00:00Z' }],
    chatEnabled: true,
    stream: null,
  },
  update: {
    type: 'audience.update',
    questions: [q('q-1', 4)],
    removedQuestions: ['q-9'],
    pinned: null,
    chat: [{ id: 'c-2', name: 'Bob', text: 'yo', at: '2026-05-01T10:00:01Z' }],
    hands: [{ viewerId: 'v-3', name: 'Cy', state: 'raised', raisedAt: '2026-05-01T10:00:00Z', connected: true }],
    viewers: 12,
  },
  invite: { type: 'stage.invite', grant: 'g1.a.b', expiresAt: '2026-05-01T10:01:00Z', by: 'Mia' },
  hand: { type: 'hand.state', re: 4, state: 'invited', expiresAt: '2026-05-01T10:01:00Z' },
  banned: { type: 'banned', reason: 'Spam' },
  error: { type: 'error', re: 3, code: 'slow-down', message: 'too many questions; try again in 20 s' },
};

describe('audience messages', () => {
  it('reads every example', () => {
    for (const [name, example] of Object.entries(EXAMPLES)) {
      const result = parseAudienceMessage(JSON.stringify(example));
      expect(result.ok, name).toBe(true);
    }
  });

  it('keeps a pinned null apart from no pinned change', () => {
    const cleared = parseAudienceMessage('{"type":"audience.update","pinned":null}');
    const untouched = parseAudienceMessage('{"type":"audience.update","viewers":3}');
    expect(cleared.ok && cleared.message.type === 'audience.update' && 'pinned' in cleared.message).toBe(true);
    expect(untouched.ok && untouched.message.type === 'audience.update' && 'pinned' in untouched.message).toBe(false);
  });

  it.each([
    ['a question with an unknown state', '{"type":"audience.update","questions":[{"id":"q","name":"n","text":"t","votes":1,"state":"deleted"}]}', /state/],
    ['votes as a string', '{"type":"audience.state","questions":[{"id":"q","name":"n","text":"t","votes":"1","state":"approved"}],"chat":[]}', /votes/],
    ['a hand state of a later version', '{"type":"audience.update","hands":[{"viewerId":"v","name":"n","state":"waving"}]}', /state/],
    ['an invite without a grant', '{"type":"stage.invite","expiresAt":"x"}', /grant/],
    ['a stream that is a number', '{"type":"audience.update","stream":5}', /stream/],
  ])('refuses %s with a reason', (_name, frame, reason) => {
    const result = parseAudienceMessage(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('never throws on mangled frames (seeded)', () => {
    let seed = 0xa0d1;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const valid = Object.values(EXAMPLES).map((e) => JSON.stringify(e));
    const alphabet = '{}[]":,0123456789.-e truefalsnul\\"';
    let parsed = 0;
    let reasonless = 0;
    for (let i = 0; i < 5000; i++) {
      const chars = [...(valid[i % valid.length] ?? '')];
      for (let e = 0; e < 1 + Math.floor(next() * 4); e++) {
        const at = Math.floor(next() * (chars.length + 1));
        const c = alphabet[Math.floor(next() * alphabet.length)] ?? '"';
        if (next() < 0.5) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      const result = parseAudienceMessage(chars.join(''));
      if (result.ok) parsed++;
      else if (result.reason === '') reasonless++;
    }
    expect(reasonless).toBe(0);
    expect(parsed).toBeGreaterThan(0);
  });

  it('reaches the stage page through its own parser too', () => {
    expect(parseServerMessage(JSON.stringify(EXAMPLES['update'])).ok).toBe(true);
    expect(parseServerMessage('{"type":"ack","re":4}').ok).toBe(true);
    expect(parseServerMessage('{"type":"sent.back","by":"p-1"}').ok).toBe(true);
  });

  it('reads the audience page location', () => {
    expect(parseAudienceLocation('/a/3fk9q2', '?t=v1.a.b')).toEqual({ ok: true, roomId: '3fk9q2', token: 'v1.a.b' });
    expect(parseAudienceLocation('/r/3fk9q2', '?t=v1.a.b')).toEqual({ ok: false, problem: 'no-room' });
    expect(parseAudienceLocation('/a/3fk9q2/', '')).toEqual({ ok: false, problem: 'no-token', roomId: '3fk9q2' });
  });
});

describe('the audience model', () => {
  it('sorts the audience list by votes, oldest first on a tie, answered last', () => {
    const m = new AudienceModel();
    m.reset({
      type: 'audience.state',
      questions: [q('q-1', 2), q('q-2', 5, 'answered'), q('q-3', 2, 'approved', '2026-05-01T09:00:00Z'), q('q-4', 9)],
      pinned: null,
      chat: [],
      chatEnabled: true,
      stream: null,
    });
    expect(audienceQuestions(m).map((x) => x.id)).toEqual(['q-4', 'q-3', 'q-1', 'q-2']);
  });

  it('puts waiting questions first in the moderator queue, each group by votes', () => {
    const m = new AudienceModel();
    m.reset({
      type: 'audience.state',
      questions: [q('q-1', 1, 'approved'), q('q-2', 0, 'pending'), q('q-3', 7, 'approved'), q('q-4', 2, 'pending'), q('q-5', 9, 'hidden')],
      pinned: null,
      chat: [],
      chatEnabled: true,
      stream: null,
    });
    expect(moderatorQueue(m).map((x) => x.id)).toEqual(['q-4', 'q-2', 'q-3', 'q-1', 'q-5']);
    m.apply({ type: 'audience.update', pinned: q('q-1', 1) });
    expect(moderatorQueue(m)[0]?.id).toBe('q-1');
  });

  it('applies updates idempotently and keeps the chat deduplicated and bounded', () => {
    const m = new AudienceModel();
    m.reset(EXAMPLES['state'] as never);
    const update = parseAudienceMessage(JSON.stringify(EXAMPLES['update']));
    if (!update.ok || update.message.type !== 'audience.update') throw new Error('bad example');
    m.apply(update.message);
    m.apply(update.message);
    expect(m.chat.map((c) => c.id)).toEqual(['c-1', 'c-2']);
    expect(m.pinned).toBeNull();
    expect(m.viewers).toBe(12);
    expect([...m.hands.keys()]).toEqual(['v-3']);
    m.apply({ type: 'audience.update', hands: [{ viewerId: 'v-3', name: 'Cy', state: 'down', raisedAt: '', connected: true }] });
    expect(m.hands.size).toBe(0);
    const lines = Array.from({ length: MAX_CHAT_LINES + 50 }, (_, i) => ({ id: `c-${i + 10}`, name: 'n', text: 't', at: '' }));
    m.apply({ type: 'audience.update', chat: lines });
    expect(m.chat.length).toBe(MAX_CHAT_LINES);
    m.apply({ type: 'audience.update', removedChat: [`c-${MAX_CHAT_LINES + 59}`] });
    expect(m.chat.length).toBe(MAX_CHAT_LINES - 1);
  });

  it('keeps this viewer’s own waiting questions apart and follows their state', () => {
    const m = new AudienceModel();
    m.rememberMine(q('q-8', 0, 'pending'));
    expect(myUnlisted(m).map((x) => x.id)).toEqual(['q-8']);
    expect(audienceQuestions(m)).toEqual([]);
    m.apply({ type: 'audience.update', questions: [q('q-8', 3, 'approved')] });
    expect(myUnlisted(m)).toEqual([]);
    expect(m.mine.get('q-8')?.votes).toBe(3);
  });

  it('counts characters as the server does and never counts down below zero', () => {
    expect(charCount('  héllo 👋 ')).toBe(7);
    expect(secondsUntil('2026-05-01T10:00:10Z', Date.parse('2026-05-01T10:00:00Z'))).toBe(10);
    expect(secondsUntil('2026-05-01T10:00:10Z', Date.parse('2026-05-01T10:01:00Z'))).toBe(0);
  });
});

describe('the audience client', () => {
  function setup(resume: { viewerId: string; secret: string } | null = null) {
    const sockets: FakeSocket[] = [];
    const scheduler = new FakeScheduler();
    const events: string[] = [];
    const messages: AudienceServerMessage[] = [];
    let ended: AudienceEnd | null = null;
    const client = new AudienceClient(
      {
        url: 'ws://palco.test/ws/audience',
        token: 'v1.tok.sig',
        name: 'Ann',
        resume,
        socketFactory: (url) => {
          const s = new FakeSocket(url);
          sockets.push(s);
          return s;
        },
        scheduler,
        random: () => 0.5,
      },
      {
        onState: (state) => events.push(state),
        onJoined: (_joined, reconnect) => events.push(reconnect ? 'rejoined' : 'joined!'),
        onMessage: (m) => messages.push(m),
        onEnded: (end) => {
          ended = end;
        },
      },
    );
    return { client, sockets, scheduler, events, messages, ended: () => ended };
  }

  function acceptJoin(socket: FakeSocket, viewerId = 'v-7'): void {
    const join = socket.last();
    socket.receive({ ...(EXAMPLES['joined'] as object), re: join['id'], viewerId, resume: { viewerId, secret: 'sec' } });
  }

  it('joins with the token, the name and a stored resume', () => {
    const t = setup({ viewerId: 'v-7', secret: 'old' });
    t.client.start();
    t.sockets[0]?.open();
    expect(t.sockets[0]?.last()).toMatchObject({ type: 'join', protocol: 1, token: 'v1.tok.sig', name: 'Ann', resume: { viewerId: 'v-7', secret: 'old' } });
  });

  it('matches replies to requests and passes everything else on', async () => {
    const t = setup();
    t.client.start();
    const socket = t.sockets[0] as FakeSocket;
    socket.open();
    acceptJoin(socket);
    const reply = t.client.request({ type: 'question.ask', text: 'Why?' });
    const sent = socket.last();
    expect(sent).toMatchObject({ type: 'question.ask', text: 'Why?' });
    socket.receive({ type: 'audience.update', viewers: 3 });
    socket.receive({ type: 'question.asked', re: sent['id'], question: q('q-1', 0, 'pending') });
    await expect(reply).resolves.toMatchObject({ type: 'question.asked' });
    const refused = t.client.request({ type: 'question.ask', text: 'Again' });
    socket.receive({ type: 'error', re: socket.last()['id'], code: 'slow-down', message: 'try again in 20 s' });
    await expect(refused).rejects.toMatchObject({ code: 'slow-down' });
    expect(t.messages.map((m) => m.type)).toEqual(['audience.update']);
  });

  it('reconnects after a blip and resumes the same viewer session', async () => {
    const t = setup();
    t.client.start();
    (t.sockets[0] as FakeSocket).open();
    acceptJoin(t.sockets[0] as FakeSocket);
    (t.sockets[0] as FakeSocket).serverClose(1006);
    expect(t.client.connectionState).toBe('reconnecting');
    t.scheduler.advance(2000);
    const second = t.sockets[1] as FakeSocket;
    second.open();
    expect(second.last()).toMatchObject({ resume: { viewerId: 'v-7', secret: 'sec' } });
    acceptJoin(second);
    await flush();
    expect(t.events).toContain('rejoined');
  });

  it('ends for good when banned, and does not reconnect', () => {
    const t = setup();
    t.client.start();
    const socket = t.sockets[0] as FakeSocket;
    socket.open();
    acceptJoin(socket);
    socket.receive({ type: 'banned', reason: 'Spam' });
    expect(t.ended()).toEqual({ kind: 'banned', reason: 'Spam' });
    t.scheduler.advance(60000);
    expect(t.sockets.length).toBe(1);
  });

  it('ends with the server’s reason when the link is refused', () => {
    const t = setup();
    t.client.start();
    const socket = t.sockets[0] as FakeSocket;
    socket.open();
    socket.receive({ type: 'error', re: socket.last()['id'], code: 'token-expired', message: 'this link has expired' });
    expect(t.ended()).toEqual({ kind: 'refused', code: 'token-expired', message: 'this link has expired' });
  });
});
