import { describe, expect, it } from 'vitest';
import type { JoinedMessage } from '../src/protocol';
import { RoomState } from '../src/stage/room';

const JOINED: JoinedMessage = {
  type: 'joined',
  protocol: 1,
  room: { id: '3fk9q2', name: 'Friday panel' },
  participantId: 'p-7',
  role: 'presenter',
  resumed: true,
  resume: { participantId: 'p-7', secret: 's' },
  iceServers: [],
  participants: [
    { id: 'p-3', name: 'Grace Hopper', role: 'moderator', tracks: [{ trackId: 't-11', kind: 'audio', source: 'microphone', muted: false }] },
    // A resumed seat may list ourselves with our tracks.
    { id: 'p-7', name: 'Ada', role: 'presenter', tracks: [{ trackId: 't-20', kind: 'audio', source: 'microphone', muted: true }] },
  ],
};

function room(): RoomState {
  const state = new RoomState();
  state.reset(JOINED);
  return state;
}

describe('RoomState', () => {
  it('takes room, seat and others from joined, keeping our own tracks apart', () => {
    const r = room();
    expect([r.roomId, r.roomName, r.selfId, r.role]).toEqual(['3fk9q2', 'Friday panel', 'p-7', 'presenter']);
    expect([...r.participants.keys()]).toEqual(['p-3']);
    expect(r.ownTrack('microphone')).toEqual({ trackId: 't-20', kind: 'audio', source: 'microphone', muted: true });
  });

  it('follows joins, leaves, publications and mutes', () => {
    const r = room();
    expect(r.apply({ type: 'participant.joined', participant: { id: 'p-9', name: 'Alan Turing', role: 'presenter', tracks: [] } })).toBe(true);
    expect(r.apply({ type: 'track.published', participantId: 'p-9', track: { trackId: 't-21', kind: 'video', source: 'screen', muted: false } })).toBe(true);
    expect(r.trackOf('p-9', 'screen')?.trackId).toBe('t-21');
    expect(r.apply({ type: 'track.muted', participantId: 'p-9', trackId: 't-21', muted: true, by: 'p-3' })).toBe(true);
    expect(r.apply({ type: 'track.muted', participantId: 'p-9', trackId: 't-21', muted: true })).toBe(false);
    expect(r.trackOf('p-9', 'screen')?.muted).toBe(true);
    expect(r.apply({ type: 'track.unpublished', participantId: 'p-9', trackId: 't-21' })).toBe(true);
    expect(r.trackOf('p-9', 'screen')).toBeUndefined();
    expect(r.apply({ type: 'participant.left', participantId: 'p-9', reason: 'left' })).toBe(true);
    expect(r.participants.has('p-9')).toBe(false);
  });

  it('records our own publications and mutes', () => {
    const r = room();
    r.apply({ type: 'track.published', participantId: 'p-7', track: { trackId: 't-22', kind: 'video', source: 'camera', muted: false } });
    r.apply({ type: 'track.muted', participantId: 'p-7', trackId: 't-20', muted: false, by: 'p-7' });
    expect(r.ownTrack('camera')?.trackId).toBe('t-22');
    expect(r.ownTrack('microphone')?.muted).toBe(false);
    expect(r.participants.has('p-7')).toBe(false);
  });

  it('ignores events about people it does not know, and our own join', () => {
    const r = room();
    expect(r.apply({ type: 'track.published', participantId: 'p-404', track: { trackId: 't', kind: 'audio', source: 'microphone', muted: false } })).toBe(false);
    expect(r.apply({ type: 'participant.left', participantId: 'p-404', reason: 'left' })).toBe(false);
    expect(r.apply({ type: 'participant.joined', participant: { id: 'p-7', name: 'Ada', role: 'presenter', tracks: [] } })).toBe(false);
    expect(r.apply({ type: 'pong' })).toBe(false);
  });

  it('names people for messages', () => {
    const r = room();
    expect(r.nameOf('p-3')).toBe('Grace Hopper');
    expect(r.nameOf('p-7')).toBe('You');
    expect(r.nameOf('p-404')).toBe('Someone');
  });
});
