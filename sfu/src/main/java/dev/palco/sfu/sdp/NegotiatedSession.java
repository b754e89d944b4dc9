package dev.palco.sfu.sdp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one offer/answer exchange for a participant: the remote transport parameters and
 * every accepted media section. Plain immutable data; built only when the whole exchange succeeded.
 *
 * @param remoteIceUfrag the remote ICE username fragment
 * @param remoteIcePwd the remote ICE password
 * @param remoteIceOptions the remote {@code a=ice-options} tokens
 * @param remoteIceLite true if the remote party is ICE-lite
 * @param remoteFingerprints the remote DTLS certificate fingerprints (RFC 8122)
 * @param remoteSetup the remote {@code a=setup} as written (actpass/active in offers, active in answers)
 * @param remoteCandidates candidates that came inside the description (more may trickle)
 * @param remoteEndOfCandidates true if the remote party signalled end-of-candidates
 * @param bundleMids the mids of the BUNDLE group, in order; the first is the BUNDLE tag
 * @param media accepted media sections, in m-line order
 * @param rejectedMids mids of sections that are rejected or stopped (port 0)
 */
public record NegotiatedSession(String remoteIceUfrag, String remoteIcePwd, List<String> remoteIceOptions,
    boolean remoteIceLite, List<Fingerprint> remoteFingerprints, SetupRole remoteSetup,
    List<IceCandidate> remoteCandidates, boolean remoteEndOfCandidates, List<String> bundleMids,
    List<NegotiatedMedia> media, List<String> rejectedMids) {

  /** Copies the lists so the record stays immutable. */
  public NegotiatedSession {
    remoteIceOptions = List.copyOf(remoteIceOptions);
    remoteFingerprints = List.copyOf(remoteFingerprints);
    remoteCandidates = List.copyOf(remoteCandidates);
    bundleMids = List.copyOf(bundleMids);
    media = List.copyOf(media);
    rejectedMids = List.copyOf(rejectedMids);
  }

  /** The SFU is always the DTLS server (RFC 8842 §5: the {@code passive} side). */
  public SetupRole localSetup() {
    return SetupRole.PASSIVE;
  }

  /** @return the accepted section with this mid, or null */
  public NegotiatedMedia media(String mid) {
    for (NegotiatedMedia m : media) {
      if (m.mid().equals(mid)) {
        return m;
      }
    }
    return null;
  }

  /** @return the tracks the SFU sends, by mid: the input for answering the browser's next offer */
  public Map<String, OutgoingTrack> outgoingTracksByMid() {
    Map<String, OutgoingTrack> out = new LinkedHashMap<>();
    for (NegotiatedMedia m : media) {
      if (m.localTrack() != null) {
        out.put(m.mid(), m.localTrack());
      }
    }
    return out;
  }
}
