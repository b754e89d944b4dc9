package dev.palco.sfu.sdp;

import java.util.List;
import java.util.Map;

/**
 * Writes the lines the SFU puts into every media section it describes, in the order Chromium writes
 * them, so descriptions read the same whichever side made them.
 */
final class SectionWriter {
  private SectionWriter() {}

  /** RFC 8829 §5.2.1: port 9 (discard) with address 0.0.0.0 when no candidate is the default yet. */
  static final int PLACEHOLDER_PORT = 9;

  /** @return the default candidate for the BUNDLE tag section: the first UDP candidate, or null */
  private static IceCandidate defaultCandidate(LocalTransport lt) {
    for (IceCandidate c : lt.candidates()) {
      if (c.transport() == IceCandidate.Transport.UDP) {
        return c;
      }
    }
    return null;
  }

  /** @return the m= line port: the default candidate's for the tag section, else 9 */
  static int port(LocalTransport lt, boolean bundleTag) {
    IceCandidate c = bundleTag ? defaultCandidate(lt) : null;
    return c == null ? PLACEHOLDER_PORT : c.port();
  }

  /**
   * Writes {@code c=}, {@code a=rtcp}, the candidates (tag section only: the others share its
   * transport, RFC 8843 §7.1.3), the ICE credentials and options, the fingerprints and the setup role.
   *
   * <p>The credentials and fingerprint are repeated in every bundled section, as Chromium does in its
   * own descriptions, so each section stays valid on its own if the BUNDLE tag section is later
   * removed.
   */
  static void transport(MediaDescription.Builder b, LocalTransport lt, SetupRole setup, boolean bundleTag) {
    IceCandidate c = bundleTag ? defaultCandidate(lt) : null;
    if (c == null) {
      b.line('c', "IN IP4 0.0.0.0");
    } else {
      b.line('c', (c.address().indexOf(':') >= 0 ? "IN IP6 " : "IN IP4 ") + c.address());
    }
    // RFC 8829 §5.2.1: with rtcp-mux, a=rtcp carries the placeholder 9 IN IP4 0.0.0.0.
    b.attribute("rtcp", "9 IN IP4 0.0.0.0");
    if (bundleTag) {
      for (IceCandidate cand : lt.candidates()) {
        b.attribute("candidate", cand.toValue());
      }
      if (lt.endOfCandidates()) {
        b.attribute("end-of-candidates");
      }
    }
    b.attribute("ice-ufrag", lt.iceUfrag());
    b.attribute("ice-pwd", lt.icePwd());
    if (!lt.iceOptions().isEmpty()) {
      b.attribute("ice-options", String.join(" ", lt.iceOptions()));
    }
    for (Fingerprint f : lt.fingerprints()) {
      b.attribute("fingerprint", f.toValue());
    }
    b.attribute("setup", setup.sdpName());
  }

  /** @return true for the transport attributes {@link #transport} writes */
  static boolean isTransportLine(SdpLine l) {
    if (l.type() == 'c') {
      return true;
    }
    if (!l.isAttribute()) {
      return false;
    }
    return switch (l.attributeName()) {
      case "rtcp", "candidate", "end-of-candidates", "ice-ufrag", "ice-pwd", "ice-options", "fingerprint",
          "setup", "tls-id" -> true;
      default -> false;
    };
  }

  /** Writes {@code a=extmap} lines in the order given. */
  static void extmaps(MediaDescription.Builder b, Map<String, Integer> idsByUri) {
    for (Map.Entry<String, Integer> e : idsByUri.entrySet()) {
      b.attribute("extmap", e.getValue() + " " + e.getKey());
    }
  }

  /** Writes rtpmap, rtcp-fb and fmtp lines for each codec, followed by its RTX (RFC 4588 §8.1). */
  static void codecs(MediaDescription.Builder b, List<NegotiatedCodec> codecs) {
    for (NegotiatedCodec c : codecs) {
      b.attribute("rtpmap", c.payloadType() + " " + c.name() + '/' + c.clockRateHz()
          + (c.channels() > 0 ? "/" + c.channels() : ""));
      for (RtcpFeedbackType fb : RtcpFeedbackType.values()) {
        if (c.supports(fb)) {
          b.attribute("rtcp-fb", c.payloadType() + " " + fb.toValue());
        }
      }
      if (!c.fmtp().isEmpty()) {
        b.attribute("fmtp", c.payloadType() + " " + Fmtp.formatParameters(c.fmtp()));
      }
      if (c.hasRtx()) {
        b.attribute("rtpmap", c.rtxPayloadType() + " rtx/" + c.clockRateHz());
        b.attribute("fmtp", c.rtxPayloadType() + " apt=" + c.payloadType());
      }
    }
  }

  /** @return the m= line format list for the codecs: each payload type, then its RTX */
  static List<String> formats(List<NegotiatedCodec> codecs) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (NegotiatedCodec c : codecs) {
      out.add(Integer.toString(c.payloadType()));
      if (c.hasRtx()) {
        out.add(Integer.toString(c.rtxPayloadType()));
      }
    }
    return out;
  }

  /**
   * Writes the sending track: {@code a=ssrc-group:FID} (RFC 5576 §4.2, RFC 4588 §8.2) and the
   * {@code cname} and {@code msid} source attributes Chromium expects for each SSRC.
   */
  static void ssrcs(MediaDescription.Builder b, OutgoingTrack t) {
    String msid = t.streamId() + ' ' + t.trackId();
    if (t.hasRtx()) {
      b.attribute("ssrc-group", SsrcGroup.FID + ' ' + t.ssrc() + ' ' + t.rtxSsrc());
    }
    b.attribute("ssrc", t.ssrc() + " cname:" + t.cname());
    b.attribute("ssrc", t.ssrc() + " msid:" + msid);
    if (t.hasRtx()) {
      b.attribute("ssrc", t.rtxSsrc() + " cname:" + t.cname());
      b.attribute("ssrc", t.rtxSsrc() + " msid:" + msid);
    }
  }

  /** Session-level lines: v=, o=, s=, t=, then ice-lite and the BUNDLE group. */
  static SessionDescription.Builder session(Origin origin, LocalTransport lt, List<String> bundleMids) {
    SessionDescription.Builder s = SessionDescription.builder()
        .line('v', "0")
        .line('o', origin.toValue())
        .line('s', "-")
        .line('t', "0 0");
    if (lt.iceLite()) {
      s.attribute("ice-lite");
    }
    if (!bundleMids.isEmpty()) {
      s.attribute("group", new Group(Group.BUNDLE, bundleMids).toValue());
    }
    return s;
  }
}
