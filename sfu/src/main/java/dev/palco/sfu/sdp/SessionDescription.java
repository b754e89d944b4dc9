package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole session description: the session-level lines in order ({@code v= o= s= ... t= ... a=}) and
 * the media sections in order. Immutable.
 *
 * <p>Parsing ({@link #parse}) keeps every line, known or not, so {@link #toSdp()} gives back the text
 * it was parsed from, with each line ended by CRLF (RFC 8866 §5 requires CRLF; a description sent
 * with bare LF comes back with CRLF). Typed views read the lines on demand.
 */
public final class SessionDescription extends SdpSection {

  private final List<MediaDescription> media;

  SessionDescription(List<SdpLine> sessionLines, List<MediaDescription> media) {
    super(sessionLines);
    this.media = List.copyOf(media);
  }

  /**
   * Parses SDP text.
   *
   * @throws SdpParseException if the text is not a valid description (see {@link SdpParser})
   */
  public static SessionDescription parse(String sdp) {
    return SdpParser.parse(sdp);
  }

  /** @return a builder for a new description */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the media sections in order */
  public List<MediaDescription> media() {
    return media;
  }

  /** @return the media section with this mid, or null */
  public MediaDescription mediaByMid(String mid) {
    for (MediaDescription m : media) {
      if (mid.equals(m.mid())) {
        return m;
      }
    }
    return null;
  }

  /** @return the {@code o=} line (the parser guarantees one is present) */
  public Origin origin() {
    for (SdpLine l : lines()) {
      if (l.type() == 'o') {
        try {
          return Origin.parse(l.value());
        } catch (IllegalArgumentException e) {
          throw new SdpParseException(e.getMessage(), l.lineNumber(), l.toString());
        }
      }
    }
    throw new SdpParseException("no o= line");
  }

  /** @return every {@code a=group} (RFC 5888), in order */
  public List<Group> groups() {
    return parseAll("group", Group::parse);
  }

  /** @return the first {@code a=group:BUNDLE} (RFC 8843), or null */
  public Group bundleGroup() {
    for (Group g : groups()) {
      if (Group.BUNDLE.equals(g.semantics())) {
        return g;
      }
    }
    return null;
  }

  /** @return true if {@code a=extmap-allow-mixed} is present at session level (RFC 8285 §6) */
  public boolean extmapAllowMixed() {
    return hasAttribute("extmap-allow-mixed");
  }

  /** @return the description as SDP text, each line ended by CRLF */
  public String toSdp() {
    StringBuilder sb = new StringBuilder(256 + media.size() * 1024);
    for (SdpLine l : lines()) {
      sb.append(l.type()).append('=').append(l.value()).append("\r\n");
    }
    for (MediaDescription m : media) {
      m.appendTo(sb);
    }
    return sb.toString();
  }

  /** @return the SDP text, as {@link #toSdp()} */
  @Override
  public String toString() {
    return toSdp();
  }

  /** Builds a description line by line; {@link #build()} checks the mandatory lines. */
  public static final class Builder {
    private final List<SdpLine> lines = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();

    private Builder() {}

    /** Adds a session-level line of any type. */
    public Builder line(char type, String value) {
      lines.add(new SdpLine(type, value, 0));
      return this;
    }

    /** Adds a session-level flag attribute. */
    public Builder attribute(String name) {
      lines.add(SdpLine.attribute(name));
      return this;
    }

    /** Adds a session-level value attribute. */
    public Builder attribute(String name, String value) {
      lines.add(SdpLine.attribute(name, value));
      return this;
    }

    /** Appends a media section. */
    public Builder media(MediaDescription m) {
      media.add(m);
      return this;
    }

    /**
     * @return the description
     * @throws SdpParseException if the result would not parse back (a builder bug, caught early)
     */
    public SessionDescription build() {
      SessionDescription d = new SessionDescription(lines, media);
      return SdpParser.parse(d.toSdp());
    }
  }
}
