package dev.palco.sfu.sdp;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A codec the SFU can forward, with the parameters it answers and the payload type numbers it uses
 * when it makes the offer itself (when it answers, the offerer's numbers are used instead).
 *
 * @param kind audio or video
 * @param name encoding name as the SFU writes it, e.g. {@code opus}, {@code VP8}, {@code H264}
 * @param clockRateHz RTP clock rate
 * @param channels audio channels (2 for Opus, RFC 7587 §7), 0 for video
 * @param fmtp the format parameters the SFU writes, in order
 * @param rtx true if an RTX stream (RFC 4588) is negotiated with this codec
 * @param feedback the RTCP feedback the SFU accepts for this codec
 * @param payloadType payload type number used in SFU offers
 * @param rtxPayloadType RTX payload type number used in SFU offers, -1 without RTX
 */
public record CodecCapability(MediaKind kind, String name, int clockRateHz, int channels,
    Map<String, String> fmtp, boolean rtx, Set<RtcpFeedbackType> feedback, int payloadType,
    int rtxPayloadType) {

  /** Copies the collections so the record stays immutable. */
  public CodecCapability {
    fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
    feedback = feedback.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(feedback));
  }

  /** Opus/48000/2 with in-band FEC and 10 ms minimum packet time (RFC 7587 §6.1); transport-cc only. */
  public static CodecCapability opus() {
    Map<String, String> fmtp = new LinkedHashMap<>();
    fmtp.put("minptime", "10");
    fmtp.put("useinbandfec", "1");
    return new CodecCapability(MediaKind.AUDIO, "opus", 48000, 2, fmtp, false,
        EnumSet.of(RtcpFeedbackType.TRANSPORT_CC), 111, -1);
  }

  /**
   * Opus wrapped in RED (RFC 2198), as browsers offer it: {@code red/48000/2} with an fmtp naming
   * the payload type of each block, {@code 111/111} for one redundant Opus block and the primary.
   * Agreed only together with Opus, and only when every block is that Opus. A lost packet's audio
   * then arrives in the next one, which Opus alone (its in-band FEC is a lower-rate copy) cannot
   * match at high loss.
   */
  public static CodecCapability opusRed() {
    // No feedback of its own: transport-cc is per packet, whatever the payload type.
    return new CodecCapability(MediaKind.AUDIO, "red", 48000, 2, Map.of("111/111", ""), false,
        EnumSet.noneOf(RtcpFeedbackType.class), 63, -1);
  }

  /** VP8/90000 (RFC 7741) with RTX and all video feedback. */
  public static CodecCapability vp8() {
    return new CodecCapability(MediaKind.VIDEO, "VP8", 90000, 0, Map.of(), true,
        EnumSet.allOf(RtcpFeedbackType.class), 96, 97);
  }

  /**
   * H264/90000 Constrained Baseline level 3.1 ({@code profile-level-id=42e01f}), non-interleaved
   * mode ({@code packetization-mode=1}, RFC 6184 §6.3), with RTX and all video feedback.
   */
  public static CodecCapability h264ConstrainedBaseline() {
    Map<String, String> fmtp = new LinkedHashMap<>();
    fmtp.put("level-asymmetry-allowed", "1");
    fmtp.put("packetization-mode", "1");
    fmtp.put("profile-level-id", "42e01f");
    return new CodecCapability(MediaKind.VIDEO, "H264", 90000, 0, fmtp, true,
        EnumSet.allOf(RtcpFeedbackType.class), 102, 103);
  }

  /** @return true for H.264, whose offers are matched by profile (RFC 6184 §8.2.2) */
  boolean isH264() {
    return "H264".equalsIgnoreCase(name);
  }

  /** @return true for Opus */
  boolean isOpus() {
    return "opus".equalsIgnoreCase(name);
  }

  /** @return true for RED (RFC 2198), which wraps another codec */
  boolean isRed() {
    return "red".equalsIgnoreCase(name);
  }

  static List<CodecCapability> defaults() {
    return List.of(opus(), opusRed(), vp8(), h264ConstrainedBaseline());
  }
}
