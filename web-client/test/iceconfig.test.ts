import { describe, expect, it } from 'vitest';
import { parseRelayMode, peerConfiguration, turnTransport } from '../src/iceconfig';

const SERVERS = [
  { urls: ['stun:turn.example.org:3478'] },
  {
    urls: [
      'turn:turn.example.org:3478?transport=udp',
      'turn:turn.example.org:3478?transport=tcp',
      'turns:turn.example.org:443?transport=tcp',
    ],
    username: '1700000000:room/p-1',
    credential: 'secret',
  },
];

describe('parseRelayMode', () => {
  it('reads the four modes and ignores anything else', () => {
    expect(parseRelayMode('?t=x&relay=udp')).toBe('udp');
    expect(parseRelayMode('?relay=tcp')).toBe('tcp');
    expect(parseRelayMode('?relay=tls')).toBe('tls');
    expect(parseRelayMode('?relay=any')).toBe('any');
    expect(parseRelayMode('?relay=TCP')).toBeNull();
    expect(parseRelayMode('?relay=')).toBeNull();
    expect(parseRelayMode('?t=x')).toBeNull();
  });
});

describe('turnTransport', () => {
  it('follows RFC 7065: turn defaults to udp, turns is tls', () => {
    expect(turnTransport('turn:h:3478')).toBe('udp');
    expect(turnTransport('turn:h:3478?transport=udp')).toBe('udp');
    expect(turnTransport('turn:h:3478?transport=tcp')).toBe('tcp');
    expect(turnTransport('turns:h:443?transport=tcp')).toBe('tls');
    expect(turnTransport('turn:[2001:db8::1]:3478?transport=tcp')).toBe('tcp');
    expect(turnTransport('stun:h:3478')).toBeNull();
    expect(turnTransport('turn:h:3478?transport=sctp')).toBeNull();
  });
});

describe('peerConfiguration', () => {
  it('passes the servers through when nothing is forced', () => {
    const c = peerConfiguration(SERVERS, null);
    expect(c.iceTransportPolicy).toBeUndefined();
    expect(c.iceServers).toEqual(SERVERS);
    expect(c.bundlePolicy).toBe('max-bundle');
    expect(c.rtcpMuxPolicy).toBe('require');
  });

  it('keeps only the TURN URLs of the forced transport, with the credential', () => {
    expect(peerConfiguration(SERVERS, 'tcp')).toEqual({
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
      iceTransportPolicy: 'relay',
      iceServers: [
        { urls: ['turn:turn.example.org:3478?transport=tcp'], username: '1700000000:room/p-1', credential: 'secret' },
      ],
    });
    expect(peerConfiguration(SERVERS, 'udp').iceServers?.[0]?.urls).toEqual(['turn:turn.example.org:3478?transport=udp']);
    expect(peerConfiguration(SERVERS, 'tls').iceServers?.[0]?.urls).toEqual(['turns:turn.example.org:443?transport=tcp']);
    expect(peerConfiguration(SERVERS, 'any').iceServers?.[0]?.urls).toHaveLength(3);
  });

  it('ends with no servers when the server offered no TURN (the page then cannot connect, as asked)', () => {
    const c = peerConfiguration([{ urls: 'stun:h:3478' }], 'udp');
    expect(c.iceServers).toEqual([]);
    expect(c.iceTransportPolicy).toBe('relay');
  });
});
