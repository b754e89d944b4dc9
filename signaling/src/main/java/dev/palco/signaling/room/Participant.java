package dev.palco.signaling.room;

import dev.palco.signaling.Role;
import dev.palco.signaling.media.MediaSession;
import dev.palco.signaling.media.SubscribeOffer;
import dev.palco.signaling.token.JoinToken;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A seat in a room: one participant's identity, role and tracks, its current link and media
 * session, and its subscribe negotiation state. It outlives a dropped connection for the resume
 * window. Every mutable field is guarded by the owning room's lock.
 */
public final class Participant {

  /** No subscribe offer is outstanding. */
  static final long NO_REVISION = -1;

  private final String id;
  private final String name;
  private final Role role;
  private final JoinToken token;
  private final String resumeSecret;
  /** The audience session this seat came from with a stage grant, or {@code null}. */
  private final String viewerId;

  ParticipantLink link;
  /** When the link dropped (clock millis), or 0 while connected. */
  long disconnectedAtMillis;
  MediaSession media;
  /** Bumped whenever the media session is replaced, so late events of an old one are ignored. */
  int mediaGeneration;
  /** True once {@code joined} went out; events before that wait. */
  boolean announced;
  /** True once the others were told of this seat; its departure is news only then. */
  boolean everAnnounced;
  final Map<String, TrackState> tracks = new LinkedHashMap<>();

  long outstandingRevision = NO_REVISION;
  SubscribeOffer pendingOffer;
  boolean publishInFlight;

  Participant(String id, String name, Role role, JoinToken token, String resumeSecret, String viewerId) {
    this.id = id;
    this.name = name;
    this.role = role;
    this.token = token;
    this.resumeSecret = resumeSecret;
    this.viewerId = viewerId;
  }

  /** The audience session of a guest invited from the audience, or {@code null}. */
  public String viewerId() {
    return viewerId;
  }

  /** The participant id, such as {@code p-7}. */
  public String id() {
    return id;
  }

  /** The display name. */
  public String name() {
    return name;
  }

  /** The seat's role (kept across resumes). */
  public Role role() {
    return role;
  }

  /** The token the participant first joined with. */
  public JoinToken token() {
    return token;
  }

  /** The secret a client presents to resume this seat. */
  public String resumeSecret() {
    return resumeSecret;
  }
}
