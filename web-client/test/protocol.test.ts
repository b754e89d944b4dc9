import { describe, expect, it } from 'vitest';
import { FATAL_JOIN_CODES, isFinalCloseCode, parseServerMessage } from '../src/protocol';

/** Every server → client example of docs/protocol.md, as the server sends it. */
const EXAMPLES: Record<string, unknown> = {
  joined: {
    type: 'joined', re: 1, protocol: 1,
    room: { id: '3fk9q2', name: 'Friday panel' },
    participantId: 'p-7', role: 'presenter', resumed: false,
    resume: { participantId: 'p-7', secret: 'Qm9v' },
    iceServers: [{ urls: ['stun:palco.example:3478'] }],
    participants: [
      { id: 'p-3', name: 'Grace Hopper', role: 'moderator',
        tracks: [{ trackId: 't-11', kind: 'audio', source: 'microphone', muted: false },
                 { trackId: 't-12', kind: 'video', source: 'camera', muted: false }] },
    ],
  },
  'publish.answer': { type: 'publish.answer', re: 2, sdp: 'v=0\r\n' },
  'subscribe.offer': {
    type: 'subscribe.offer', revision: 4, sdp: 'v=0\r\n',
    tracks: [{ mid: '2', participantId: 'p-3', trackId: 't-11', kind: 'audio', source: 'microphone' },
             { mid: '3', participantId: 'p-3', trackId: 't-12', kind: 'video', source: 'camera' }],
  },
  trickle: { type: 'trickle', candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
  'participant.joined': { type: 'participant.joined', participant: { id: 'p-9', name: 'Alan Turing', role: 'presenter', tracks: [] } },
  'participant.left': { type: 'participant.left', participantId: 'p-9', reason: 'left' },
  'track.published': { type: 'track.published', participantId: 'p-9', track: { trackId: 't-21', kind: 'video', source: 'screen', muted: false } },
  'track.unpublished': { type: 'track.unpublished', participantId: 'p-9', trackId: 't-21' },
  'track.muted': { type: 'track.muted', participantId: 'p-9', trackId: 't-20', muted: true, by: 'p-9' },
  'muted.by.moderator': { type: 'muted.by.moderator', kind: 'audio', by: 'p-3' },
  removed: { type: 'removed', reason: 'Off-topic', by: 'p-3' },
  'room.ended': { type: 'room.ended', reason: 'ended by moderator' },
  pong: { type: 'pong', re: 9 },
  error: { type: 'error', re: 2, code: 'sdp-invalid', message: 'm=video mid=1: no supported codec (offered: VP9, AV1)' },
  'track.paused': { type: 'track.paused', participantId: 'p-3', trackId: 't-12', paused: true, reason: 'last-n' },
};

describe('parseServerMessage', () => {
  it.each(Object.entries(EXAMPLES))('reads the documented %s example', (type, example) => {
    const result = parseServerMessage(JSON.stringify(example));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok) expect(result.message.type).toBe(type);
  });

  it('keeps the fields of joined', () => {
    const result = parseServerMessage(JSON.stringify(EXAMPLES['joined']));
    if (!result.ok || result.message.type !== 'joined') throw new Error('not parsed');
    expect(result.message).toEqual(EXAMPLES['joined']);
  });

  it('keeps the mid map of subscribe.offer', () => {
    const result = parseServerMessage(JSON.stringify(EXAMPLES['subscribe.offer']));
    if (!result.ok || result.message.type !== 'subscribe.offer') throw new Error('not parsed');
    expect(result.message.tracks.map((t) => [t.mid, t.participantId, t.trackId])).toEqual([
      ['2', 'p-3', 't-11'],
      ['3', 'p-3', 't-12'],
    ]);
  });

  it('reads track.paused with its reason, and a resume without one', () => {
    expect(parseServerMessage(JSON.stringify(EXAMPLES['track.paused']))).toEqual({ ok: true, message: EXAMPLES['track.paused'] });
    expect(parseServerMessage('{"type":"track.paused","participantId":"p-3","trackId":"t-12","paused":false}')).toEqual({
      ok: true,
      message: { type: 'track.paused', participantId: 'p-3', trackId: 't-12', paused: false, reason: null },
    });
    expect(parseServerMessage('{"type":"track.paused","participantId":"p-3","trackId":"t-12","paused":"yes"}').ok).toBe(false);
    expect(parseServerMessage('{"type":"track.paused","participantId":"p-3","paused":true}').ok).toBe(false);
  });

  it('reads the end-of-candidates trickle as null', () => {
    const result = parseServerMessage('{"type":"trickle","candidate":null}');
    expect(result).toEqual({ ok: true, message: { type: 'trickle', candidate: null } });
  });

  it('accepts speaker.changed with one id, a list, or silence', () => {
    expect(parseServerMessage('{"type":"speaker.changed","participantId":"p-3"}')).toEqual({
      ok: true,
      message: { type: 'speaker.changed', participantIds: ['p-3'] },
    });
    expect(parseServerMessage('{"type":"speaker.changed","participantIds":["p-3","p-9"]}')).toEqual({
      ok: true,
      message: { type: 'speaker.changed', participantIds: ['p-3', 'p-9'] },
    });
    expect(parseServerMessage('{"type":"speaker.changed","participantId":null}')).toEqual({
      ok: true,
      message: { type: 'speaker.changed', participantIds: [] },
    });
  });

  it('reads broadcast.state on and off air, and refuses a live flag that is not a boolean', () => {
    expect(parseServerMessage('{"type":"broadcast.state","live":true,"playlist":"/hls/r1/index.m3u8"}')).toEqual({
      ok: true,
      message: { type: 'broadcast.state', live: true, playlist: '/hls/r1/index.m3u8' },
    });
    expect(parseServerMessage('{"type":"broadcast.state","live":false}')).toEqual({
      ok: true,
      message: { type: 'broadcast.state', live: false, playlist: null },
    });
    expect(parseServerMessage('{"type":"broadcast.state","live":"yes"}').ok).toBe(false);
  });

  it('reads the optional track ids of publish.answer', () => {
    const result = parseServerMessage('{"type":"publish.answer","re":3,"sdp":"v=0","tracks":[{"mid":"0","trackId":"t-1"}]}');
    expect(result).toEqual({ ok: true, message: { type: 'publish.answer', re: 3, sdp: 'v=0', tracks: [{ mid: '0', trackId: 't-1' }] } });
  });

  it('fills documented defaults where the server leaves fields out', () => {
    expect(parseServerMessage('{"type":"error","code":"internal"}')).toEqual({
      ok: true,
      message: { type: 'error', code: 'internal', message: '' },
    });
    expect(parseServerMessage('{"type":"participant.left","participantId":"p-1"}')).toEqual({
      ok: true,
      message: { type: 'participant.left', participantId: 'p-1', reason: 'left' },
    });
  });

  const MALFORMED: [string, string, RegExp][] = [
    ['empty frame', '', /not JSON/],
    ['not JSON', '{type: joined}', /not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['a string', '"joined"', /not a JSON object/],
    ['no type', '{"re":1}', /type: missing/],
    ['numeric type', '{"type":7}', /type: missing/],
    ['unknown type', '{"type":"teleport"}', /unknown type "teleport"/],
    ['prototype key as type', '{"type":"constructor"}', /unknown type/],
    ['joined without room', '{"type":"joined","protocol":1,"participantId":"p","role":"presenter","resume":{"participantId":"p","secret":"s"}}', /room/],
    ['joined with unknown role', '{"type":"joined","protocol":1,"room":{"id":"r","name":"n"},"participantId":"p","role":"king","resume":{"participantId":"p","secret":"s"}}', /role/],
    ['joined with a bad participant', '{"type":"joined","protocol":1,"room":{"id":"r","name":"n"},"participantId":"p","role":"presenter","resume":{"participantId":"p","secret":"s"},"participants":[{"id":"x"}]}', /participants\[0\]\.name/],
    ['joined with bad ice urls', '{"type":"joined","protocol":1,"room":{"id":"r","name":"n"},"participantId":"p","role":"presenter","resume":{"participantId":"p","secret":"s"},"iceServers":[{"urls":[1]}]}', /urls/],
    ['offer without sdp', '{"type":"subscribe.offer","revision":1,"tracks":[]}', /sdp/],
    ['offer with string revision', '{"type":"subscribe.offer","revision":"1","sdp":"v=0","tracks":[]}', /revision/],
    ['offer with a bad kind', '{"type":"subscribe.offer","revision":1,"sdp":"v=0","tracks":[{"mid":"0","participantId":"p","trackId":"t","kind":"smell","source":"camera"}]}', /tracks\[0\]\.kind/],
    ['offer with a track that is not an object', '{"type":"subscribe.offer","revision":1,"sdp":"v=0","tracks":[7]}', /tracks\[0\]/],
    ['trickle without candidate', '{"type":"trickle"}', /candidate/],
    ['trickle with a string candidate', '{"type":"trickle","candidate":"candidate:1"}', /candidate/],
    ['track.muted without muted', '{"type":"track.muted","participantId":"p","trackId":"t"}', /muted/],
    ['error without code', '{"type":"error","re":1}', /code/],
    ['re that is not a number', '{"type":"pong","re":"9"}', /re/],
    ['infinite revision', '{"type":"subscribe.offer","revision":1e999,"sdp":"v=0","tracks":[]}', /revision/],
  ];

  it.each(MALFORMED)('refuses %s with a reason', (_name, frame, reason) => {
    const result = parseServerMessage(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('never throws on mangled frames (seeded)', () => {
    // A small linear congruential generator: reproducible without a library.
    let seed = 0x5eed;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const valid = Object.values(EXAMPLES).map((e) => JSON.stringify(e));
    const alphabet = '{}[]":,0123456789.-eE truefalsnul\\"typejoined';
    let parsed = 0;
    let reasonless = 0;
    for (let i = 0; i < 20000; i++) {
      const base = valid[i % valid.length] ?? '';
      const chars = [...base];
      const edits = 1 + Math.floor(next() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (chars.length + 1));
        const op = next();
        const c = alphabet[Math.floor(next() * alphabet.length)] ?? '"';
        if (op < 0.33) chars.splice(at, 1);
        else if (op < 0.66) chars.splice(at, 0, c);
        else chars[at] = c;
      }
      const frame = i % 10 === 0 ? chars.slice(0, Math.floor(next() * chars.length)).join('') : chars.join('');
      const result = parseServerMessage(frame);
      if (result.ok) parsed++;
      else if (typeof result.reason !== 'string' || result.reason === '') reasonless++;
    }
    expect(reasonless).toBe(0);
    expect(parsed).toBeGreaterThan(0);
  });
});

describe('close codes and fatal errors', () => {
  it('treats the four session-ending close codes as final', () => {
    expect([4000, 4001, 4003, 4004].every(isFinalCloseCode)).toBe(true);
    expect([1000, 1001, 1006, 1008, 1009, 1011, 4002].some(isFinalCloseCode)).toBe(false);
  });

  it('lists every token refusal of the protocol as fatal', () => {
    for (const code of ['token-malformed', 'token-bad-signature', 'token-expired', 'token-wrong-room', 'room-not-found']) {
      expect(FATAL_JOIN_CODES.has(code)).toBe(true);
    }
    expect(FATAL_JOIN_CODES.has('internal')).toBe(false);
    expect(FATAL_JOIN_CODES.has('rate-limited')).toBe(false);
  });
});
