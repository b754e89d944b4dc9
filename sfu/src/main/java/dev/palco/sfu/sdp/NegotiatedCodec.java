package dev.palco.sfu.sdp;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One codec agreed for a media section: what the media plane needs to send or receive it.
 *
 * @param name encoding name as the SFU spells it, e.g. {@code opus}, {@code VP8}, {@code H264}
 * @param payloadType the agreed payload type
 * @param clockRateHz RTP clock rate
 * @param channels audio channels, 0 for video
 * @param fmtp the format parameters of the answer (the agreement), in order
 * @param rtxPayloadType the RTX payload type (RFC 4588, {@code apt=payloadType}), or -1
 * @param feedback RTCP feedback both sides agreed on
 */
public record NegotiatedCodec(String name, int payloadType, int clockRateHz, int channels,
    Map<String, String> fmtp, int rtxPayloadType, Set<RtcpFeedbackType> feedback) {

  /** Copies the collections so the record stays immutable. */
  public NegotiatedCodec {
    fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
    feedback = feedback.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(feedback));
  }

  /** @return true if an RTX payload type was agreed */
  public boolean hasRtx() {
    return rtxPayloadType >= 0;
  }

  /** @return true if this feedback was agreed */
  public boolean supports(RtcpFeedbackType type) {
    return feedback.contains(type);
  }
}
