package dev.palco.sfu.sdp;

import java.util.List;

/**
 * The remote transport parameters of a BUNDLE group, read from its tag section with session-level
 * fallback (RFC 8839 §5.4 and RFC 8122 §5 allow both levels; Firefox puts the fingerprint at session
 * level).
 */
record RemoteTransport(String iceUfrag, String icePwd, List<String> iceOptions, boolean iceLite,
    List<Fingerprint> fingerprints, SetupRole setup, List<IceCandidate> candidates, boolean endOfCandidates) {

  /**
   * @param d the remote description
   * @param tag the BUNDLE tag section
   * @param tagIndex its 0-based position, for messages
   * @throws SdpNegotiationException if credentials or fingerprint are missing or too short
   */
  static RemoteTransport read(SessionDescription d, MediaDescription tag, int tagIndex) {
    String ufrag = tag.iceUfrag() != null ? tag.iceUfrag() : d.iceUfrag();
    String pwd = tag.icePwd() != null ? tag.icePwd() : d.icePwd();
    if (ufrag == null) {
      throw fail(tag, tagIndex, "no a=ice-ufrag (RFC 8839 §5.4)");
    }
    if (pwd == null) {
      throw fail(tag, tagIndex, "no a=ice-pwd (RFC 8839 §5.4)");
    }
    if (ufrag.length() < 4) {
      throw fail(tag, tagIndex, "a=ice-ufrag shorter than 4 characters (RFC 8839 §5.4)");
    }
    if (pwd.length() < 22) {
      throw fail(tag, tagIndex, "a=ice-pwd shorter than 22 characters (RFC 8839 §5.4)");
    }
    List<Fingerprint> fps = tag.fingerprints();
    if (fps.isEmpty()) {
      fps = d.fingerprints();
    }
    if (fps.isEmpty()) {
      throw fail(tag, tagIndex, "no a=fingerprint: DTLS-SRTP needs the peer's certificate fingerprint (RFC 8842 §5)");
    }
    List<String> options = tag.iceOptions().isEmpty() ? d.iceOptions() : tag.iceOptions();
    SetupRole setup = tag.setup() != null ? tag.setup() : d.setup();
    return new RemoteTransport(ufrag, pwd, options, d.iceLite(), fps, setup, tag.candidates(), tag.endOfCandidates());
  }

  private static SdpNegotiationException fail(MediaDescription m, int index, String reason) {
    return SdpNegotiationException.media(m.mediaLine().media(), m.mid(), index, reason);
  }
}
