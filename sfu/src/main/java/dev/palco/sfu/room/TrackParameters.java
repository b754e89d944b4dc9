package dev.palco.sfu.room;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What negotiation agreed for one media section, in the terms the media plane needs. The same
 * type describes a section a participant publishes (what it will send us) and a section a
 * subscriber receives (the payload types and extension ids it accepted from us).
 *
 * @param kind audio or video
 * @param mid the section's mid (RFC 8843), also carried in the sdes:mid header extension
 * @param codecs agreed codecs, preferred first
 * @param extensionIds agreed header extension ids by URI (RFC 8285)
 * @param ssrcs SSRCs the publisher signalled, primary with its RTX partner (FID group); empty when
 *     not signalled (they are then learnt from the mid and rid extensions)
 * @param rids simulcast rids, lowest layer first (RFC 8853); empty without simulcast
 * @param rtcpReducedSize whether reduced-size RTCP was agreed (RFC 5506)
 * @param streamId the publisher's MediaStream id (msid), or null
 * @param trackId the publisher's track id (msid), or null
 */
public record TrackParameters(
    TrackKind kind, String mid, List<CodecParameters> codecs, Map<String, Integer> extensionIds,
    List<SsrcPair> ssrcs, List<String> rids, boolean rtcpReducedSize, String streamId,
    String trackId) {

  /** Copies the collections. */
  public TrackParameters {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mid, "mid");
    codecs = List.copyOf(codecs);
    if (codecs.isEmpty()) {
      throw new IllegalArgumentException("a track needs at least one codec");
    }
    extensionIds = Map.copyOf(new LinkedHashMap<>(extensionIds));
    ssrcs = List.copyOf(ssrcs);
    rids = List.copyOf(rids);
  }

  /**
   * A primary SSRC and its RTX SSRC (RFC 5576 §4.2 {@code a=ssrc-group:FID}).
   *
   * @param ssrc the media SSRC
   * @param rtxSsrc the RTX SSRC, or -1
   */
  public record SsrcPair(long ssrc, long rtxSsrc) {
    /** Checks the ranges. */
    public SsrcPair {
      if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < -1 || rtxSsrc > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("SSRCs are 32-bit: " + ssrc + "/" + rtxSsrc);
      }
    }
  }

  /** The agreed id of an extension URI, or -1. */
  public int extensionId(String uri) {
    Integer id = extensionIds.get(uri);
    return id == null ? -1 : id;
  }

  /** The codec with this payload type, or null. */
  public CodecParameters codec(int payloadType) {
    for (CodecParameters c : codecs) {
      if (c.payloadType() == payloadType) {
        return c;
      }
    }
    return null;
  }

  /** The codec of the same format as {@code other}, or null. */
  public CodecParameters codecLike(CodecParameters other) {
    for (CodecParameters c : codecs) {
      if (c.sameFormat(other)) {
        return c;
      }
    }
    return null;
  }
}
