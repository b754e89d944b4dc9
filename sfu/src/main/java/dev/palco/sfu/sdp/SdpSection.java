package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The lines of one level of a description (the session level, or one media section) and the typed
 * views of the attributes both levels may carry. The lines are the truth; each typed view parses its
 * attribute lines when asked, so an attribute nobody asks about can never fail a negotiation, and a
 * malformed one that is asked about fails with its line number ({@link SdpParseException}).
 */
public abstract sealed class SdpSection permits SessionDescription, MediaDescription {

  private final List<SdpLine> lines;
  /**
   * Attribute lines by name, and the typed views already parsed by name. Built on first use (a
   * description that is only parsed and serialised never needs them); the lines never change, so a
   * race that builds one twice is harmless.
   */
  private volatile Index index;

  private static final class Index {
    final Map<String, List<SdpLine>> byName = new HashMap<>();
    final ConcurrentHashMap<String, List<?>> parsed = new ConcurrentHashMap<>();
  }

  SdpSection(List<SdpLine> lines) {
    this.lines = List.copyOf(lines);
  }

  private Index index() {
    Index i = index;
    if (i == null) {
      i = new Index();
      for (SdpLine l : lines) {
        if (l.isAttribute()) {
          i.byName.computeIfAbsent(l.attributeName(), k -> new ArrayList<>(1)).add(l);
        }
      }
      index = i;
    }
    return i;
  }

  /** @return this level's lines in order (for a media section: the lines after {@code m=}) */
  public List<SdpLine> lines() {
    return lines;
  }

  /** @return every attribute line with this name, in order */
  public List<SdpLine> attributeLines(String name) {
    List<SdpLine> l = index().byName.get(name);
    return l == null ? List.of() : List.copyOf(l);
  }

  /** @return true if an attribute with this name is present (flag or value) */
  public boolean hasAttribute(String name) {
    return index().byName.containsKey(name);
  }

  /** @return the value of the first attribute with this name, or null (also null for a flag) */
  public String attribute(String name) {
    List<SdpLine> l = index().byName.get(name);
    return l == null ? null : l.get(0).attributeValue();
  }

  /**
   * Parses every attribute line with this name with {@code parser}, reporting the line on failure.
   * The result is cached by name, so each name must always be read with the same parser.
   */
  @SuppressWarnings("unchecked")
  <T> List<T> parseAll(String name, Function<String, T> parser) {
    ConcurrentHashMap<String, List<?>> parsed = index().parsed;
    List<?> cached = parsed.get(name);
    if (cached != null) {
      return (List<T>) cached;
    }
    List<T> out = new ArrayList<>();
    for (SdpLine l : index().byName.getOrDefault(name, List.of())) {
      out.add(parseLine(l, parser));
    }
    List<T> result = List.copyOf(out);
    parsed.put(name, result);
    return result;
  }

  /** Parses the single attribute with this name; null if absent; an error if it appears twice. */
  <T> T parseSingle(String name, Function<String, T> parser) {
    List<SdpLine> found = index().byName.get(name);
    if (found == null) {
      return null;
    }
    if (found.size() > 1) {
      SdpLine second = found.get(1);
      throw new SdpParseException("a=" + name + " appears more than once", second.lineNumber(), second.toString());
    }
    return parseAll(name, parser).get(0);
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
