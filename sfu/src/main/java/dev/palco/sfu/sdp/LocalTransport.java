package dev.palco.sfu.sdp;

import java.util.List;

/**
 * The SFU side of one participant's transport, as the transport layer reports it: ICE credentials,
 * candidates gathered so far and the DTLS certificate fingerprint. The SFU is always the DTLS server,
 * so no role is given here.
 *
 * @param iceUfrag RFC 8839 §5.4: 4 to 256 ice-chars
 * @param icePwd RFC 8839 §5.4: 22 to 256 ice-chars
 * @param iceOptions e.g. {@code trickle}, {@code renomination}; may be empty
 * @param iceLite true if the SFU runs ICE-lite (RFC 8445 §2.5), written as session-level {@code a=ice-lite}
 * @param fingerprints at least one; SHA-256 is what browsers check
 * @param candidates the SFU's candidates, written into the first BUNDLE section
 * @param endOfCandidates true to write {@code a=end-of-candidates} (RFC 8840 §8.2): no more will trickle
 */
public record LocalTransport(String iceUfrag, String icePwd, List<String> iceOptions, boolean iceLite,
    List<Fingerprint> fingerprints, List<IceCandidate> candidates, boolean endOfCandidates) {

  /** Checks the credentials and copies the lists. */
  public LocalTransport {
    iceOptions = List.copyOf(iceOptions);
    fingerprints = List.copyOf(fingerprints);
    candidates = List.copyOf(candidates);
    if (iceUfrag.length() < 4 || iceUfrag.length() > 256) {
      throw new IllegalArgumentException("ice-ufrag must be 4 to 256 characters (RFC 8839 §5.4)");
    }
    if (icePwd.length() < 22 || icePwd.length() > 256) {
      throw new IllegalArgumentException("ice-pwd must be 22 to 256 characters (RFC 8839 §5.4)");
    }
    if (fingerprints.isEmpty()) {
      throw new IllegalArgumentException("at least one DTLS fingerprint is needed (RFC 8842 §5)");
    }
  }
}
