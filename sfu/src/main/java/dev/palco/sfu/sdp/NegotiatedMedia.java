package dev.palco.sfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One accepted media section after negotiation: what the media plane uses for the section's mid.
 *
 * @param mid the section's mid (RFC 8843 §15: carried in the sdes:mid header extension)
 * @param kind audio or video
 * @param direction from the SFU's point of view: RECVONLY for what a participant publishes, SENDONLY
 *     for what the SFU forwards to it, INACTIVE when nothing flows
 * @param codecs the agreed codecs, preferred first
 * @param extensionIds agreed header extension ids by URI
 * @param remoteSsrcs SSRCs the remote party signalled with {@code a=ssrc}, in order
 * @param remoteSsrcGroups {@code a=ssrc-group} lines of the remote party (FID pairs, SIM layers)
 * @param remoteRids the simulcast rids the SFU agreed to receive, lowest layer first as sent; empty
 *     without simulcast
 * @param remoteMsid the remote party's {@code a=msid}, or null
 * @param remoteCname the remote party's CNAME from {@code a=ssrc:... cname:}, or null
 * @param localTrack the track the SFU sends in this section, or null
 * @param rtcpReducedSize true if reduced-size RTCP (RFC 5506) was agreed
 */
public record NegotiatedMedia(String mid, MediaKind kind, Direction direction, List<NegotiatedCodec> codecs,
    Map<String, Integer> extensionIds, List<Long> remoteSsrcs, List<SsrcGroup> remoteSsrcGroups,
    List<String> remoteRids, Msid remoteMsid, String remoteCname, OutgoingTrack localTrack,
    boolean rtcpReducedSize) {

  /** Copies the collections so the record stays immutable. */
  public NegotiatedMedia {
    codecs = List.copyOf(codecs);
    extensionIds = Collections.unmodifiableMap(new LinkedHashMap<>(extensionIds));
    remoteSsrcs = List.copyOf(remoteSsrcs);
    remoteSsrcGroups = List.copyOf(remoteSsrcGroups);
    remoteRids = List.copyOf(remoteRids);
  }

  /** @return the agreed id for an extension URI, or -1 if it was not agreed */
  public int extensionId(String uri) {
    Integer id = extensionIds.get(uri);
    return id == null ? -1 : id;
  }

  /** @return the codec with this payload type, or null */
  public NegotiatedCodec codec(int payloadType) {
    for (NegotiatedCodec c : codecs) {
      if (c.payloadType() == payloadType) {
        return c;
      }
    }
    return null;
  }
}
