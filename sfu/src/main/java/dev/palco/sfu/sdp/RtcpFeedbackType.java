package dev.palco.sfu.sdp;

/** The RTCP feedback messages the SFU negotiates ({@code a=rtcp-fb}, RFC 4585 §4.2). */
public enum RtcpFeedbackType {
  /** Generic NACK, RFC 4585 §6.2.1: drives RTX retransmission. */
  NACK("nack", null),
  /** Picture Loss Indication, RFC 4585 §6.3.1: asks the sender for a keyframe. */
  NACK_PLI("nack", "pli"),
  /** Full Intra Request, RFC 5104 §4.3.1. */
  CCM_FIR("ccm", "fir"),
  /** Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb). */
  GOOG_REMB("goog-remb", null),
  /** Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
  TRANSPORT_CC("transport-cc", null);

  private final String type;
  private final String parameter;

  RtcpFeedbackType(String type, String parameter) {
    this.type = type;
    this.parameter = parameter;
  }

  /** @return the rtcp-fb id, e.g. {@code nack} */
  public String type() {
    return type;
  }

  /** @return the rtcp-fb parameter, e.g. {@code pli}, or null */
  public String parameter() {
    return parameter;
  }

  /** @return the type an {@code a=rtcp-fb} line names, or null if the SFU does not know it */
  public static RtcpFeedbackType of(RtcpFeedback fb) {
    for (RtcpFeedbackType t : values()) {
      if (t.type.equals(fb.type()) && java.util.Objects.equals(t.parameter, fb.parameter())) {
        return t;
      }
    }
    return null;
  }

  /** @return the text after the payload type in {@code a=rtcp-fb:<pt> <text>} */
  public String toValue() {
    return parameter == null ? type : type + ' ' + parameter;
  }
}
