package dev.palco.sfu.sdp;

import java.util.Objects;

/**
 * A track the SFU sends to a subscriber: what goes into its sendonly media section
 * ({@code a=msid}, {@code a=ssrc-group:FID}, {@code a=ssrc ... cname}).
 *
 * @param kind audio or video
 * @param streamId the MediaStream id the browser groups tracks by (usually the publisher's id)
 * @param trackId the track id; it identifies the track across renegotiations, so keep it stable
 * @param ssrc primary SSRC the SFU sends with
 * @param rtxSsrc RTX SSRC (RFC 4588), or -1 for none (audio)
 * @param cname RTCP CNAME (RFC 3550 §6.5.1), the same for tracks that should be synchronised
 */
public record OutgoingTrack(MediaKind kind, String streamId, String trackId, long ssrc, long rtxSsrc,
    String cname) {

  /** Checks the ids against the msid grammar (RFC 8830 §2) and the SSRC ranges. */
  public OutgoingTrack {
    Objects.requireNonNull(kind, "kind");
    Msid.parse(streamId + ' ' + trackId);
    if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < -1 || rtxSsrc > 0xFFFF_FFFFL || rtxSsrc == ssrc) {
      throw new IllegalArgumentException("SSRCs must be distinct 32-bit values (rtxSsrc -1 for none)");
    }
    if (cname == null || cname.isEmpty() || cname.indexOf(' ') >= 0 || cname.indexOf('\n') >= 0 || cname.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("cname must be non-empty text without spaces");
    }
  }

  /** @return true if an RTX SSRC is given */
  public boolean hasRtx() {
    return rtxSsrc >= 0;
  }
}
