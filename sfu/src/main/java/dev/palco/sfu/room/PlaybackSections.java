package dev.palco.sfu.room;

import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.NegotiatedMedia;
import dev.palco.sfu.sdp.NegotiatedSession;
import dev.palco.sfu.sdp.OutgoingTrack;
import dev.palco.sfu.sdp.SessionDescription;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which room track each section of a player's session carries (WHEP, draft-ietf-wish-whep). The
 * player offers once and never renegotiates, so a section keeps what the answer told the player —
 * its mid, its SSRCs, the player's payload types and extension ids — for the life of the session,
 * while the track behind it may change:
 * <ul>
 *   <li>at the answer, sections take the room's tracks of their kind in the order of publication,
 *       one track per section, skipping tracks whose codec the player did not offer;</li>
 *   <li>when a section's track is unpublished, its subscription closes and the section falls
 *       silent (idle);</li>
 *   <li>{@link #bindIdle()} gives an idle section the next track that fits, continuing the same
 *       outgoing stream ({@link TrackSubscription#continuing}).</li>
 * </ul>
 * A section answered inactive (no track fitted at the answer) carries nothing, ever: the player
 * was told no SSRC and no direction that lets media flow there.
 *
 * <p>Synchronized: the answer and the bindings come from signaling's threads one at a time.
 */
final class PlaybackSections {
  private final Participant player;
  /** The sections answered sendonly, in m-line order. */
  private final List<Section> sections = new ArrayList<>();

  /** One sendonly section. */
  private static final class Section {
    final String mid;
    final TrackParameters playerSide;
    /** The current subscription, or the last one when the section is idle (closed). */
    TrackSubscription subscription;

    Section(String mid, TrackParameters playerSide, TrackSubscription subscription) {
      this.mid = mid;
      this.playerSide = playerSide;
      this.subscription = subscription;
    }
  }

  PlaybackSections(Participant player) {
    this.player = player;
  }

  /**
   * Chooses the tracks of an offer's sections and subscribes to them.
   *
   * @param offer the player's offer
   * @param agreed the agreement for it with no track bound: each accepted section's codecs and
   *     extension ids, as the player numbered them
   * @return the tracks by mid, for the answer
   */
  synchronized Map<String, OutgoingTrack> bind(SessionDescription offer, NegotiatedSession agreed) {
    if (!sections.isEmpty()) {
      throw new IllegalStateException("player " + player.id() + " was already answered");
    }
    List<TrackPublication> available = new ArrayList<>(player.room().publications());
    Map<String, OutgoingTrack> out = new LinkedHashMap<>();
    for (NegotiatedMedia m : agreed.media()) {
      MediaDescription offered = offer.mediaByMid(m.mid());
      if (offered == null || !offered.direction().receives()) {
        continue;
      }
      TrackParameters playerSide = TrackParameters.from(m);
      TrackSubscription sub = take(available, playerSide, null);
      if (sub != null) {
        sections.add(new Section(m.mid(), playerSide, sub));
        out.put(m.mid(), sub.outgoingTrack());
      }
    }
    return out;
  }

  /** Closes what {@link #bind} made: the answer that would have carried it failed. */
  synchronized void release() {
    for (Section s : sections) {
      s.subscription.close();
    }
    sections.clear();
  }

  /** See {@link Participant#bindIdlePlaybackSections()}. */
  synchronized List<TrackSubscription> bindIdle() {
    List<TrackSubscription> bound = new ArrayList<>();
    List<TrackPublication> available = null;
    for (Section s : sections) {
      if (!s.subscription.isClosed()) {
        continue;
      }
      if (available == null) {
        available = new ArrayList<>(player.room().publications());
        for (Section other : sections) {
          if (!other.subscription.isClosed()) {
            available.remove(other.subscription.publication());
          }
        }
      }
      TrackSubscription next = take(available, s.playerSide, s.subscription);
      if (next != null) {
        s.subscription = next;
        bound.add(next);
      }
    }
    return bound;
  }

  /**
   * Subscribes to the first available track that fits the section, removing what it tried from
   * {@code available}, so no other section takes it; null if none could be had.
   */
  private TrackSubscription take(List<TrackPublication> available, TrackParameters playerSide,
      TrackSubscription predecessor) {
    for (Iterator<TrackPublication> it = available.iterator(); it.hasNext(); ) {
      TrackPublication pub = it.next();
      if (!fits(pub, playerSide, predecessor)) {
        continue;
      }
      it.remove();
      TrackSubscription sub = player.subscribeForPlayback(pub, playerSide, predecessor);
      if (sub != null) {
        return sub;
      }
    }
    return null;
  }

  /**
   * Whether a section can carry a track: same kind, a codec the player offered for what the
   * publisher sends (its first negotiated codec), and, to continue a stream, the same clock rate.
   */
  private boolean fits(TrackPublication pub, TrackParameters playerSide, TrackSubscription predecessor) {
    CodecParameters sent = pub.parameters().codecs().get(0);
    return pub.kind() == playerSide.kind() && !pub.isClosed() && pub.publisher() != player
        && playerSide.codecLike(sent) != null
        && (predecessor == null || predecessor.clockRateHz() == sent.clockRateHz());
  }

  /** The mids of the sections answered sendonly, with the publication each carries now or null. */
  synchronized Map<String, TrackPublication> carried() {
    Map<String, TrackPublication> out = new LinkedHashMap<>();
    for (Section s : sections) {
      out.put(s.mid, s.subscription.isClosed() ? null : s.subscription.publication());
    }
    return out;
  }
}
