package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Codec agreement for one media section: the SFU's capabilities against what the other side wrote.
 * Payload type numbers always come from the offer (RFC 3264 §6.1: the answerer uses the offerer's
 * numbers for the same codec).
 */
final class CodecMatcher {
  private CodecMatcher() {}

  /** Encoding names that repair or wrap another codec: not codecs in their own right. */
  private static final Set<String> REPAIR_FORMATS = Set.of("RTX", "RED", "ULPFEC", "FLEXFEC-03");

  /**
   * Matches an offered section against the capabilities and returns the codecs the answer will carry,
   * in the SFU's order of preference. At most one payload type per capability (the first offered that
   * fits): an SFU gains nothing from two numbers for the same format.
   *
   * @return the agreed codecs; empty if none fits
   */
  static List<NegotiatedCodec> matchOffer(MediaDescription m, MediaKind kind, SfuCapabilities caps) {
    Map<Integer, RtpMap> rtpmaps = rtpmapsInFormatList(m);
    Map<Integer, Fmtp> fmtps = new HashMap<>();
    for (Fmtp f : m.fmtps()) {
      fmtps.putIfAbsent(f.payloadType(), f);
    }
    List<RtcpFeedback> feedback = m.rtcpFeedback();
    List<NegotiatedCodec> out = new ArrayList<>();
    CodecCapability red = null;
    for (CodecCapability cap : caps.codecs()) {
      if (cap.kind() != kind) {
        continue;
      }
      if (cap.isRed()) {
        red = cap; // needs the agreed Opus: matched below
        continue;
      }
      for (RtpMap r : rtpmaps.values()) {
        Fmtp fmtp = fmtps.get(r.payloadType());
        Map<String, String> offered = fmtp == null ? Map.of() : fmtp.parameters();
        Map<String, String> answerFmtp = answerFmtp(cap, r, offered);
        if (answerFmtp == null) {
          continue;
        }
        int rtxPt = cap.rtx() ? findRtx(rtpmaps, fmtps, r.payloadType(), cap.clockRateHz()) : -1;
        out.add(new NegotiatedCodec(cap.name(), r.payloadType(), cap.clockRateHz(), cap.channels(), answerFmtp,
            rtxPt, agreedFeedback(feedback, r.payloadType(), cap.feedback())));
        break;
      }
    }
    if (red != null) {
      addRed(out, red, rtpmaps, fmtps, feedback);
    }
    return out;
  }

  /**
   * Agrees RED when the offer wraps the agreed Opus in it: {@code red/48000/2} whose fmtp names
   * only that Opus payload type (RFC 2198 §5: the fmtp lists each block's payload type). RED goes
   * first in the answer, since its first format is the one the offerer will send (RFC 3264 §6.1:
   * the answer lists formats in the answerer's order of preference).
   */
  private static void addRed(List<NegotiatedCodec> out, CodecCapability red, Map<Integer, RtpMap> rtpmaps,
      Map<Integer, Fmtp> fmtps, List<RtcpFeedback> feedback) {
    int opusAt = -1;
    for (int i = 0; i < out.size(); i++) {
      if ("opus".equalsIgnoreCase(out.get(i).name())) {
        opusAt = i;
        break;
      }
    }
    if (opusAt < 0) {
      return;
    }
    String opusPt = Integer.toString(out.get(opusAt).payloadType());
    for (RtpMap r : rtpmaps.values()) {
      if (!r.matches(red.name(), red.clockRateHz()) || r.channels() != red.channels()) {
        continue;
      }
      Fmtp fmtp = fmtps.get(r.payloadType());
      String blocks = fmtp == null ? "" : fmtp.parameterText().trim();
      if (!wrapsOnly(blocks, opusPt)) {
        continue;
      }
      out.add(opusAt, new NegotiatedCodec(red.name(), r.payloadType(), red.clockRateHz(), red.channels(),
          Map.of(blocks, ""), -1, agreedFeedback(feedback, r.payloadType(), red.feedback())));
      return;
    }
  }

  /** Whether a RED fmtp ({@code 111/111}) names at least one block and only {@code pt}. */
  private static boolean wrapsOnly(String blocks, String pt) {
    if (blocks.isEmpty()) {
      return false;
    }
    for (String b : blocks.split("/", -1)) {
      if (!b.equals(pt)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether an offered codec fits a capability, and if so the fmtp to answer with; null if it does
   * not fit.
   */
  private static Map<String, String> answerFmtp(CodecCapability cap, RtpMap r, Map<String, String> offered) {
    if (!r.matches(cap.name(), cap.clockRateHz())) {
      return null;
    }
    int offeredChannels = r.channels() == 0 && cap.kind() == MediaKind.AUDIO ? 1 : r.channels();
    if (offeredChannels != cap.channels()) {
      return null;
    }
    if (cap.isH264()) {
      return h264AnswerFmtp(cap, offered);
    }
    Map<String, String> answer = new LinkedHashMap<>(cap.fmtp());
    if (cap.isOpus() && offered.containsKey("usedtx")) {
      // Passed through as offered: DTX is the sender's choice and the SFU forwards whatever comes.
      answer.put("usedtx", offered.get("usedtx"));
    }
    return answer;
  }

  /**
   * RFC 6184 §8.2.2: the packetization mode and the profile must be the same as the SFU's; the level
   * is answered at the lower of the offered and the SFU's level. {@code level-asymmetry-allowed}
   * (RFC 6184 §8.1) is echoed when offered.
   */
  private static Map<String, String> h264AnswerFmtp(CodecCapability cap, Map<String, String> offered) {
    String ourMode = cap.fmtp().getOrDefault("packetization-mode", "0");
    if (!ourMode.equals(offered.getOrDefault("packetization-mode", "0"))) {
      return null;
    }
    H264ProfileLevelId ours = H264ProfileLevelId.parse(cap.fmtp().getOrDefault("profile-level-id",
        H264ProfileLevelId.DEFAULT.toHex()));
    H264ProfileLevelId theirs;
    String plid = offered.get("profile-level-id");
    try {
      theirs = plid == null ? H264ProfileLevelId.DEFAULT : H264ProfileLevelId.parse(plid);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!theirs.sameProfile(ours)) {
      return null;
    }
    Map<String, String> answer = new LinkedHashMap<>();
    if ("1".equals(offered.get("level-asymmetry-allowed"))) {
      answer.put("level-asymmetry-allowed", "1");
    }
    answer.put("packetization-mode", ourMode);
    answer.put("profile-level-id", theirs.withLevelAtMost(ours.levelIdc()).toHex());
    return answer;
  }

  /** RFC 4588 §8.1: the RTX payload type is the {@code rtx} one whose {@code apt} names the codec. */
  private static int findRtx(Map<Integer, RtpMap> rtpmaps, Map<Integer, Fmtp> fmtps, int pt, int clockHz) {
    for (RtpMap r : rtpmaps.values()) {
      if (r.matches("rtx", clockHz)) {
        Fmtp f = fmtps.get(r.payloadType());
        if (f != null && Integer.toString(pt).equals(f.parameters().get("apt"))) {
          return r.payloadType();
        }
      }
    }
    return -1;
  }

  private static Set<RtcpFeedbackType> agreedFeedback(List<RtcpFeedback> lines, int pt, Set<RtcpFeedbackType> ours) {
    Set<RtcpFeedbackType> out = EnumSet.noneOf(RtcpFeedbackType.class);
    for (RtcpFeedback fb : lines) {
      RtcpFeedbackType t = RtcpFeedbackType.of(fb);
      if (fb.appliesTo(pt) && t != null && ours.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /** The rtpmaps of payload types listed on the m= line, in m= line order. */
  static Map<Integer, RtpMap> rtpmapsInFormatList(MediaDescription m) {
    Map<Integer, RtpMap> byPt = new HashMap<>();
    for (RtpMap r : m.rtpmaps()) {
      byPt.putIfAbsent(r.payloadType(), r);
    }
    Map<Integer, RtpMap> out = new LinkedHashMap<>();
    for (String fmt : m.mediaLine().formats()) {
      int pt = parsePt(fmt);
      RtpMap r = pt < 0 ? null : byPt.get(pt);
      if (r != null) {
        out.putIfAbsent(pt, r);
      }
    }
    return out;
  }

  /** The offered codec names for an error message: distinct, in offer order, repair formats left out. */
  static String offeredNames(MediaDescription m) {
    Set<String> names = new LinkedHashSet<>();
    for (RtpMap r : rtpmapsInFormatList(m).values()) {
      String n = r.encodingName().toUpperCase(Locale.ROOT);
      if (!REPAIR_FORMATS.contains(n)) {
        names.add(r.encodingName());
      }
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /**
   * Reads the codecs of an answer to an SFU offer. Only payload types the SFU offered count; the
   * answer's fmtp is the agreement; feedback is what both sides listed.
   *
   * @throws SdpNegotiationException if the answer renames an offered payload type
   */
  static List<NegotiatedCodec> matchAnswer(MediaDescription offer, MediaDescription answer, MediaKind kind,
      SfuCapabilities caps, int index) {
    Map<Integer, RtpMap> offered = rtpmapsInFormatList(offer);
    Map<Integer, RtpMap> answeredMaps = new HashMap<>();
    for (RtpMap r : answer.rtpmaps()) {
      answeredMaps.putIfAbsent(r.payloadType(), r);
    }
    Map<Integer, Fmtp> answerFmtps = new HashMap<>();
    for (Fmtp f : answer.fmtps()) {
      answerFmtps.putIfAbsent(f.payloadType(), f);
    }
    List<RtcpFeedback> offerFb = offer.rtcpFeedback();
    List<RtcpFeedback> answerFb = answer.rtcpFeedback();
    List<Integer> answeredPts = new ArrayList<>();
    for (String fmt : answer.mediaLine().formats()) {
      int pt = parsePt(fmt);
      if (pt >= 0) {
        answeredPts.add(pt);
      }
    }
    List<NegotiatedCodec> out = new ArrayList<>();
    for (int pt : answeredPts) {
      RtpMap ours = offered.get(pt);
      if (ours == null) {
        continue;
      }
      RtpMap theirs = answeredMaps.get(pt);
      if (theirs != null && !theirs.matches(ours.encodingName(), ours.clockRateHz())) {
        throw SdpNegotiationException.media(answer.mediaLine().media(), answer.mid(), index,
            "answer maps payload type " + pt + " to " + theirs.encodingName() + " but the offer had " + ours.encodingName());
      }
      CodecCapability cap = null;
      for (CodecCapability c : caps.codecs()) {
        if (c.kind() == kind && ours.matches(c.name(), c.clockRateHz())) {
          cap = c;
          break;
        }
      }
      if (cap == null) {
        continue;
      }
      int rtxPt = -1;
      for (int candidate : answeredPts) {
        RtpMap r = offered.get(candidate);
        Fmtp f = answerFmtps.get(candidate);
        if (r != null && r.matches("rtx", ours.clockRateHz()) && f != null
            && Integer.toString(pt).equals(f.parameters().get("apt"))) {
          rtxPt = candidate;
          break;
        }
      }
      Fmtp fmtp = answerFmtps.get(pt);
      Set<RtcpFeedbackType> fb = agreedFeedback(answerFb, pt, agreedFeedback(offerFb, pt, cap.feedback()));
      out.add(new NegotiatedCodec(cap.name(), pt, cap.clockRateHz(), cap.channels(),
          fmtp == null ? Map.of() : fmtp.parameters(), cap.rtx() ? rtxPt : -1, fb));
    }
    return out;
  }

  /** @return the payload type a format names, or -1 if the format is not a number in 0..127 */
  static int parsePt(String fmt) {
    if (fmt.isEmpty() || fmt.length() > 3) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= 127 ? v : -1;
  }
}
