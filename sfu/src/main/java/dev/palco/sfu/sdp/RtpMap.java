package dev.palco.sfu.sdp;

import java.util.Locale;

/**
 * A payload type's codec, {@code a=rtpmap}.
 *
 * <pre>
 * RFC 8866 §6.6:
 *   a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]
 *   e.g. a=rtpmap:111 opus/48000/2     a=rtpmap:96 VP8/90000
 * </pre>
 *
 * Encoding names are case-insensitive (RFC 4855 §3); {@link #matches} compares them so.
 *
 * @param payloadType 0..127
 * @param encodingName as written, e.g. {@code opus}, {@code VP8}
 * @param clockRateHz RTP clock rate
 * @param channels audio channels, or 0 when absent (meaning 1 for audio)
 */
public record RtpMap(int payloadType, String encodingName, int clockRateHz, int channels) {

  /** Parses the value of {@code a=rtpmap}. */
  static RtpMap parse(String value) {
    int sp = value.indexOf(' ');
    if (sp <= 0) {
      throw new IllegalArgumentException("rtpmap needs '<payload type> <encoding name>/<clock rate>'");
    }
    int pt = SdpTokens.payloadType(value.substring(0, sp));
    String[] parts = value.substring(sp + 1).split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("rtpmap encoding must be <name>/<clock rate>[/<parameters>]");
    }
    String name = SdpTokens.token(parts[0], "encoding name");
    int clock = SdpTokens.intInRange(parts[1], 1, Integer.MAX_VALUE, "clock rate");
    int channels = parts.length == 3 ? SdpTokens.intInRange(parts[2], 1, 255, "channels") : 0;
    return new RtpMap(pt, name, clock, channels);
  }

  /** @return true if this is the named codec at the given clock rate (name compared ignoring case) */
  public boolean matches(String name, int clockHz) {
    return encodingName.equalsIgnoreCase(name) && clockRateHz == clockHz;
  }

  /** @return the upper-case encoding name, for comparisons and messages */
  public String normalizedName() {
    return encodingName.toUpperCase(Locale.ROOT);
  }

  /** @return the value of {@code a=rtpmap} */
  public String toValue() {
    return payloadType + " " + encodingName + '/' + clockRateHz + (channels > 0 ? "/" + channels : "");
  }
}
