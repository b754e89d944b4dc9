package dev.palco.sfu.sdp;

import java.util.List;

/**
 * A media-section group, {@code a=group} (session level).
 *
 * <pre>
 * RFC 5888 §5:
 *   group-attribute     = "a=group:" semantics *(SP identification-tag)
 *   identification-tag  = token
 *   e.g. a=group:BUNDLE 0 1          (RFC 8843 §7: the first mid is the offerer/answerer tag)
 * </pre>
 *
 * @param semantics e.g. {@code BUNDLE}, {@code LS}
 * @param mids the identification tags in order
 */
public record Group(String semantics, List<String> mids) {

  /** The BUNDLE semantics of RFC 8843. */
  public static final String BUNDLE = "BUNDLE";

  /** Copies the list so the record stays immutable. */
  public Group {
    mids = List.copyOf(mids);
  }

  /** Parses the value of {@code a=group}. */
  static Group parse(String value) {
    List<String> f = SdpTokens.fields(value, "group");
    String semantics = SdpTokens.token(f.get(0), "group semantics");
    for (int i = 1; i < f.size(); i++) {
      SdpTokens.token(f.get(i), "identification-tag");
    }
    return new Group(semantics, f.subList(1, f.size()));
  }

  /** @return the value of {@code a=group} */
  public String toValue() {
    StringBuilder sb = new StringBuilder(semantics);
    for (String mid : mids) {
      sb.append(' ').append(mid);
    }
    return sb.toString();
  }
}
