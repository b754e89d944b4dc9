package dev.palco.sfu.client;

import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.Direction;
import dev.palco.sfu.sdp.Fingerprint;
import dev.palco.sfu.sdp.Group;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.MediaKind;
import dev.palco.sfu.sdp.MediaLine;
import dev.palco.sfu.sdp.SdpNegotiationException;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.sdp.SetupRole;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SDP side of a {@link WebRtcClient}, for driving Palco the way a browser or a WHIP/WHEP tool
 * does when there is no browser: writes the client's offer from its ICE credentials, candidates
 * and certificate fingerprint, and reads the server's answer into what {@link
 * WebRtcClient#connect} takes. Built on the {@code sdp} package's builders and parser, so the text
 * is what the server's own parser reads.
 *
 * <p>The offer has Chromium's shape (RFC 8829 §5.2.1): BUNDLE over every section, mids {@code 0,
 * 1, ...} in order, {@code a=setup:actpass} (the server answers {@code passive}, so the client is
 * the DTLS client it is built as), {@code a=rtcp-mux}, {@code a=rtcp-rsize}, the client's
 * candidates in the first section with end-of-candidates. A sending section signals its SSRCs
 * with {@code a=ssrc} and, with RTX, {@code a=ssrc-group:FID} (RFC 5576, RFC 4588 §8), since
 * synthetic sources carry no mid or rid header extension.
 */
public final class ClientSdp {
  private ClientSdp() {}

  /**
   * One codec of an offered section.
   *
   * @param name the encoding name ({@code VP8}, {@code opus})
   * @param payloadType the client's payload type for it
   * @param clockRateHz the RTP clock rate
   * @param channels audio channels, 0 for video
   * @param rtxPayloadType the payload type of its RTX (RFC 4588), or -1
   * @param fmtp format parameters as written after the payload type, or empty
   * @param feedback {@code a=rtcp-fb} values for it ({@code nack}, {@code nack pli}, ...)
   */
  public record Codec(String name, int payloadType, int clockRateHz, int channels, int rtxPayloadType,
      String fmtp, List<String> feedback) {
    /** Checks the payload types and copies the list. */
    public Codec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(fmtp, "fmtp");
      feedback = List.copyOf(feedback);
      if (payloadType < 0 || payloadType > 127 || rtxPayloadType < -1 || rtxPayloadType > 127
          || rtxPayloadType == payloadType) {
        throw new IllegalArgumentException("payload types are 0..127 and distinct");
      }
    }

    /** Opus/48000/2 as Chromium offers it (RFC 7587 §7). */
    public static Codec opus(int payloadType) {
      return new Codec("opus", payloadType, 48_000, 2, -1, "minptime=10;useinbandfec=1", List.of());
    }

    /** VP8/90000 with NACK, PLI and FIR, and RTX when {@code rtxPayloadType} is not -1. */
    public static Codec vp8(int payloadType, int rtxPayloadType) {
      return new Codec("VP8", payloadType, 90_000, 0, rtxPayloadType, "",
          List.of("ccm fir", "nack", "nack pli"));
    }
  }

  /**
   * One section the client offers.
   *
   * @param kind audio or video
   * @param direction from the client's side: {@code sendonly} to publish, {@code recvonly} to play
   * @param codecs in order of preference
   * @param extensionIds header extensions to offer, id by URI
   * @param ssrc the SSRC the client sends with, or -1 when it does not send
   * @param rtxSsrc the RTX SSRC, or -1
   * @param cname the RTCP CNAME of a sending section, or null
   */
  public record Section(MediaKind kind, Direction direction, List<Codec> codecs,
      Map<String, Integer> extensionIds, long ssrc, long rtxSsrc, String cname) {
    /** Copies the collections and checks that a sending section names its SSRC and CNAME. */
    public Section {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(direction, "direction");
      codecs = List.copyOf(codecs);
      extensionIds = Map.copyOf(extensionIds);
      if (codecs.isEmpty()) {
        throw new IllegalArgumentException("a section needs a codec");
      }
      if (direction.sends() && (ssrc < 0 || cname == null)) {
        throw new IllegalArgumentException("a sending section needs its SSRC and CNAME");
      }
    }

    /** A section that only receives (a player's). */
    public static Section receiving(MediaKind kind, List<Codec> codecs, Map<String, Integer> extensionIds) {
      return new Section(kind, Direction.RECVONLY, codecs, extensionIds, -1, -1, null);
    }

    /** A section that only sends, with these SSRCs (rtxSsrc -1 for none). */
    public static Section sending(MediaKind kind, List<Codec> codecs, long ssrc, long rtxSsrc, String cname) {
      return new Section(kind, Direction.SENDONLY, codecs, Map.of(), ssrc, rtxSsrc, cname);
    }
  }

  /**
   * What the server's answer tells the client.
   *
   * @param description the parsed answer, for checks on its sections
   * @param iceUfrag the server's ICE username fragment
   * @param icePwd the server's ICE password
   * @param fingerprint the server's certificate fingerprint
   * @param candidates the server's candidates the client can use
   */
  public record Answer(SessionDescription description, String iceUfrag, String icePwd,
      DtlsFingerprint fingerprint, List<CandidateDescription> candidates) {
    /** Copies the list. */
    public Answer {
      candidates = List.copyOf(candidates);
    }
  }

  /** The client's offer for these sections. */
  public static String offer(WebRtcClient client, List<Section> sections) {
    return offer(client.localCredentials(), client.localCandidates(), client.localFingerprint(), sections);
  }

  /**
   * The offer of a client with these ICE credentials, candidates and certificate fingerprint, for
   * any client stack: BUNDLE of the sections, the candidates in the first, {@code a=setup:actpass},
   * rtcp-mux and rtcp-rsize.
   */
  public static String offer(IceCredentials credentials, List<CandidateDescription> candidates,
      DtlsFingerprint localFingerprint, List<Section> sections) {
    String fingerprint = localFingerprint.toSdp();
    List<String> mids = new ArrayList<>();
    for (int i = 0; i < sections.size(); i++) {
      mids.add(Integer.toString(i));
    }
    SessionDescription.Builder session = SessionDescription.builder()
        .line('v', "0")
        .line('o', "- " + (System.identityHashCode(credentials) & 0x7FFF_FFFFL) + " 2 IN IP4 127.0.0.1")
        .line('s', "-")
        .line('t', "0 0")
        .attribute("group", new Group(Group.BUNDLE, mids).toValue());
    for (int i = 0; i < sections.size(); i++) {
      Section s = sections.get(i);
      List<String> formats = new ArrayList<>();
      for (Codec c : s.codecs()) {
        formats.add(Integer.toString(c.payloadType()));
        if (c.rtxPayloadType() >= 0) {
          formats.add(Integer.toString(c.rtxPayloadType()));
        }
      }
      MediaDescription.Builder m = MediaDescription.builder(
          new MediaLine(s.kind().sdpName(), 9, 0, "UDP/TLS/RTP/SAVPF", formats));
      m.line('c', "IN IP4 0.0.0.0");
      m.attribute("rtcp", "9 IN IP4 0.0.0.0");
      if (i == 0) {
        for (CandidateDescription c : candidates) {
          m.attribute("candidate", WebRtcNegotiation.toSdp(c).toValue());
        }
        m.attribute("end-of-candidates");
      }
      m.attribute("ice-ufrag", credentials.ufrag());
      m.attribute("ice-pwd", credentials.pwd());
      m.attribute("fingerprint", fingerprint);
      m.attribute("setup", SetupRole.ACTPASS.sdpName());
      m.attribute("mid", mids.get(i));
      for (Map.Entry<String, Integer> e : s.extensionIds().entrySet()) {
        m.attribute("extmap", e.getValue() + " " + e.getKey());
      }
      m.attribute(s.direction().sdpName());
      m.attribute("rtcp-mux");
      m.attribute("rtcp-rsize");
      for (Codec c : s.codecs()) {
        m.attribute("rtpmap", c.payloadType() + " " + c.name() + "/" + c.clockRateHz()
            + (c.channels() > 0 ? "/" + c.channels() : ""));
        for (String fb : c.feedback()) {
          m.attribute("rtcp-fb", c.payloadType() + " " + fb);
        }
        if (!c.fmtp().isEmpty()) {
          m.attribute("fmtp", c.payloadType() + " " + c.fmtp());
        }
        if (c.rtxPayloadType() >= 0) {
          m.attribute("rtpmap", c.rtxPayloadType() + " rtx/" + c.clockRateHz());
          m.attribute("fmtp", c.rtxPayloadType() + " apt=" + c.payloadType());
        }
      }
      if (s.direction().sends()) {
        if (s.rtxSsrc() >= 0) {
          m.attribute("ssrc-group", "FID " + s.ssrc() + " " + s.rtxSsrc());
        }
        m.attribute("ssrc", s.ssrc() + " cname:" + s.cname());
        if (s.rtxSsrc() >= 0) {
          m.attribute("ssrc", s.rtxSsrc() + " cname:" + s.cname());
        }
      }
      session.media(m.build());
    }
    return session.build().toSdp();
  }

  /**
   * Reads the server's answer: the ICE credentials and fingerprint of its first accepted section
   * (the BUNDLE tag, RFC 8843 §7.3.1) and every candidate in it that the client can use.
   *
   * @throws dev.palco.sfu.sdp.SdpException if the answer does not parse or accepts no section
   */
  public static Answer readAnswer(String answerSdp) {
    SessionDescription answer = SessionDescription.parse(answerSdp);
    for (MediaDescription m : answer.media()) {
      if (m.isRejected()) {
        continue;
      }
      String ufrag = m.iceUfrag() != null ? m.iceUfrag() : answer.iceUfrag();
      String pwd = m.icePwd() != null ? m.icePwd() : answer.icePwd();
      List<Fingerprint> fingerprints = m.fingerprints().isEmpty() ? answer.fingerprints() : m.fingerprints();
      if (ufrag == null || pwd == null || fingerprints.isEmpty()) {
        throw SdpNegotiationException.session("answer has no ICE credentials or fingerprint");
      }
      Fingerprint f = fingerprints.get(0);
      List<CandidateDescription> candidates = new ArrayList<>();
      for (IceCandidate c : m.candidates()) {
        CandidateDescription d = WebRtcNegotiation.fromSdp(c);
        if (d != null) {
          candidates.add(d);
        }
      }
      return new Answer(answer, ufrag, pwd, DtlsFingerprint.parse(f.hashFunction() + " " + f.value()),
          candidates);
    }
    throw SdpNegotiationException.session("answer accepts no section");
  }
}
