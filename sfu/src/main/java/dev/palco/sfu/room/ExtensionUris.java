package dev.palco.sfu.room;

/** The RTP header extension URIs the media plane reads or rewrites (RFC 8285 {@code a=extmap}). */
public final class ExtensionUris {
  /** RFC 8843 §15: the section's mid. */
  public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
  /** RFC 8852 §3.1: the simulcast rid. */
  public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
  /** RFC 8852 §3.2: the rid an RTX stream repairs. */
  public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
  /** RFC 6464: client-to-mixer audio level. */
  public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
  /** abs-send-time, for receive-side bandwidth estimation (REMB). */
  public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
  /** Transport-wide sequence numbers for TWCC. */
  public static final String TRANSPORT_CC =
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
  /** abs-capture-time: the capture time of the frame, kept end to end. */
  public static final String ABS_CAPTURE_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";

  private ExtensionUris() {}
}
