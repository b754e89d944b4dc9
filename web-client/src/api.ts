/**
 * The REST calls the pages make (docs/protocol.md, "REST").
 */

export interface CreatedRoom {
  id: string;
  name: string;
  links: { moderator: string; presenter: string; audience?: string };
  /** ISO 8601, when the links stop working. */
  expiresAt: string | null;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** The subset of `fetch` used here, injectable for tests. */
export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

/** Reads the `{"error": {"code", "message"}}` body of a refusal, or describes the status. */
function refusal(status: number, body: string): { ok: false; code: string; message: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error = (parsed as { error: unknown }).error;
      if (typeof error === 'object' && error !== null) {
        const { code, message } = error as Record<string, unknown>;
        if (typeof code === 'string') {
          return { ok: false, code, message: typeof message === 'string' ? message : '' };
        }
      }
    }
  } catch {
    // Not JSON: a proxy's error page, say. Fall through to the status.
  }
  return { ok: false, code: `http-${status}`, message: `The server answered ${status}.` };
}

/** `POST /api/rooms`: creates a room and returns its links. */
export async function createRoom(name: string, fetchImpl: FetchLike): Promise<ApiResult<CreatedRoom>> {
  let response;
  try {
    response = await fetchImpl('/api/rooms', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name }),
    });
  } catch {
    return { ok: false, code: 'unreachable', message: 'The Palco server could not be reached.' };
  }
  const body = await response.text().catch(() => '');
  if (!response.ok) return refusal(response.status, body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, code: 'bad-response', message: 'The server sent an answer this page cannot read.' };
  }
  const room = parsed as Record<string, unknown>;
  const links = room['links'] as Record<string, unknown> | undefined;
  if (
    typeof room['id'] !== 'string' ||
    typeof links !== 'object' ||
    links === null ||
    typeof links['moderator'] !== 'string' ||
    typeof links['presenter'] !== 'string'
  ) {
    return { ok: false, code: 'bad-response', message: 'The server sent an answer this page cannot read.' };
  }
  const value: CreatedRoom = {
    id: room['id'],
    name: typeof room['name'] === 'string' ? room['name'] : name,
    links: { moderator: links['moderator'], presenter: links['presenter'] },
    expiresAt: typeof room['expiresAt'] === 'string' ? room['expiresAt'] : null,
  };
  if (typeof links['audience'] === 'string') value.links.audience = links['audience'];
  return { ok: true, value };
}
