/**
 * The peer connection's ICE configuration from the `iceServers` the server sent in `joined`.
 *
 * A stage link may carry `relay=udp|tcp|tls|any`: the page then uses TURN only
 * (`iceTransportPolicy: 'relay'`) and, for udp/tcp/tls, only the TURN URLs of that transport. Support
 * staff use it to check what a participant behind a strict firewall will get; the browser tests
 * use it to prove each TURN path.
 */

import type { IceServerInfo } from './protocol';

export type RelayMode = 'udp' | 'tcp' | 'tls' | 'any';

const RELAY_MODES: readonly RelayMode[] = ['udp', 'tcp', 'tls', 'any'];

/** Reads `relay` from a query string; anything but the four modes means no forcing. */
export function parseRelayMode(search: string): RelayMode | null {
  const value = new URLSearchParams(search).get('relay');
  return value !== null && (RELAY_MODES as readonly string[]).includes(value) ? (value as RelayMode) : null;
}

/** Which transport a TURN URL uses (RFC 7065 §3.1: `?transport=` defaults to UDP for turn:). */
export function turnTransport(url: string): 'udp' | 'tcp' | 'tls' | null {
  const match = /^(turns?):[^?]*(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (match === null) return null;
  if (match[1]!.toLowerCase() === 'turns') return 'tls';
  return match[2]?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
}

/** The RTCConfiguration for the stage's single peer connection. */
export function peerConfiguration(servers: readonly IceServerInfo[], relay: RelayMode | null): RTCConfiguration {
  const base: RTCConfiguration = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
  if (relay === null) return { ...base, iceServers: servers.map((s) => ({ ...s })) };
  const iceServers: RTCIceServer[] = [];
  for (const server of servers) {
    const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((url) => {
      const transport = turnTransport(url);
      return transport !== null && (relay === 'any' || transport === relay);
    });
    if (urls.length > 0) iceServers.push({ ...server, urls });
  }
  return { ...base, iceServers, iceTransportPolicy: 'relay' };
}
