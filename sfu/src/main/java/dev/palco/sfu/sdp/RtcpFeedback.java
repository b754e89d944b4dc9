package dev.palco.sfu.sdp;

/**
 * An RTCP feedback capability, {@code a=rtcp-fb}.
 *
 * <pre>
 * RFC 4585 §4.2:
 *   rtcp-fb-syntax = "a=rtcp-fb:" rtcp-fb-pt SP rtcp-fb-val CRLF
 *   rtcp-fb-pt     = "*" / fmt          ; "*" applies to every payload type of the section
 *   rtcp-fb-val    = "ack" rtcp-fb-ack-param / "nack" rtcp-fb-nack-param / "trr-int" SP 1*DIGIT
 *                  / rtcp-fb-id rtcp-fb-param     ; e.g. "ccm fir" (RFC 5104), "goog-remb", "transport-cc"
 *   e.g. a=rtcp-fb:96 nack pli
 * </pre>
 *
 * @param payloadType 0..127, or {@link #ALL_PAYLOAD_TYPES} for {@code *}
 * @param type the feedback id, e.g. {@code nack}, {@code ccm}, {@code transport-cc}
 * @param parameter the rest (e.g. {@code pli}, {@code fir}), or null
 */
public record RtcpFeedback(int payloadType, String type, String parameter) {

  /** Payload type value standing for {@code *}. */
  public static final int ALL_PAYLOAD_TYPES = -1;

  /** Parses the value of {@code a=rtcp-fb}. */
  static RtcpFeedback parse(String value) {
    int sp = value.indexOf(' ');
    if (sp <= 0 || sp == value.length() - 1) {
      throw new IllegalArgumentException("rtcp-fb needs '<payload type> <feedback>'");
    }
    String ptText = value.substring(0, sp);
    int pt = "*".equals(ptText) ? ALL_PAYLOAD_TYPES : SdpTokens.payloadType(ptText);
    String rest = value.substring(sp + 1);
    int sp2 = rest.indexOf(' ');
    String type = SdpTokens.token(sp2 < 0 ? rest : rest.substring(0, sp2), "rtcp-fb id");
    String param = sp2 < 0 ? null : rest.substring(sp2 + 1);
    if (param != null && param.isEmpty()) {
      throw new IllegalArgumentException("rtcp-fb has an empty parameter");
    }
    return new RtcpFeedback(pt, type, param);
  }

  /** @return true if this line applies to the given payload type */
  public boolean appliesTo(int pt) {
    return payloadType == ALL_PAYLOAD_TYPES || payloadType == pt;
  }

  /** @return the value of {@code a=rtcp-fb} */
  public String toValue() {
    return (payloadType == ALL_PAYLOAD_TYPES ? "*" : Integer.toString(payloadType)) + ' ' + type
        + (parameter != null ? " " + parameter : "");
  }
}
