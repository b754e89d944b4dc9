/**
 * Join links: `/r/{roomId}?t=<token>`, and a look inside the token.
 *
 * The page never verifies a token: only the server holds the secret. It reads the payload to
 * greet the user with their role and to warn early about a link that is plainly broken or out
 * of date; the server's verdict at join time is the one shown as final.
 */

import type { Role } from './protocol';

/** Room ids are short url-safe strings; anything else is not a link this server made. */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type StageLocation =
  | { ok: true; roomId: string; token: string }
  | { ok: false; problem: 'no-room' | 'no-token'; roomId?: string };

/** Reads the room id from `/r/{roomId}` (a trailing slash is allowed) and the token `t`. */
export function parseStageLocation(pathname: string, search: string): StageLocation {
  return parseRoomLocation('r', pathname, search);
}

/** Reads the room id from the audience page's `/a/{roomId}` and the token `t`. */
export function parseAudienceLocation(pathname: string, search: string): StageLocation {
  return parseRoomLocation('a', pathname, search);
}

function parseRoomLocation(prefix: 'r' | 'a', pathname: string, search: string): StageLocation {
  const match = (prefix === 'r' ? /^\/r\/([^/]+)\/?$/ : /^\/a\/([^/]+)\/?$/).exec(pathname);
  let roomId: string | undefined;
  if (match?.[1] !== undefined) {
    try {
      roomId = decodeURIComponent(match[1]);
    } catch {
      roomId = undefined;
    }
  }
  if (roomId === undefined || !ROOM_ID.test(roomId)) return { ok: false, problem: 'no-room' };
  const token = new URLSearchParams(search).get('t')?.trim() ?? '';
  if (token === '') return { ok: false, problem: 'no-token', roomId };
  return { ok: true, roomId, token };
}

/** The payload of a `v1.<payload>.<signature>` token, unverified. */
export interface TokenClaims {
  room: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type TokenPeek =
  | { ok: true; claims: TokenClaims }
  | { ok: false; problem: 'token-malformed' };

/** Decodes base64url without padding (RFC 4648 §5) into bytes, or null if it is not. */
export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads a token's claims without checking its signature. */
export function peekToken(token: string): TokenPeek {
  const bad = { ok: false, problem: 'token-malformed' } as const;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || parts[1] === undefined || parts[2] === undefined) return bad;
  if (parts[2] === '' || base64UrlDecode(parts[2]) === null) return bad;
  const payloadBytes = base64UrlDecode(parts[1]);
  if (payloadBytes === null) return bad;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return bad;
  }
  if (typeof payload !== 'object' || payload === null) return bad;
  const { room, role, exp } = payload as Record<string, unknown>;
  if (typeof room !== 'string' || typeof exp !== 'number' || !Number.isFinite(exp)) return bad;
  if (role !== 'moderator' && role !== 'presenter' && role !== 'audience') return bad;
  return { ok: true, claims: { room, role, exp } };
}

/** What the page can tell about a link before the server sees it. */
export type LinkWarning = 'token-malformed' | 'token-expired' | 'token-wrong-room';

/**
 * Checks a link the way the server will, minus the signature, so the device check can warn
 * before the user sets up their camera for nothing. Returns null when nothing looks wrong.
 */
export function checkLink(roomId: string, token: string, nowMs: number): LinkWarning | null {
  const peek = peekToken(token);
  if (!peek.ok) return peek.problem;
  if (peek.claims.room !== roomId) return 'token-wrong-room';
  if (peek.claims.exp * 1000 <= nowMs) return 'token-expired';
  return null;
}

/** The signaling WebSocket's URL on the page's own origin: `ws:` for http, `wss:` for https. */
export function webSocketUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

/** Makes a link from the REST API absolute, resolving a relative one against the page. */
export function absoluteLink(link: string, origin: string): string {
  try {
    return new URL(link, origin).toString();
  } catch {
    return link;
  }
}

/** The path of a stage link (path and query) so the page can navigate within its origin. */
export function stagePath(link: string, origin: string): string {
  const url = new URL(link, origin);
  return url.origin === new URL(origin).origin ? url.pathname + url.search : url.toString();
}
