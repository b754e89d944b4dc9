package dev.palco.sfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Format parameters, {@code a=fmtp}.
 *
 * <pre>
 * RFC 8866 §6.15:
 *   a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;
 *   e.g. a=fmtp:111 minptime=10;useinbandfec=1
 *        a=fmtp:97 apt=96
 *        a=fmtp:63 111/111            (RED: not key=value)
 * </pre>
 *
 * Most codecs use {@code key=value} pairs separated by {@code ;}; {@link #parameters()} splits them
 * (trimming spaces, which some endpoints put after {@code ;}). A piece without {@code =} is kept as a
 * key with an empty value, so nothing is lost.
 *
 * @param payloadType 0..127
 * @param parameterText the parameter text exactly as written
 */
public record Fmtp(int payloadType, String parameterText) {

  /** Parses the value of {@code a=fmtp}. */
  static Fmtp parse(String value) {
    int sp = value.indexOf(' ');
    if (sp <= 0) {
      throw new IllegalArgumentException("fmtp needs '<format> <parameters>'");
    }
    return new Fmtp(SdpTokens.payloadType(value.substring(0, sp)), value.substring(sp + 1));
  }

  /** @return the parameters in order; keys are compared as written (RFC 7798 etc. use lower case) */
  public Map<String, String> parameters() {
    return parseParameters(parameterText);
  }

  /** Splits {@code k=v;k2=v2} into an ordered, unmodifiable map. */
  public static Map<String, String> parseParameters(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String piece : text.split(";")) {
      String p = piece.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        out.putIfAbsent(p, "");
      } else {
        out.putIfAbsent(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Joins parameters back into {@code k=v;k2=v2}. */
  public static String formatParameters(Map<String, String> parameters) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(e.getKey());
      if (!e.getValue().isEmpty()) {
        sb.append('=').append(e.getValue());
      }
    }
    return sb.toString();
  }

  /** @return the value of {@code a=fmtp} */
  public String toValue() {
    return payloadType + " " + parameterText;
  }
}
