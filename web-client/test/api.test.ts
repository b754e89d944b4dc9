import { describe, expect, it } from 'vitest';
import { type FetchLike, createRoom } from '../src/api';

function answering(status: number, body: string, seen: unknown[] = []): FetchLike {
  return (input, init) => {
    seen.push([input, init]);
    return Promise.resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(body) });
  };
}

describe('createRoom', () => {
  it('posts the name as JSON and reads the links', async () => {
    const seen: unknown[] = [];
    const body = JSON.stringify({
      id: '3fk9q2',
      name: 'Friday panel',
      links: { moderator: '/r/3fk9q2?t=m', presenter: '/r/3fk9q2?t=p' },
      expiresAt: '2026-11-22T00:00:00Z',
    });
    const result = await createRoom('Friday panel', answering(201, body, seen));
    expect(seen).toEqual([
      ['/api/rooms', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"name":"Friday panel"}' }],
    ]);
    expect(result).toEqual({
      ok: true,
      value: { id: '3fk9q2', name: 'Friday panel', links: { moderator: '/r/3fk9q2?t=m', presenter: '/r/3fk9q2?t=p' }, expiresAt: '2026-11-22T00:00:00Z' },
    });
  });

  it('passes the server refusal on as it is', async () => {
    const result = await createRoom('x', answering(503, '{"error":{"code":"server-full","message":"100 rooms open"}}'));
    expect(result).toEqual({ ok: false, code: 'server-full', message: '100 rooms open' });
  });

  it('describes a refusal without a JSON body by its status', async () => {
    expect(await createRoom('x', answering(502, '<html>Bad gateway</html>'))).toEqual({ ok: false, code: 'http-502', message: 'The server answered 502.' });
  });

  it('says the server is unreachable when fetch fails', async () => {
    const result = await createRoom('x', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(result).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it.each(['not json', '{}', '{"id":"r","links":{"moderator":"m"}}', '{"id":7,"links":{"moderator":"m","presenter":"p"}}'])(
    'refuses an answer it cannot use: %s',
    async (body) => {
      expect(await createRoom('x', answering(201, body))).toMatchObject({ ok: false, code: 'bad-response' });
    },
  );
});
