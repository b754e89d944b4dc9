package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One media section: its {@code m=} line and every line after it up to the next {@code m=}, in order
 * (RFC 8866 §5: {@code m=}, then {@code i= c= b= k= a=}). Immutable. Typed views parse on demand.
 */
public final class MediaDescription extends SdpSection {

  private final MediaLine mediaLine;
  private final int lineNumber;

  /**
   * @param mediaLine the {@code m=} line
   * @param lines the lines after it
   * @param lineNumber the {@code m=} line's 1-based number when parsed, 0 when built
   */
  MediaDescription(MediaLine mediaLine, List<SdpLine> lines, int lineNumber) {
    super(lines);
    this.mediaLine = mediaLine;
    this.lineNumber = lineNumber;
  }

  /** @return a builder for a new media section */
  public static Builder builder(MediaLine mediaLine) {
    return new Builder(mediaLine);
  }

  /** @return the {@code m=} line */
  public MediaLine mediaLine() {
    return mediaLine;
  }

  /** @return the 1-based line number of the {@code m=} line in the parsed text, 0 if built in code */
  public int lineNumber() {
    return lineNumber;
  }

  /** @return audio or video, or null for any other media (application, text, ...) */
  public MediaKind kind() {
    return MediaKind.fromSdpName(mediaLine.media());
  }

  /** @return true if the port is 0: the section is rejected or stopped (RFC 3264 §6, RFC 8829 §5.2.2) */
  public boolean isRejected() {
    return mediaLine.port() == 0;
  }

  /** @return {@code a=mid} (RFC 5888 §4: {@code identification-tag = token}), or null */
  public String mid() {
    return parseSingle("mid", v -> SdpTokens.token(v, "mid"));
  }

  /**
   * @return the direction attribute, or {@link Direction#SENDRECV} when none is present (RFC 8866
   *     §6.7); two direction attributes are an error
   */
  public Direction direction() {
    Direction found = null;
    for (SdpLine l : lines()) {
      if (l.isAttribute() && l.attributeValue() == null) {
        Direction d = Direction.fromSdpName(l.value());
        if (d != null) {
          if (found != null) {
            throw new SdpParseException("more than one direction attribute", l.lineNumber(), l.toString());
          }
          found = d;
        }
      }
    }
    return found == null ? Direction.SENDRECV : found;
  }

  /** @return every {@code a=candidate} (RFC 8839 §5.1), in order */
  public List<IceCandidate> candidates() {
    return parseAll("candidate", IceCandidate::parseValue);
  }

  /** @return true if {@code a=end-of-candidates} is present (RFC 8840 §8.2) */
  public boolean endOfCandidates() {
    return hasAttribute("end-of-candidates");
  }

  /** @return every {@code a=msid} (RFC 8830), in order */
  public List<Msid> msids() {
    return parseAll("msid", Msid::parse);
  }

  /** @return true if {@code a=rtcp-mux} is present (RFC 5761 §5.1.1) */
  public boolean rtcpMux() {
    return hasAttribute("rtcp-mux");
  }

  /** @return true if {@code a=rtcp-rsize} is present (RFC 5506 §5) */
  public boolean rtcpRsize() {
    return hasAttribute("rtcp-rsize");
  }

  /** @return every {@code a=rtpmap}, in order */
  public List<RtpMap> rtpmaps() {
    return parseAll("rtpmap", RtpMap::parse);
  }

  /** @return the {@code a=rtpmap} for this payload type, or null */
  public RtpMap rtpmap(int payloadType) {
    for (RtpMap m : rtpmaps()) {
      if (m.payloadType() == payloadType) {
        return m;
      }
    }
    return null;
  }

  /** @return every {@code a=fmtp}, in order */
  public List<Fmtp> fmtps() {
    return parseAll("fmtp", Fmtp::parse);
  }

  /** @return the {@code a=fmtp} for this payload type, or null */
  public Fmtp fmtp(int payloadType) {
    for (Fmtp f : fmtps()) {
      if (f.payloadType() == payloadType) {
        return f;
      }
    }
    return null;
  }

  /** @return every {@code a=rtcp-fb}, in order */
  public List<RtcpFeedback> rtcpFeedback() {
    return parseAll("rtcp-fb", RtcpFeedback::parse);
  }

  /** @return every {@code a=ssrc} (RFC 5576 §4.1), in order */
  public List<SsrcAttribute> ssrcs() {
    return parseAll("ssrc", SsrcAttribute::parse);
  }

  /** @return the distinct SSRCs named by {@code a=ssrc} lines, in order of first appearance */
  public List<Long> ssrcIds() {
    List<Long> out = new ArrayList<>();
    for (SsrcAttribute a : ssrcs()) {
      if (!out.contains(a.ssrc())) {
        out.add(a.ssrc());
      }
    }
    return out;
  }

  /** @return every {@code a=ssrc-group} (RFC 5576 §4.2), in order */
  public List<SsrcGroup> ssrcGroups() {
    return parseAll("ssrc-group", SsrcGroup::parse);
  }

  /** @return every {@code a=rid} (RFC 8851), in order */
  public List<Rid> rids() {
    return parseAll("rid", Rid::parse);
  }

  /** @return {@code a=simulcast} (RFC 8853), or null */
  public Simulcast simulcast() {
    return parseSingle("simulcast", Simulcast::parse);
  }

  /** @return this section as SDP text, each line ended by CRLF */
  public String toSdp() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb);
    return sb.toString();
  }

  void appendTo(StringBuilder sb) {
    sb.append("m=").append(mediaLine.toValue()).append("\r\n");
    for (SdpLine l : lines()) {
      sb.append(l.type()).append('=').append(l.value()).append("\r\n");
    }
  }

  /** Builds a media section line by line, in the order the lines are added. */
  public static final class Builder {
    private MediaLine mediaLine;
    private final List<SdpLine> lines = new ArrayList<>();

    private Builder(MediaLine mediaLine) {
      this.mediaLine = mediaLine;
    }

    /** Replaces the {@code m=} line. */
    public Builder mediaLine(MediaLine m) {
      this.mediaLine = m;
      return this;
    }

    /** Adds a line of any type. */
    public Builder line(char type, String value) {
      lines.add(new SdpLine(type, value, 0));
      return this;
    }

    /** Adds an existing line (its line number is dropped). */
    public Builder line(SdpLine line) {
      lines.add(new SdpLine(line.type(), line.value(), 0));
      return this;
    }

    /** Adds a flag attribute. */
    public Builder attribute(String name) {
      lines.add(SdpLine.attribute(name));
      return this;
    }

    /** Adds a value attribute. */
    public Builder attribute(String name, String value) {
      lines.add(SdpLine.attribute(name, value));
      return this;
    }

    /** @return the immutable media section */
    public MediaDescription build() {
      return new MediaDescription(mediaLine, lines, 0);
    }
  }
}
