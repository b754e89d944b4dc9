package dev.palco.sfu.sdp;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Payload type numbers and header extension ids across one participant's BUNDLE group. Sections in a
 * BUNDLE group share one RTP session, so a payload type number must mean one codec configuration and
 * an extension id one URI across all of them (RFC 8843 §9.1.2, RFC 8285 §6); new sections therefore
 * reuse the numbers already in the session and take fresh ones only for what is new.
 */
final class PayloadNumbering {

  private final Map<String, Integer> ptByCodec = new HashMap<>();
  private final Set<Integer> usedPts = new HashSet<>();
  private final Map<String, Integer> idByUri = new HashMap<>();
  private final Set<Integer> usedIds = new HashSet<>();

  /** Learns the numbers already used by a previous description (null: none). */
  PayloadNumbering(SessionDescription previous) {
    if (previous == null) {
      return;
    }
    for (MediaDescription m : previous.media()) {
      Map<Integer, Fmtp> fmtps = new HashMap<>();
      for (Fmtp f : m.fmtps()) {
        fmtps.putIfAbsent(f.payloadType(), f);
      }
      Map<Integer, String> keyByPt = new HashMap<>();
      for (RtpMap r : m.rtpmaps()) {
        usedPts.add(r.payloadType());
        if (!r.matches("rtx", r.clockRateHz())) {
          Fmtp f = fmtps.get(r.payloadType());
          keyByPt.put(r.payloadType(), key(r.encodingName(), r.clockRateHz(), r.channels(),
              f == null ? Map.of() : f.parameters()));
        }
      }
      for (RtpMap r : m.rtpmaps()) {
        String k = keyByPt.get(r.payloadType());
        if (k == null) {
          Fmtp f = fmtps.get(r.payloadType());
          String apt = f == null ? null : f.parameters().get("apt");
          int aptPt = apt == null ? -1 : CodecMatcher.parsePt(apt);
          k = aptPt >= 0 && keyByPt.containsKey(aptPt) ? "RTX:" + keyByPt.get(aptPt) : null;
        }
        if (k != null) {
          ptByCodec.putIfAbsent(k, r.payloadType());
        }
      }
      for (ExtMap e : m.extmaps()) {
        idByUri.putIfAbsent(e.uri(), e.id());
        usedIds.add(e.id());
      }
    }
  }

  /**
   * The identity of a codec configuration: name, clock, channels, and for H.264 the packetization
   * mode and profile (the level does not make a different configuration, RFC 6184 §8.2.2).
   */
  private static String key(String name, int clockHz, int channels, Map<String, String> fmtp) {
    String k = name.toUpperCase(Locale.ROOT) + '/' + clockHz + '/' + Math.max(channels, 1);
    if ("H264".equalsIgnoreCase(name)) {
      String plid = fmtp.getOrDefault("profile-level-id", H264ProfileLevelId.DEFAULT.toHex());
      String profile = plid.length() >= 4 ? plid.substring(0, 4).toLowerCase(Locale.ROOT) : plid;
      k += "/pm" + fmtp.getOrDefault("packetization-mode", "0") + "/" + profile;
    }
    return k;
  }

  /** @return the payload type for a capability: the session's, else its preferred one, else a free one */
  int payloadType(CodecCapability cap) {
    return assign(key(cap.name(), cap.clockRateHz(), cap.channels(), cap.fmtp()), cap.payloadType());
  }

  /** @return the RTX payload type for a capability */
  int rtxPayloadType(CodecCapability cap) {
    return assign("RTX:" + key(cap.name(), cap.clockRateHz(), cap.channels(), cap.fmtp()), cap.rtxPayloadType());
  }

  private int assign(String key, int preferred) {
    Integer known = ptByCodec.get(key);
    if (known != null) {
      return known;
    }
    int pt = preferred >= 0 && !usedPts.contains(preferred) ? preferred : freePt();
    ptByCodec.put(key, pt);
    usedPts.add(pt);
    return pt;
  }

  /** RFC 3551 §6: dynamic payload types are 96..127; 35..63 are also unassigned and browsers use them. */
  private int freePt() {
    for (int pt = 96; pt <= 127; pt++) {
      if (!usedPts.contains(pt)) {
        return pt;
      }
    }
    for (int pt = 35; pt <= 63; pt++) {
      if (!usedPts.contains(pt)) {
        return pt;
      }
    }
    throw SdpNegotiationException.session("no free RTP payload type left in the BUNDLE group");
  }

  /** @return the extension id for a URI: the session's, else the preferred one, else a free one; -1 if full */
  int extensionId(HeaderExtensionCapability ext) {
    Integer known = idByUri.get(ext.uri());
    if (known != null) {
      return known;
    }
    int id = -1;
    if (!usedIds.contains(ext.preferredId())) {
      id = ext.preferredId();
    } else {
      for (int i = 1; i <= ExtMap.MAX_ONE_BYTE_ID; i++) {
        if (!usedIds.contains(i)) {
          id = i;
          break;
        }
      }
    }
    if (id > 0) {
      idByUri.put(ext.uri(), id);
      usedIds.add(id);
    }
    return id;
  }
}
