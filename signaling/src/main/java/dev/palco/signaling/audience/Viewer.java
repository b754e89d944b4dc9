package dev.palco.signaling.audience;

import java.util.HashSet;
import java.util.Set;

/**
 * One viewer session: an id and a resume secret (kept only as a SHA-256 hash), the name it last
 * used, its votes, its hand, its per-action rate buckets and its current link. It outlives its
 * connection so a reconnect (or a server restart, through the journal) finds its votes and ban
 * again. Mutable fields are guarded by the owning room's lock.
 */
final class Viewer {
  final String id;
  final byte[] secretHash;
  String name;
  final Set<String> votes = new HashSet<>();
  RateBucket questionBucket;
  RateBucket chatBucket;
  ViewerLink link;
  long lastSeenMillis;

  HandState hand = HandState.DOWN;
  long handRaisedAtMillis;
  /** The grant id of the outstanding invitation, while {@link #hand} is INVITED. */
  String inviteId;
  long inviteExpiresAtMillis;

  Viewer(String id, byte[] secretHash, String name) {
    this.id = id;
    this.secretHash = secretHash;
    this.name = name;
  }
}
