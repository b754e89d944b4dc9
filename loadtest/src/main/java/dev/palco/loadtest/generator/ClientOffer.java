package dev.palco.loadtest.generator;

import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.Group;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.MediaLine;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.sdp.SetupRole;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The offer of any {@link MediaClient}, line for line what {@link ClientSdp#offer} writes for a
 * {@code WebRtcClient} (which it cannot take: it is typed to that class): BUNDLE of the sections,
 * the client's candidates in the first, its ICE credentials and fingerprint with {@code
 * a=setup:actpass}, rtcp-mux and rtcp-rsize.
 */
final class ClientOffer {
  private ClientOffer() {}

  /** The client's offer for these sections. */
  static String of(MediaClient client, List<ClientSdp.Section> sections) {
    IceCredentials credentials = client.localCredentials();
    String fingerprint = client.localFingerprint().toSdp();
    List<String> mids = new ArrayList<>();
    for (int i = 0; i < sections.size(); i++) {
      mids.add(Integer.toString(i));
    }
    SessionDescription.Builder session = SessionDescription.builder()
        .line('v', "0")
        .line('o', "- " + (System.identityHashCode(client) & 0x7FFF_FFFFL) + " 2 IN IP4 127.0.0.1")
        .line('s', "-")
        .line('t', "0 0")
        .attribute("group", new Group(Group.BUNDLE, mids).toValue());
    for (int i = 0; i < sections.size(); i++) {
      ClientSdp.Section s = sections.get(i);
      List<String> formats = new ArrayList<>();
      for (ClientSdp.Codec c : s.codecs()) {
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
        for (CandidateDescription c : client.localCandidates()) {
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
      for (ClientSdp.Codec c : s.codecs()) {
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
}
