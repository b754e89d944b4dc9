/**
 * The room as this page knows it: who is on stage and which tracks they publish, kept current
 * from `joined` and the room events (docs/protocol.md, "Room events").
 */

import type { JoinedMessage, ParticipantInfo, Role, ServerMessage, TrackInfo, TrackSource } from '../protocol';

export interface Participant {
  id: string;
  name: string;
  role: Role;
  /** By trackId. */
  tracks: Map<string, TrackInfo>;
  /** A guest invited from the audience. */
  fromAudience: boolean;
}

function toParticipant(info: ParticipantInfo): Participant {
  return {
    id: info.id,
    name: info.name,
    role: info.role,
    tracks: new Map(info.tracks.map((t) => [t.trackId, { ...t }])),
    fromAudience: info.fromAudience === true,
  };
}

/** Participants and tracks; the local participant's own tracks are kept apart in {@link selfTracks}. */
export class RoomState {
  roomId = '';
  roomName = '';
  selfId: string | null = null;
  role: Role | null = null;
  readonly participants = new Map<string, Participant>();
  /** The server's view of our own tracks (ids, mute state), by trackId. */
  readonly selfTracks = new Map<string, TrackInfo>();

  /** Starts over from a `joined`: its participant list is the truth. */
  reset(joined: JoinedMessage): void {
    this.roomId = joined.room.id;
    this.roomName = joined.room.name;
    this.selfId = joined.participantId;
    this.role = joined.role;
    this.participants.clear();
    this.selfTracks.clear();
    for (const info of joined.participants) {
      if (info.id === joined.participantId) {
        for (const t of info.tracks) this.selfTracks.set(t.trackId, { ...t });
      } else {
        this.participants.set(info.id, toParticipant(info));
      }
    }
  }

  /** Applies a room event. Returns true if anything changed. */
  apply(message: ServerMessage): boolean {
    switch (message.type) {
      case 'participant.joined': {
        if (message.participant.id === this.selfId) return false;
        this.participants.set(message.participant.id, toParticipant(message.participant));
        return true;
      }
      case 'participant.left':
        return this.participants.delete(message.participantId);
      case 'track.published': {
        const tracks = this.tracksOf(message.participantId);
        if (tracks === null) return false;
        tracks.set(message.track.trackId, { ...message.track });
        return true;
      }
      case 'track.unpublished': {
        const tracks = this.tracksOf(message.participantId);
        return tracks !== null && tracks.delete(message.trackId);
      }
      case 'track.muted': {
        const track = this.tracksOf(message.participantId)?.get(message.trackId);
        if (track === undefined || track.muted === message.muted) return false;
        track.muted = message.muted;
        return true;
      }
      default:
        return false;
    }
  }

  /** The track map of a participant, ours included; null for someone not in the room. */
  private tracksOf(participantId: string): Map<string, TrackInfo> | null {
    if (participantId === this.selfId) return this.selfTracks;
    return this.participants.get(participantId)?.tracks ?? null;
  }

  /** The id the server gave our track of `source`, once it said. */
  ownTrack(source: TrackSource): TrackInfo | undefined {
    for (const t of this.selfTracks.values()) if (t.source === source) return t;
    return undefined;
  }

  /** A participant's first published track of a source. */
  trackOf(participantId: string, source: TrackSource): TrackInfo | undefined {
    const tracks = this.participants.get(participantId)?.tracks;
    if (tracks === undefined) return undefined;
    for (const t of tracks.values()) if (t.source === source) return t;
    return undefined;
  }

  nameOf(participantId: string): string {
    if (participantId === this.selfId) return 'You';
    return this.participants.get(participantId)?.name ?? 'Someone';
  }
}
