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
 * Builds the SFU's offers to a participant (RFC 8829 §5.2) and reads the browser's answers.
 *
 * <p>An offer is built from the previous local description (whichever side offered last) plus the set
 * of tracks the SFU should now send:
 * <ul>
 *   <li>Every existing section keeps its place and mid (RFC 8829 §5.2.2). Sections the browser sends
 *       on are copied unchanged apart from the transport lines.</li>
 *   <li>A track that is still wanted keeps its section unchanged.</li>
 *   <li>A track that is gone has its section stopped: port 0, mid kept, left out of BUNDLE. Port 0
 *       rather than {@code a=inactive}: inactive keeps the transceiver, its receiver and its slot
 *       alive in the browser forever, whereas port 0 stops the transceiver (RFC 8829 §5.2.2, §4.1.8)
 *       so the browser fires the track's ended event and the slot can be reused.</li>
 *   <li>A new track reuses the first section of its kind that was already at port 0 in the previous
 *       description (RFC 8829 §5.2.2 "recycled"), with a new mid; otherwise a section is appended.
 *       A section stopped in this very offer is not reused until the next one: Chromium accepts a
 *       recycled section only after it has seen it at port 0. Kinds are not mixed when recycling.</li>
 *   <li>New mids are never reused: one past the highest numeric mid seen so far.</li>
 *   <li>Payload types and extension ids stay consistent across the BUNDLE group ({@link PayloadNumbering}).</li>
 * </ul>
 * The offer says {@code a=setup:actpass}; the answer must choose {@code active}.
 *
 * <p>Thread-safe and stateless apart from the random source for a first session id.
 */
public final class OfferBuilder {

  private static final String PROTO = "UDP/TLS/RTP/SAVPF";

  private final SfuCapabilities caps;
  private final LocalTransport local;
  private final RandomGenerator random;

  /** Uses a {@link SecureRandom} for new session ids. */
  public OfferBuilder(SfuCapabilities caps, LocalTransport local) {
    this(caps, local, new SecureRandom());
  }

  /** @param random source of the first session id */
  public OfferBuilder(SfuCapabilities caps, LocalTransport local, RandomGenerator random) {
    this.caps = caps;
    this.local = local;
    this.random = random;
  }

  /** A first offer, when the SFU opens the session. */
  public OfferResult offer(List<OutgoingTrack> tracks) {
    return offer(null, null, tracks);
  }

  /**
   * The next offer.
   *
   * @param previousLocal the SFU's current local description (its last offer or answer), or null
   * @param previousRemote the matching remote description, or null; a section it rejected counts as
   *     stopped
   * @param tracks every track the SFU should send after this exchange
   * @throws SdpException if the inputs are inconsistent (two tracks with one id or SSRC, descriptions
   *     of different lengths)
   */
  public OfferResult offer(SessionDescription previousLocal, SessionDescription previousRemote,
      List<OutgoingTrack> tracks) {
    Map<String, OutgoingTrack> pending = new LinkedHashMap<>();
    Set<Long> ssrcs = new HashSet<>();
    for (OutgoingTrack t : tracks) {
      if (pending.put(t.trackId(), t) != null) {
        throw SdpNegotiationException.session("track id " + t.trackId() + " given twice");
      }
      if (!ssrcs.add(t.ssrc()) || (t.hasRtx() && !ssrcs.add(t.rtxSsrc()))) {
        throw SdpNegotiationException.session("SSRC of track " + t.trackId() + " used twice");
      }
    }
    List<MediaDescription> prev = previousLocal == null ? List.of() : previousLocal.media();
    if (previousRemote != null && previousRemote.media().size() != prev.size()) {
      throw SdpNegotiationException.session("previous remote description has " + previousRemote.media().size()
          + " m= sections, the local one " + prev.size());
    }

    List<Slot> slots = new ArrayList<>();
    int nextMid = 0;
    Set<String> usedMids = new HashSet<>();
    for (int i = 0; i < prev.size(); i++) {
      MediaDescription m = prev.get(i);
      String mid = m.mid();
      if (mid == null) {
        throw SdpNegotiationException.media(m.mediaLine().media(), null, i, "previous description has no a=mid");
      }
      usedMids.add(mid);
      if (mid.length() < 10 && mid.chars().allMatch(c -> c >= '0' && c <= '9')) {
        nextMid = Math.max(nextMid, Integer.parseInt(mid) + 1);
      }
      boolean stopped = m.isRejected() || (previousRemote != null && previousRemote.media().get(i).isRejected());
      if (stopped) {
        slots.add(new Slot(m, mid, m.kind() != null ? State.RECYCLABLE : State.DEAD, null));
        continue;
      }
      OutgoingTrack ours = null;
      if (m.direction().sends() && !m.msids().isEmpty() && m.msids().get(0).trackId() != null) {
        String trackId = m.msids().get(0).trackId();
        ours = pending.remove(trackId);
        if (ours == null) {
          slots.add(new Slot(m, mid, State.STOP, null));
          continue;
        }
      }
      slots.add(new Slot(m, mid, State.COPY, ours));
    }
    for (OutgoingTrack t : pending.values()) {
      String mid;
      do {
        mid = Integer.toString(nextMid++);
      } while (usedMids.contains(mid));
      usedMids.add(mid);
      Slot recycled = null;
      for (Slot s : slots) {
        if (s.state == State.RECYCLABLE && s.previous.kind() == t.kind()) {
          recycled = s;
          break;
        }
      }
      if (recycled != null) {
        recycled.state = State.NEW;
        recycled.mid = mid;
        recycled.track = t;
      } else {
        slots.add(new Slot(null, mid, State.NEW, t));
      }
    }

    PayloadNumbering numbering = new PayloadNumbering(previousLocal);
    List<String> bundleMids = new ArrayList<>();
    List<MediaDescription> sections = new ArrayList<>();
    Map<String, String> midsByTrackId = new LinkedHashMap<>();
    for (Slot s : slots) {
      switch (s.state) {
        case RECYCLABLE, DEAD, STOP -> sections.add(AnswerBuilder.rejectedSection(s.previous, s.mid));
        case COPY -> {
          sections.add(copySection(s.previous, bundleMids.isEmpty()));
          bundleMids.add(s.mid);
        }
        case NEW -> {
          sections.add(newSection(s.track, s.mid, numbering, bundleMids.isEmpty()));
          bundleMids.add(s.mid);
        }
        default -> throw new IllegalStateException(s.state.name());
      }
      if (s.track != null) {
        midsByTrackId.put(s.track.trackId(), s.mid);
      }
    }
    Origin origin = previousLocal != null ? previousLocal.origin().nextVersion()
        : new Origin("-", Long.toString(random.nextLong() >>> 2), 1, "IN", "IP4", "127.0.0.1");
    SessionDescription.Builder b = SectionWriter.session(origin, local, bundleMids);
    for (MediaDescription m : sections) {
      b.media(m);
    }
    return new OfferResult(b.build(), midsByTrackId);
  }

  /** A kept section: same lines, with the SFU's transport lines written afresh and setup actpass. */
  private MediaDescription copySection(MediaDescription m, boolean tag) {
    MediaDescription.Builder b = MediaDescription.builder(m.mediaLine().withPort(SectionWriter.port(local, tag)));
    SectionWriter.transport(b, local, SetupRole.ACTPASS, tag);
    for (SdpLine l : m.lines()) {
      if (!SectionWriter.isTransportLine(l)) {
        b.line(l);
      }
    }
    return b.build();
  }

  private MediaDescription newSection(OutgoingTrack t, String mid, PayloadNumbering numbering, boolean tag) {
    List<NegotiatedCodec> codecs = new ArrayList<>();
    int opusPt = -1;
    for (CodecCapability cap : caps.codecs()) {
      if (cap.kind() == t.kind() && cap.isOpus()) {
        opusPt = numbering.payloadType(cap);
      }
    }
    for (CodecCapability cap : caps.codecs()) {
      if (cap.kind() != t.kind() || (cap.isRed() && opusPt < 0)) {
        continue;
      }
      int pt = numbering.payloadType(cap);
      int rtx = cap.rtx() ? numbering.rtxPayloadType(cap) : -1;
      // RED's fmtp names the blocks' payload type: this offer's Opus (RFC 2198 §5).
      Map<String, String> fmtp = cap.isRed() ? Map.of(opusPt + "/" + opusPt, "") : cap.fmtp();
      codecs.add(new NegotiatedCodec(cap.name(), pt, cap.clockRateHz(), cap.channels(), fmtp, rtx, cap.feedback()));
    }
    if (codecs.isEmpty()) {
      throw SdpNegotiationException.session("no " + t.kind().sdpName() + " codec configured for track " + t.trackId());
    }
    Map<String, Integer> extIds = new LinkedHashMap<>();
    for (HeaderExtensionCapability e : caps.extensions()) {
      if (e.kinds().contains(t.kind())) {
        int id = numbering.extensionId(e);
        if (id > 0) {
          extIds.put(e.uri(), id);
        }
      }
    }
    MediaLine ml = new MediaLine(t.kind().sdpName(), SectionWriter.port(local, tag), 0, PROTO,
        SectionWriter.formats(codecs));
    MediaDescription.Builder b = MediaDescription.builder(ml);
    SectionWriter.transport(b, local, SetupRole.ACTPASS, tag);
    b.attribute("mid", mid);
    SectionWriter.extmaps(b, extIds);
    b.attribute(Direction.SENDONLY.sdpName());
    b.attribute("msid", t.streamId() + ' ' + t.trackId());
    b.attribute("rtcp-mux");
    b.attribute("rtcp-rsize");
    SectionWriter.codecs(b, codecs);
    SectionWriter.ssrcs(b, t);
    return b.build();
  }

  /**
   * Reads the browser's answer to an SFU offer.
   *
   * @param offer the offer the SFU sent
   * @param answer the browser's answer
   * @return the agreement
   * @throws SdpException if the answer does not fit the offer or breaks a requirement (rtcp-mux, BUNDLE,
   *     setup active, a codec in common); nothing is returned half built
   */
  public NegotiatedSession acceptAnswer(SessionDescription offer, SessionDescription answer) {
    List<MediaDescription> offered = offer.media();
    List<MediaDescription> answered = answer.media();
    if (offered.size() != answered.size()) {
      throw SdpNegotiationException.session("answer has " + answered.size() + " m= sections, the offer had "
          + offered.size() + " (RFC 3264 §6)");
    }
    Group bundle = answer.bundleGroup();
    List<String> bundleMids = bundle == null ? List.of() : bundle.mids();
    List<NegotiatedMedia> media = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    int tagIndex = -1;
    for (int i = 0; i < offered.size(); i++) {
      MediaDescription o = offered.get(i);
      MediaDescription a = answered.get(i);
      String mid = o.mid();
      String kindName = o.mediaLine().media();
      if (mid == null || !mid.equals(a.mid())) {
        throw SdpNegotiationException.media(kindName, mid, i, "answer has mid " + a.mid() + " where the offer had " + mid);
      }
      if (!kindName.equals(a.mediaLine().media())) {
        throw SdpNegotiationException.media(kindName, mid, i, "answer has m=" + a.mediaLine().media());
      }
      if (o.isRejected()) {
        if (!a.isRejected()) {
          throw SdpNegotiationException.media(kindName, mid, i, "answer accepts a section the offer stopped (RFC 8829 §5.3.1)");
        }
        rejected.add(mid);
        continue;
      }
      if (a.isRejected()) {
        rejected.add(mid);
        continue;
      }
      if (!bundleMids.contains(mid)) {
        throw SdpNegotiationException.media(kindName, mid, i, "answer leaves this section out of BUNDLE;"
            + " the SFU uses one transport per participant (RFC 8843)");
      }
      if (!a.rtcpMux()) {
        throw SdpNegotiationException.media(kindName, mid, i, "answer has no a=rtcp-mux (RFC 8829 §5.1.3)");
      }
      SetupRole setup = a.setup() != null ? a.setup() : answer.setup();
      if (setup == SetupRole.PASSIVE || setup == SetupRole.ACTPASS || setup == SetupRole.HOLDCONN) {
        throw SdpNegotiationException.media(kindName, mid, i, "answer has a=setup:" + setup.sdpName()
            + "; the SFU is always the DTLS server, so the answer must be active (RFC 8842 §5.3)");
      }
      MediaKind kind = o.kind();
      List<NegotiatedCodec> codecs = CodecMatcher.matchAnswer(o, a, kind, caps, i);
      if (codecs.isEmpty()) {
        throw SdpNegotiationException.media(kindName, mid, i, "answer has no codec the SFU offered (answered: "
            + CodecMatcher.offeredNames(a) + ")");
      }
      Direction ours = o.direction();
      Direction theirs = a.direction();
      Direction agreed = Direction.of(ours.sends() && theirs.receives(), ours.receives() && theirs.sends());
      Map<String, Integer> offeredIds = new LinkedHashMap<>();
      for (ExtMap e : o.extmaps()) {
        offeredIds.putIfAbsent(e.uri(), e.id());
      }
      Map<String, Integer> extIds = new LinkedHashMap<>();
      for (ExtMap e : a.extmaps()) {
        if (offeredIds.containsKey(e.uri()) && caps.extension(e.uri(), kind) != null) {
          extIds.putIfAbsent(e.uri(), e.id());
        }
      }
      OutgoingTrack track = ours.sends() ? trackOf(o, kind) : null;
      boolean receives = agreed.receives();
      Msid msid = a.msids().isEmpty() ? null : a.msids().get(0);
      media.add(new NegotiatedMedia(mid, kind, agreed, codecs, extIds, receives ? a.ssrcIds() : List.of(),
          receives ? a.ssrcGroups() : List.of(), List.of(), msid, receives ? AnswerBuilder.cname(a) : null,
          track, o.rtcpRsize() && a.rtcpRsize()));
      if (tagIndex < 0) {
        tagIndex = i;
      }
    }
    if (tagIndex < 0) {
      return new NegotiatedSession(null, null, List.of(), false, List.of(), null, List.of(), false, List.of(),
          List.of(), rejected);
    }
    RemoteTransport remote = RemoteTransport.read(answer, answered.get(tagIndex), tagIndex);
    List<String> accepted = new ArrayList<>();
    for (NegotiatedMedia m : media) {
      accepted.add(m.mid());
    }
    return new NegotiatedSession(remote.iceUfrag(), remote.icePwd(), remote.iceOptions(), remote.iceLite(),
        remote.fingerprints(), remote.setup() == null ? SetupRole.ACTIVE : remote.setup(), remote.candidates(),
        remote.endOfCandidates(), accepted, media, rejected);
  }

  /** Reads back the SFU's own track from a section it wrote: msid, FID group (or first SSRC), cname. */
  static OutgoingTrack trackOf(MediaDescription m, MediaKind kind) {
    if (m.msids().isEmpty() || m.msids().get(0).trackId() == null) {
      return null;
    }
    Msid msid = m.msids().get(0);
    long ssrc = -1;
    long rtx = -1;
    for (SsrcGroup g : m.ssrcGroups()) {
      if (SsrcGroup.FID.equals(g.semantics()) && g.ssrcs().size() == 2) {
        ssrc = g.ssrcs().get(0);
        rtx = g.ssrcs().get(1);
        break;
      }
    }
    if (ssrc < 0 && !m.ssrcIds().isEmpty()) {
      ssrc = m.ssrcIds().get(0);
    }
    String cname = AnswerBuilder.cname(m);
    if (ssrc < 0 || cname == null) {
      return null;
    }
    return new OutgoingTrack(kind, msid.streamId(), msid.trackId(), ssrc, rtx, cname);
  }

  private enum State { COPY, STOP, RECYCLABLE, DEAD, NEW }

  /** One m= line position while building an offer. */
  private static final class Slot {
    final MediaDescription previous;
    String mid;
    State state;
    OutgoingTrack track;

    Slot(MediaDescription previous, String mid, State state, OutgoingTrack track) {
      this.previous = previous;
      this.mid = mid;
      this.state = state;
      this.track = track;
    }
  }
}
