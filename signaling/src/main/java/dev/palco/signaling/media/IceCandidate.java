package dev.palco.signaling.media;

import java.util.Objects;

/**
 * A trickled ICE candidate, shaped like the browser's {@code RTCIceCandidateInit}.
 *
 * @param candidate the {@code candidate:…} attribute value (RFC 8839 §5.1), without {@code a=}
 * @param sdpMid the m-line it belongs to, or {@code null}
 * @param sdpMLineIndex the index of that m-line, or {@code null}
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
  /** Checks that the candidate line is present. */
  public IceCandidate {
    Objects.requireNonNull(candidate, "candidate");
  }
}
