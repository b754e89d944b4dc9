package dev.palco.sfu.room;

import dev.palco.sfu.sdp.AnswerBuilder;
import dev.palco.sfu.sdp.AnswerResult;
import dev.palco.sfu.sdp.NegotiatedMedia;
import dev.palco.sfu.sdp.NegotiatedSession;
import dev.palco.sfu.sdp.OfferBuilder;
import dev.palco.sfu.sdp.OfferResult;
import dev.palco.sfu.sdp.OutgoingTrack;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.sdp.SfuCapabilities;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One participant's offer/answer state over its one BUNDLE transport: the current local and remote
 * descriptions, the SFU's offer awaiting an answer, and the last agreement. Thin: the sdp package
 * does the negotiating; this applies the agreement to the media plane.
 *
 * <ul>
 *   <li>A section the participant sends on (recvonly from the SFU's side) becomes a publication;
 *       one that stopped sending, or was rejected, is unpublished.</li>
 *   <li>A section that carries one of the SFU's outgoing tracks gives that subscription the
 *       subscriber's payload types and extension ids.</li>
 *   <li>A player's offer (WHEP) is answered once, taking nothing from it: its sections choose
 *       their tracks through {@link PlaybackSections}.</li>
 * </ul>
 *
 * <p>Synchronized: offers and answers of one participant come one at a time.
 */
final class SdpNegotiator {
  private final Participant participant;
  private final SfuCapabilities capabilities;
  private final TransportNegotiation transport;
  private SessionDescription currentLocal;
  private SessionDescription currentRemote;
  private SessionDescription pendingOffer;
  private NegotiatedSession negotiated;

  SdpNegotiator(Participant participant, SfuCapabilities capabilities, TransportNegotiation transport) {
    this.participant = participant;
    this.capabilities = capabilities;
    this.transport = transport;
  }

  synchronized String answer(String offerSdp) {
    SessionDescription offer = SessionDescription.parse(offerSdp);
    transport.beforeAnswer(offer);
    Map<String, OutgoingTrack> outgoing = negotiated == null ? Map.of() : negotiated.outgoingTracksByMid();
    AnswerResult result = new AnswerBuilder(capabilities, transport.localTransport())
        .answer(offer, currentLocal, outgoing);
    // A browser offer while ours is pending is glare; the SFU yields (RFC 8829 §4.1.10.1 rollback).
    pendingOffer = null;
    apply(result.session());
    currentLocal = result.answer();
    currentRemote = offer;
    return result.answer().toSdp();
  }

  /**
   * Answers a player's one offer (see {@link Participant#answerPlaybackOffer}). The offer is
   * agreed twice with the same builder: first with no track bound, which checks it and settles each
   * section's codecs and extension ids, by which the sections choose their tracks; then with the
   * chosen tracks. The subscriptions made for them are closed again if the second pass or the
   * transport refuses the offer.
   */
  synchronized String answerPlayback(String offerSdp, PlaybackSections sections) {
    if (currentLocal != null) {
      throw new IllegalStateException("participant " + participant.id() + " already negotiated: a"
          + " player's session has one offer and answer (ICE restarts need no SDP)");
    }
    SessionDescription offer = SessionDescription.parse(offerSdp);
    transport.beforeAnswer(offer);
    AnswerBuilder builder = new AnswerBuilder(capabilities, transport.localTransport());
    NegotiatedSession agreed = builder.answer(offer, null, Map.of(), false).session();
    Map<String, OutgoingTrack> outgoing = sections.bind(offer, agreed);
    AnswerResult result;
    try {
      result = builder.answer(offer, null, outgoing, false);
      apply(result.session());
    } catch (RuntimeException e) {
      sections.release();
      throw e;
    }
    currentLocal = result.answer();
    currentRemote = offer;
    return result.answer().toSdp();
  }

  synchronized String createOffer() {
    List<OutgoingTrack> tracks = new ArrayList<>();
    for (TrackSubscription sub : participant.subscriptions()) {
      tracks.add(sub.outgoingTrack());
    }
    OfferResult result = new OfferBuilder(capabilities, transport.localTransport())
        .offer(currentLocal, currentRemote, tracks);
    pendingOffer = result.offer();
    return pendingOffer.toSdp();
  }

  synchronized void acceptAnswer(String answerSdp) {
    if (pendingOffer == null) {
      throw new IllegalStateException("no offer of the SFU is waiting for an answer");
    }
    SessionDescription answer = SessionDescription.parse(answerSdp);
    NegotiatedSession session = new OfferBuilder(capabilities, transport.localTransport())
        .acceptAnswer(pendingOffer, answer);
    apply(session);
    currentLocal = pendingOffer;
    currentRemote = answer;
    pendingOffer = null;
  }

  synchronized NegotiatedSession negotiated() {
    return negotiated;
  }

  private void apply(NegotiatedSession session) {
    transport.applyRemote(session);
    for (NegotiatedMedia m : session.media()) {
      TrackPublication published = participant.publication(m.mid());
      if (m.direction().receives()) {
        if (published == null) {
          participant.publish(TrackParameters.from(m));
        }
      } else if (published != null) {
        participant.unpublish(published);
      }
      OutgoingTrack track = m.localTrack();
      if (track != null) {
        for (TrackSubscription sub : participant.subscriptions()) {
          if (sub.trackId().equals(track.trackId())) {
            sub.applyNegotiation(TrackParameters.from(m));
          }
        }
      }
    }
    for (String mid : session.rejectedMids()) {
      TrackPublication published = participant.publication(mid);
      if (published != null) {
        participant.unpublish(published);
      }
    }
    negotiated = session;
  }
}
