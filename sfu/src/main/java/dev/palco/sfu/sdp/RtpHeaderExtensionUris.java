package dev.palco.sfu.sdp;

/** URIs of the RTP header extensions the SFU negotiates ({@code a=extmap}, RFC 8285). */
public final class RtpHeaderExtensionUris {
  private RtpHeaderExtensionUris() {}

  /** The section's mid in each packet, RFC 8843 §15: how BUNDLE demultiplexes before SSRCs are known. */
  public static final String SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
  /** The RTP stream id (rid), RFC 8852 §3.1: names simulcast layers. */
  public static final String SDES_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
  /** The rid of the stream an RTX stream repairs, RFC 8852 §3.2. */
  public static final String SDES_REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
  /** Audio level of the packet, RFC 6464: drives active-speaker detection. */
  public static final String SSRC_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
  /** Absolute send time, 6.18 fixed point seconds (webrtc.org), for REMB bandwidth estimation. */
  public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
  /** Transport-wide sequence number for transport-cc feedback. */
  public static final String TRANSPORT_WIDE_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
  /** Capture time of the media (webrtc.org), for A/V sync through the SFU. */
  public static final String ABS_CAPTURE_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";
}
