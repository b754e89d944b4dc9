package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The lines of one level of a description (the session level, or one media section) and the typed
 * views of the attributes both levels may carry. The lines are the truth; each typed view parses its
 * attribute lines when asked, so an attribute nobody asks about can never fail a negotiation, and a
 * malformed one that is asked about fails with its line number ({@link SdpParseException}).
 */
public abstract sealed class SdpSection permits SessionDescription, MediaDescription {

  private final List<SdpLine> lines;

  SdpSection(List<SdpLine> lines) {
    this.lines = List.copyOf(lines);
  }

  /** @return this level's lines in order (for a media section: the lines after {@code m=}) */
  public List<SdpLine> lines() {
    return lines;
  }

  /** @return every attribute line with this name, in order */
  public List<SdpLine> attributeLines(String name) {
    List<SdpLine> out = new ArrayList<>();
    for (SdpLine l : lines) {
      if (l.isAttribute(name)) {
        out.add(l);
      }
    }
    return out;
  }

  /** @return true if an attribute with this name is present (flag or value) */
  public boolean hasAttribute(String name) {
    for (SdpLine l : lines) {
      if (l.isAttribute(name)) {
        return true;
      }
    }
    return false;
  }

  /** @return the value of the first attribute with this name, or null (also null for a flag) */
  public String attribute(String name) {
    for (SdpLine l : lines) {
      if (l.isAttribute(name)) {
        return l.attributeValue();
      }
    }
    return null;
  }

  /** Parses every attribute line with this name with {@code parser}, reporting the line on failure. */
  <T> List<T> parseAll(String name, Function<String, T> parser) {
    List<T> out = new ArrayList<>();
    for (SdpLine l : lines) {
      if (l.isAttribute(name)) {
        out.add(parseLine(l, parser));
      }
    }
    return out;
  }

  /** Parses the single attribute with this name; null if absent; an error if it appears twice. */
  <T> T parseSingle(String name, Function<String, T> parser) {
    SdpLine found = null;
    for (SdpLine l : lines) {
      if (l.isAttribute(name)) {
        if (found != null) {
          throw new SdpParseException("a=" + name + " appears more than once", l.lineNumber(), l.toString());
        }
        found = l;
      }
    }
    return found == null ? null : parseLine(found, parser);
  }

  static <T> T parseLine(SdpLine l, Function<String, T> parser) {
    String v = l.attributeValue();
    if (v == null) {
      throw new SdpParseException("a=" + l.attributeName() + " needs a value", l.lineNumber(), l.toString());
    }
    try {
      return parser.apply(v);
    } catch (IllegalArgumentException e) {
      throw new SdpParseException(e.getMessage(), l.lineNumber(), l.toString());
    }
  }

  /** @return {@code a=ice-ufrag} (RFC 8839 §5.4), or null */
  public String iceUfrag() {
    return parseSingle("ice-ufrag", SdpSection::iceCredential);
  }

  /** @return {@code a=ice-pwd} (RFC 8839 §5.4), or null */
  public String icePwd() {
    return parseSingle("ice-pwd", SdpSection::iceCredential);
  }

  /**
   * RFC 8839 §5.4: {@code ice-ufrag = 4*256ice-char}, {@code ice-pwd = 22*256ice-char}; the length
   * limits are checked by the negotiators, which know which of the two they hold.
   */
  private static String iceCredential(String v) {
    if (v.isEmpty() || v.length() > 256) {
      throw new IllegalArgumentException("ICE credential must be 1 to 256 ice-chars");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!ok) {
        throw new IllegalArgumentException("ICE credential may hold only ALPHA / DIGIT / '+' / '/'");
      }
    }
    return v;
  }

  /** @return the {@code a=ice-options} tokens (RFC 8839 §5.6), e.g. trickle, renomination; empty if none */
  public List<String> iceOptions() {
    List<String> out = new ArrayList<>();
    for (List<String> l : parseAll("ice-options", v -> SdpTokens.fields(v, "ice-options"))) {
      out.addAll(l);
    }
    return List.copyOf(out);
  }

  /** @return true if {@code a=ice-lite} is present (RFC 8839 §5.3) */
  public boolean iceLite() {
    return hasAttribute("ice-lite");
  }

  /** @return every {@code a=fingerprint} (RFC 8122 §5), in order */
  public List<Fingerprint> fingerprints() {
    return parseAll("fingerprint", Fingerprint::parse);
  }

  /** @return {@code a=setup} (RFC 4145 §4), or null if absent */
  public SetupRole setup() {
    return parseSingle("setup", SetupRole::parse);
  }

  /** @return every {@code a=extmap} (RFC 8285 §7), in order */
  public List<ExtMap> extmaps() {
    return parseAll("extmap", ExtMap::parse);
  }
}
