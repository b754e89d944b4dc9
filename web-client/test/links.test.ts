import { describe, expect, it } from 'vitest';
import { absoluteLink, base64UrlDecode, checkLink, parseStageLocation, peekToken, stagePath, webSocketUrl } from '../src/links';
import { base64Url, makeToken } from './fakes';

const EXP_2026 = 1795392000; // 2026-11-22T00:00:00Z
const NOW_BEFORE = (EXP_2026 - 3600) * 1000;
const NOW_AFTER = (EXP_2026 + 1) * 1000;

describe('parseStageLocation', () => {
  it('reads the room from the path and the token from t', () => {
    expect(parseStageLocation('/r/3fk9q2', '?t=v1.abc.def')).toEqual({ ok: true, roomId: '3fk9q2', token: 'v1.abc.def' });
  });

  it('allows a trailing slash and other query parameters', () => {
    expect(parseStageLocation('/r/3fk9q2/', '?x=1&t=v1.a.b&y=2')).toEqual({ ok: true, roomId: '3fk9q2', token: 'v1.a.b' });
  });

  it('decodes a percent-encoded room id', () => {
    expect(parseStageLocation('/r/room%5F1', '?t=tok')).toEqual({ ok: true, roomId: 'room_1', token: 'tok' });
  });

  it.each([
    ['/', ''],
    ['/r/', '?t=x'],
    ['/r', '?t=x'],
    ['/room/3fk9q2', '?t=x'],
    ['/r/a/b', '?t=x'],
    ['/r/%E0%A4%A', '?t=x'],
    ['/r/has%20space', '?t=x'],
    ['/r/' + 'a'.repeat(65), '?t=x'],
  ])('finds no room in %s%s', (path, search) => {
    expect(parseStageLocation(path, search)).toEqual({ ok: false, problem: 'no-room' });
  });

  it.each(['', '?t=', '?t=%20', '?token=v1.a.b'])('finds no token in "%s"', (search) => {
    expect(parseStageLocation('/r/3fk9q2', search)).toEqual({ ok: false, problem: 'no-token', roomId: '3fk9q2' });
  });
});

describe('base64UrlDecode', () => {
  it('decodes the url-safe alphabet without padding', () => {
    expect([...(base64UrlDecode('-_8') ?? [])]).toEqual([0xfb, 0xff]);
    expect(new TextDecoder().decode(base64UrlDecode('eyJhIjoxfQ') ?? new Uint8Array())).toBe('{"a":1}');
  });

  it.each(['a', 'ab+c', 'ab/c', 'ab=c', 'abcde', 'ab c'])('refuses %s', (text) => {
    expect(base64UrlDecode(text)).toBeNull();
  });
});

describe('peekToken', () => {
  it('reads the claims of the documented example shape', () => {
    const token = makeToken({ room: '3fk9q2', role: 'presenter', exp: EXP_2026 });
    expect(peekToken(token)).toEqual({ ok: true, claims: { room: '3fk9q2', role: 'presenter', exp: EXP_2026 } });
  });

  it('ignores unknown fields', () => {
    const token = makeToken({ room: 'r', role: 'moderator', exp: 1, nonce: 'x' });
    expect(peekToken(token)).toEqual({ ok: true, claims: { room: 'r', role: 'moderator', exp: 1 } });
  });

  const sig = base64Url('signature');
  it.each([
    ['two parts', `v1.${base64Url('{}')}`],
    ['four parts', `v1.a.b.c`],
    ['another version', `v2.${base64Url('{"room":"r","role":"presenter","exp":1}')}.${sig}`],
    ['standard base64 payload', `v1.eyJyb29tIjoiciJ9+/.${sig}`],
    ['empty signature', `v1.${base64Url('{"room":"r","role":"presenter","exp":1}')}.`],
    ['payload not JSON', `v1.${base64Url('room=r')}.${sig}`],
    ['payload not an object', `v1.${base64Url('42')}.${sig}`],
    ['invalid UTF-8 (bytes ff fe)', `v1.__4.${sig}`],
    ['missing exp', `v1.${base64Url('{"room":"r","role":"presenter"}')}.${sig}`],
    ['string exp', `v1.${base64Url('{"room":"r","role":"presenter","exp":"1"}')}.${sig}`],
    ['unknown role', `v1.${base64Url('{"room":"r","role":"admin","exp":1}')}.${sig}`],
    ['missing room', `v1.${base64Url('{"role":"presenter","exp":1}')}.${sig}`],
  ])('calls a token with %s malformed', (_name, token) => {
    expect(peekToken(token)).toEqual({ ok: false, problem: 'token-malformed' });
  });
});

describe('checkLink', () => {
  const token = makeToken({ room: '3fk9q2', role: 'presenter', exp: EXP_2026 });

  it('finds nothing wrong with a fresh token for this room', () => {
    expect(checkLink('3fk9q2', token, NOW_BEFORE)).toBeNull();
  });

  it('warns about an expired token', () => {
    expect(checkLink('3fk9q2', token, NOW_AFTER)).toBe('token-expired');
    expect(checkLink('3fk9q2', token, EXP_2026 * 1000)).toBe('token-expired');
  });

  it('warns about a token for another room', () => {
    expect(checkLink('other', token, NOW_BEFORE)).toBe('token-wrong-room');
  });

  it('warns about a malformed token', () => {
    expect(checkLink('3fk9q2', 'garbage', NOW_BEFORE)).toBe('token-malformed');
  });
});

describe('URLs', () => {
  it('uses ws: for http pages and wss: for https pages, on the same host', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws');
    expect(webSocketUrl({ protocol: 'https:', host: 'palco.example' })).toBe('wss://palco.example/ws');
  });

  it('resolves relative links from the REST API against the page', () => {
    expect(absoluteLink('/r/abc?t=v1.x.y', 'http://localhost:8080')).toBe('http://localhost:8080/r/abc?t=v1.x.y');
    expect(absoluteLink('https://palco.example/r/abc?t=1', 'http://localhost:8080')).toBe('https://palco.example/r/abc?t=1');
  });

  it('navigates within the origin by path, and elsewhere by full URL', () => {
    expect(stagePath('http://localhost:8080/r/abc?t=1', 'http://localhost:8080')).toBe('/r/abc?t=1');
    expect(stagePath('https://palco.example/r/abc?t=1', 'http://localhost:8080')).toBe('https://palco.example/r/abc?t=1');
  });
});
