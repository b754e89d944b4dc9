package dev.palco.sfu.sdp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Answers a browser's offer (RFC 8829 §5.3, Unified Plan, one BUNDLE transport per participant).
 *
 * <p>Per media section of the offer, in order:
 * <ul>
 *   <li>Rejected with port 0, mid kept, left out of BUNDLE (RFC 8829 §5.3.1): sections already at port
 *       0, media other than audio/video (data channels included: the SFU does not do SCTP), protocols
 *       other than DTLS-SRTP, and sections outside the offered BUNDLE group.</li>
 *   <li>Refused, failing the whole answer with {@link SdpNegotiationException}: a section without
 *       {@code a=mid} or {@code a=rtcp-mux}, an offer of {@code a=setup:passive} or {@code holdconn},
 *       an audio/video section with no codec in common, a section whose mid names an outgoing track
 *       of the other kind.</li>
 *   <li>Accepted otherwise: the offerer's payload types and extension ids are kept (RFC 3264 §6.1,
 *       RFC 8285 §6); direction is recvonly for what the browser sends, sendonly for sections carrying
 *       one of the SFU's outgoing tracks, inactive when nothing can flow (or, for a player that the
 *       SFU takes nothing from, when the section carries no track).</li>
 * </ul>
 * The answer always says {@code a=setup:passive}: the SFU is the DTLS server (RFC 8842 §5.3 lets the
 * answerer of {@code actpass} choose; an offer of {@code active} is answered {@code passive} too).
 *
 * <p>Thread-safe and stateless apart from the random source for a first session id.
 */
public final class AnswerBuilder {

  /** Protocols the SFU answers: DTLS-SRTP over UDP or ICE-TCP (RFC 8829 §5.1.2). */
  static final Set<String> RTP_PROTOS = Set.of("UDP/TLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVPF",
      "UDP/TLS/RTP/SAVP", "TCP/DTLS/RTP/SAVP");

  private final SfuCapabilities caps;
  private final LocalTransport local;
  private final RandomGenerator random;

  /** Uses a {@link SecureRandom} for new session ids. */
  public AnswerBuilder(SfuCapabilities caps, LocalTransport local) {
    this(caps, local, new SecureRandom());
  }

  /** @param random source of the first session id (RFC 8829 §5.2.1: a random 62-bit value) */
  public AnswerBuilder(SfuCapabilities caps, LocalTransport local, RandomGenerator random) {
    this.caps = caps;
    this.local = local;
    this.random = random;
  }

  /** Answers an initial offer with no outgoing tracks (a publisher's first offer). */
  public AnswerResult answer(SessionDescription offer) {
    return answer(offer, null, Map.of());
  }

  /**
   * Answers an offer.
   *
   * @param offer the browser's offer
   * @param previousLocal the SFU's current local description, or null for the first exchange; its
   *     {@code o=} session id is kept and the version increased (RFC 8829 §5.3.2)
   * @param outgoingByMid the SFU's tracks already placed in sections of this session (from
   *     {@link NegotiatedSession#outgoingTracksByMid()}); those sections are answered sendonly
   * @return the answer and the agreement
   * @throws SdpException if the offer cannot be parsed or agreed to; nothing is returned half built
   */
  public AnswerResult answer(SessionDescription offer, SessionDescription previousLocal,
      Map<String, OutgoingTrack> outgoingByMid) {
    return answer(offer, previousLocal, outgoingByMid, true);
  }

  /**
   * Answers an offer, taking media from the offerer or not.
   *
   * @param offer the browser's offer
   * @param previousLocal the SFU's current local description, or null for the first exchange
   * @param outgoingByMid the SFU's tracks, by the mid of the section that carries each; those
   *     sections are answered sendonly (when the offer lets the offerer receive on them)
   * @param receive false for a peer the SFU takes no media from, a player
   *     (draft-ietf-wish-whep): a section without an outgoing track is then answered
   *     {@code inactive} whatever the offer's direction, so nothing is published
   * @return the answer and the agreement
   * @throws SdpException if the offer cannot be parsed or agreed to; nothing is returned half built
   */
  public AnswerResult answer(SessionDescription offer, SessionDescription previousLocal,
      Map<String, OutgoingTrack> outgoingByMid, boolean receive) {
    List<MediaDescription> sections = offer.media();
    if (sections.isEmpty()) {
      throw SdpNegotiationException.session("offer has no m= sections");
    }
    Group bundle = offer.bundleGroup();
    if (bundle == null) {
      throw SdpNegotiationException.session(
          "offer has no a=group:BUNDLE: the SFU uses one transport per participant (RFC 8843)");
    }

    // First pass: mids, and which sections are accepted.
    List<String> mids = new ArrayList<>();
    boolean[] accepted = new boolean[sections.size()];
    Set<String> seen = new HashSet<>();
    int tagIndex = -1;
    for (int i = 0; i < sections.size(); i++) {
      MediaDescription m = sections.get(i);
      String mid = m.mid();
      if (mid == null) {
        throw fail(m, null, i, "no a=mid: Unified Plan with BUNDLE needs one per section (RFC 8843 §9.1)");
      }
      if (!seen.add(mid)) {
        throw fail(m, mid, i, "mid used by two sections (RFC 5888 §4)");
      }
      mids.add(mid);
      accepted[i] = !m.isRejected() && m.kind() != null && RTP_PROTOS.contains(m.mediaLine().proto())
          && bundle.mids().contains(mid);
      if (accepted[i] && (tagIndex < 0 || bundle.mids().indexOf(mid) < bundle.mids().indexOf(mids.get(tagIndex)))) {
        tagIndex = i;
      }
    }

    RemoteTransport remote = null;
    if (tagIndex >= 0) {
      remote = RemoteTransport.read(offer, sections.get(tagIndex), tagIndex);
    }

    // Second pass: agree each accepted section; build answer sections.
    List<MediaDescription> answerSections = new ArrayList<>();
    List<NegotiatedMedia> negotiated = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    List<String> bundleMids = new ArrayList<>();
    for (int i = 0; i < sections.size(); i++) {
      MediaDescription m = sections.get(i);
      String mid = mids.get(i);
      if (!accepted[i]) {
        answerSections.add(rejectedSection(m, mid));
        rejected.add(mid);
        continue;
      }
      checkSetup(offer, m, mid, i);
      if (!m.rtcpMux()) {
        throw fail(m, mid, i, "no a=rtcp-mux: the SFU requires RTP and RTCP on one port (RFC 8829 §5.1.3, RFC 5761)");
      }
      MediaKind kind = m.kind();
      OutgoingTrack track = outgoingByMid.get(mid);
      if (track != null && track.kind() != kind) {
        throw fail(m, mid, i, "section carries the SFU's " + track.kind().sdpName() + " track " + track.trackId());
      }
      List<NegotiatedCodec> codecs = CodecMatcher.matchOffer(m, kind, caps);
      if (codecs.isEmpty()) {
        throw fail(m, mid, i, "no supported codec (offered: " + CodecMatcher.offeredNames(m) + ")");
      }
      Direction offered = m.direction();
      // RFC 3264 §6.1: the answer's direction is at most the reverse of the offer's.
      Direction ours = track != null ? Direction.of(offered.receives(), false)
          : Direction.of(false, receive && offered.sends());
      Map<String, Integer> extIds = new LinkedHashMap<>();
      List<ExtMap> answerExtmaps = new ArrayList<>();
      for (ExtMap e : m.extmaps()) {
        if (caps.extension(e.uri(), kind) != null && !extIds.containsKey(e.uri())) {
          extIds.put(e.uri(), e.id());
          answerExtmaps.add(new ExtMap(e.id(), e.direction() == null ? null : e.direction().reversed(), e.uri(), null));
        }
      }
      List<String> rids = acceptedRids(m, ours, extIds);
      boolean tag = bundleMids.isEmpty();
      bundleMids.add(mid);

      MediaLine ml = new MediaLine(kind.sdpName(), SectionWriter.port(local, tag), 0, m.mediaLine().proto(),
          SectionWriter.formats(codecs));
      MediaDescription.Builder b = MediaDescription.builder(ml);
      SectionWriter.transport(b, local, SetupRole.PASSIVE, tag);
      b.attribute("mid", mid);
      for (ExtMap e : answerExtmaps) {
        b.attribute("extmap", e.toValue());
      }
      b.attribute(ours.sdpName());
      if (track != null) {
        b.attribute("msid", track.streamId() + ' ' + track.trackId());
      }
      b.attribute("rtcp-mux");
      if (m.rtcpRsize()) {
        b.attribute("rtcp-rsize");
      }
      SectionWriter.codecs(b, codecs);
      if (!rids.isEmpty()) {
        // RFC 8853 §5.3: the answer mirrors the rids with the direction reversed.
        for (String rid : rids) {
          b.attribute("rid", rid + " recv");
        }
        b.attribute("simulcast", "recv " + String.join(";", rids));
      }
      if (track != null && ours.sends()) {
        SectionWriter.ssrcs(b, track);
      }
      answerSections.add(b.build());

      Msid msid = m.msids().isEmpty() ? null : m.msids().get(0);
      negotiated.add(new NegotiatedMedia(mid, kind, ours, codecs, extIds,
          ours.receives() ? m.ssrcIds() : List.of(), ours.receives() ? m.ssrcGroups() : List.of(), rids,
          msid, ours.receives() ? cname(m) : null, track, m.rtcpRsize()));
    }

    Origin origin = previousLocal != null ? previousLocal.origin().nextVersion()
        : new Origin("-", Long.toString(random.nextLong() >>> 2), 1, "IN", "IP4", "127.0.0.1");
    SessionDescription.Builder s = SectionWriter.session(origin, local, bundleMids);
    for (MediaDescription m : answerSections) {
      s.media(m);
    }
    SessionDescription answer = s.build();
    NegotiatedSession session = remote == null
        ? new NegotiatedSession(null, null, List.of(), false, List.of(), null, List.of(), false, List.of(),
            List.of(), rejected)
        : new NegotiatedSession(remote.iceUfrag(), remote.icePwd(), remote.iceOptions(), remote.iceLite(),
            remote.fingerprints(), remote.setup(), remote.candidates(), remote.endOfCandidates(), bundleMids,
            negotiated, rejected);
    return new AnswerResult(answer, session);
  }

  /**
   * RFC 8842 §5.3 / RFC 4145 §4: the SFU must be the DTLS server, so the offerer must be able to be
   * the client: {@code actpass} or {@code active} (also the default when absent).
   */
  private static void checkSetup(SessionDescription offer, MediaDescription m, String mid, int index) {
    SetupRole setup = m.setup() != null ? m.setup() : offer.setup();
    if (setup == SetupRole.PASSIVE) {
      throw fail(m, mid, index, "offer has a=setup:passive, but the SFU is always the DTLS server;"
          + " offer actpass (RFC 8842 §5.2)");
    }
    if (setup == SetupRole.HOLDCONN) {
      throw fail(m, mid, index, "offer has a=setup:holdconn; the SFU needs a DTLS connection now (RFC 8842 §5.2)");
    }
  }

  /**
   * The rids the SFU agrees to receive: when simulcast is enabled and the section receives, each
   * stream's first alternative in {@code a=simulcast:send} that has an {@code a=rid:... send} line
   * (RFC 8853 §5.3). Requires the rid header extension, which is how packets name their layer.
   */
  private List<String> acceptedRids(MediaDescription m, Direction ours, Map<String, Integer> extIds) {
    if (!caps.acceptSimulcast() || !ours.receives() || !extIds.containsKey(RtpHeaderExtensionUris.SDES_RTP_STREAM_ID)) {
      return List.of();
    }
    Simulcast sc = m.simulcast();
    if (sc == null || sc.send().isEmpty()) {
      return List.of();
    }
    Set<String> declared = new HashSet<>();
    for (Rid r : m.rids()) {
      if (r.direction() == Rid.RidDirection.SEND) {
        declared.add(r.id());
      }
    }
    List<String> out = new ArrayList<>();
    for (String rid : sc.sendRids()) {
      if (declared.contains(rid) && !out.contains(rid)) {
        out.add(rid);
      }
    }
    return out;
  }

  /**
   * RFC 8829 §5.3.1: a rejected section keeps its media, protocol and formats with port 0, and its
   * mid, so the answer lines up with the offer; nothing else is needed.
   */
  static MediaDescription rejectedSection(MediaDescription m, String mid) {
    MediaDescription.Builder b = MediaDescription.builder(m.mediaLine().withPort(0));
    b.line('c', "IN IP4 0.0.0.0");
    if (mid != null) {
      b.attribute("mid", mid);
    }
    return b.build();
  }

  static String cname(MediaDescription m) {
    for (SsrcAttribute a : m.ssrcs()) {
      if ("cname".equals(a.name())) {
        return a.value();
      }
    }
    return null;
  }

  private static SdpNegotiationException fail(MediaDescription m, String mid, int index, String reason) {
    return SdpNegotiationException.media(m.mediaLine().media(), mid, index, reason);
  }
}
