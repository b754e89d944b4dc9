package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A group of sources, {@code a=ssrc-group}.
 *
 * <pre>
 * RFC 5576 §4.2:
 *   ssrc-group-attr = "ssrc-group:" semantics *(SP ssrc-id)
 *   e.g. a=ssrc-group:FID 3532531133 1545868756     (primary, then its RTX, RFC 4588 §8.2)
 *        a=ssrc-group:SIM 1 2 3                      (simulcast layers, low to high)
 * </pre>
 *
 * @param semantics e.g. {@code FID}, {@code SIM}, {@code FEC-FR}
 * @param ssrcs the member sources in order
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

  /** Semantics of a primary/RTX pair (RFC 5576 §4.2, RFC 4588 §8.2). */
  public static final String FID = "FID";
  /** Semantics of simulcast layers (as written by Chromium). */
  public static final String SIM = "SIM";

  /** Copies the list so the record stays immutable. */
  public SsrcGroup {
    ssrcs = List.copyOf(ssrcs);
  }

  /** Parses the value of {@code a=ssrc-group}. */
  static SsrcGroup parse(String value) {
    List<String> f = SdpTokens.fields(value, "ssrc-group");
    String semantics = SdpTokens.token(f.get(0), "ssrc-group semantics");
    List<Long> ssrcs = new ArrayList<>();
    for (int i = 1; i < f.size(); i++) {
      ssrcs.add(SdpTokens.ssrc(f.get(i)));
    }
    return new SsrcGroup(semantics, ssrcs);
  }

  /** @return the value of {@code a=ssrc-group} */
  public String toValue() {
    StringBuilder sb = new StringBuilder(semantics);
    for (long s : ssrcs) {
      sb.append(' ').append(s);
    }
    return sb.toString();
  }
}
