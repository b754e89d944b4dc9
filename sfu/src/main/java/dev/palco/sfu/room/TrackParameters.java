package dev.palco.sfu.room;

import dev.palco.sfu.sdp.MediaKind;
import dev.palco.sfu.sdp.NegotiatedCodec;
import dev.palco.sfu.sdp.NegotiatedMedia;
import dev.palco.sfu.sdp.RtcpFeedbackType;
import dev.palco.sfu.sdp.SsrcGroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
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

  /**
   * The parameters of a negotiated media section: its codecs with RTX and feedback, extension ids,
   * rids, reduced-size RTCP, msid, and the remote SSRCs paired by {@code a=ssrc-group:FID}
   * (RFC 5576 §4.2; the SIM group, or else signalling order, orders the layers).
   */
  public static TrackParameters from(NegotiatedMedia media) {
    List<CodecParameters> codecs = new ArrayList<>();
    List<CodecParameters> wrappers = new ArrayList<>();
    for (NegotiatedCodec c : media.codecs()) {
      CodecParameters p = new CodecParameters(c.name(), c.payloadType(), c.clockRateHz(), c.rtxPayloadType(),
          c.supports(RtcpFeedbackType.NACK), c.supports(RtcpFeedbackType.NACK_PLI),
          c.supports(RtcpFeedbackType.CCM_FIR));
      (p.family() == CodecParameters.CodecFamily.RED ? wrappers : codecs).add(p);
    }
    // RED leads an answer so that the browser sends it, but the track's first codec is the one it
    // carries (Opus): what a decoder or a new subscription is set up for.
    if (codecs.isEmpty()) {
      wrappers.clear();
    }
    codecs.addAll(wrappers);
    Map<Long, Long> rtxByPrimary = new LinkedHashMap<>();
    Set<Long> rtxSsrcs = new HashSet<>();
    List<Long> order = null;
    for (SsrcGroup g : media.remoteSsrcGroups()) {
      if (SsrcGroup.FID.equals(g.semantics()) && g.ssrcs().size() == 2) {
        rtxByPrimary.put(g.ssrcs().get(0), g.ssrcs().get(1));
        rtxSsrcs.add(g.ssrcs().get(1));
      } else if (SsrcGroup.SIM.equals(g.semantics())) {
        order = g.ssrcs();
      }
    }
    if (order == null) {
      order = new ArrayList<>();
      for (Long ssrc : media.remoteSsrcs()) {
        if (!rtxSsrcs.contains(ssrc) && !order.contains(ssrc)) {
          order.add(ssrc);
        }
      }
    }
    List<SsrcPair> pairs = new ArrayList<>();
    // With rids the layers are learnt from the rid extension; signalled SSRCs name layer order
    // only through SIM, which rid-based simulcast does not use.
    if (media.remoteRids().isEmpty() || order.size() == media.remoteRids().size()) {
      for (Long ssrc : order) {
        pairs.add(new SsrcPair(ssrc, rtxByPrimary.getOrDefault(ssrc, -1L)));
      }
    }
    String streamId = media.remoteMsid() == null ? null : media.remoteMsid().streamId();
    String trackId = media.remoteMsid() == null ? null : media.remoteMsid().trackId();
    return new TrackParameters(media.kind() == MediaKind.AUDIO ? TrackKind.AUDIO : TrackKind.VIDEO,
        media.mid(), codecs, media.extensionIds(), pairs, media.remoteRids(), media.rtcpReducedSize(),
        streamId, trackId);
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
