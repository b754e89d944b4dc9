/**
 * Audio codec preferences for what the page publishes.
 *
 * A browser sends the first codec of its transceiver's preferences. Putting Opus wrapped in RED
 * (RFC 2198) first makes it repeat each packet's audio in the next one, so a lost packet costs
 * nothing audible; the SFU passes RED on to the pages that agreed it and unwraps it for the rest
 * (docs/protocol.md).
 */

/** `codecs` with every `audio/red` entry moved to the front, or null when there is none. */
export function redFirst<T extends { mimeType: string }>(codecs: readonly T[]): T[] | null {
  const isRed = (c: T): boolean => c.mimeType.toLowerCase() === 'audio/red';
  const red = codecs.filter(isRed);
  if (red.length === 0) return null;
  return [...red, ...codecs.filter((c) => !isRed(c))];
}

/**
 * Asks `transceiver` to send RED when this browser has it. Browsers without RED, or without
 * `setCodecPreferences`, keep sending plain Opus.
 */
export function preferRed(transceiver: RTCRtpTransceiver): void {
  if (typeof transceiver.setCodecPreferences !== 'function' || typeof RTCRtpReceiver.getCapabilities !== 'function') {
    return;
  }
  // The preferences are checked against what the browser can receive (WebRTC 1.0 §5.4).
  const capabilities = RTCRtpReceiver.getCapabilities('audio');
  const ordered = capabilities === null ? null : redFirst(capabilities.codecs);
  if (ordered === null) return;
  try {
    transceiver.setCodecPreferences(ordered);
  } catch (error) {
    console.warn('palco: RED refused, sending Opus', error);
  }
}
