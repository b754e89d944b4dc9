package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SDP text into lines and sections and checks the structure every description must have.
 *
 * <pre>
 * RFC 8866 §5, §9 (the order of lines is fixed; * = optional, + = one or more):
 *   session-description = version-field origin-field session-name-field
 *                         [information-field] [uri-field] *email-field *phone-field
 *                         [connection-field] *bandwidth-field time-description
 *                         [key-field] *attribute-field *media-description
 *   version-field  = %s"v" "=" "0" CRLF
 *   time-description = 1*( time-field *repeat-field ) [zone-adjustments]
 *   media-description = media-field [information-field] *connection-field
 *                       *bandwidth-field [key-field] *attribute-field
 *   each line: &lt;type&gt;=&lt;value&gt; CRLF, type = one lower-case letter, no space around "="
 *   text = byte-string   ; any octet but NUL, CR and LF
 * </pre>
 *
 * What is checked here: the size limit, {@code v=0} first, {@code o=} and {@code s=} next, at least
 * one {@code t=} before the first {@code m=}, each line {@code <letter>=<value>} with no NUL, only
 * known line types (RFC 8866 §5: a parser rejects a description with a type letter it does not
 * understand), only media-level types inside a media section, valid {@code o=}, {@code m=},
 * {@code c=} and {@code b=} lines, and attribute names that are tokens. The order of the optional
 * session-level lines is not enforced (endpoints vary and it carries no meaning). Attribute values are
 * checked later, by the typed view that reads them.
 *
 * <p>Line endings: CRLF or bare LF (RFC 8866 §5 asks parsers to accept LF); a final line without an
 * ending is accepted. An empty line is an error, except a single one at the very end.
 */
final class SdpParser {

  /**
   * Largest description accepted, in characters. A Chromium offer is about 6 KB per video section
   * with candidates; 256 KiB leaves room for ~40 sections and bounds the work a hostile peer can ask
   * for.
   */
  static final int MAX_SDP_CHARS = 256 * 1024;

  /** Line types allowed at session level (RFC 8866 §5). */
  private static final String SESSION_TYPES = "vosiuepcbtrzka";
  /** Line types allowed inside a media section (RFC 8866 §5). */
  private static final String MEDIA_TYPES = "icbka";

  private SdpParser() {}

  static SessionDescription parse(String sdp) {
    if (sdp == null || sdp.isEmpty()) {
      throw new SdpParseException("empty description");
    }
    if (sdp.length() > MAX_SDP_CHARS) {
      throw new SdpParseException("description is " + sdp.length() + " characters; the limit is " + MAX_SDP_CHARS);
    }
    List<SdpLine> session = new ArrayList<>();
    List<MediaDescription> media = new ArrayList<>();
    MediaLine currentM = null;
    int currentMLine = 0;
    List<SdpLine> current = null;
    boolean sawTime = false;

    int lineNumber = 0;
    int pos = 0;
    int len = sdp.length();
    while (pos < len) {
      int nl = sdp.indexOf('\n', pos);
      int end = nl < 0 ? len : nl;
      int next = nl < 0 ? len : nl + 1;
      if (end > pos && sdp.charAt(end - 1) == '\r') {
        end--;
      }
      lineNumber++;
      int start = pos;
      pos = next;
      if (end == start) {
        if (pos >= len) {
          break;
        }
        throw new SdpParseException("empty line", lineNumber, "");
      }
      if (lineNumber == 1 && (end - start != 3 || !sdp.startsWith("v=0", start))) {
        throw new SdpParseException("a description must start with v=0", lineNumber, sdp.substring(start, end));
      }
      if (end - start < 2 || sdp.charAt(start + 1) != '=') {
        throw new SdpParseException("not a '<type>=<value>' line", lineNumber, sdp.substring(start, end));
      }
      char type = sdp.charAt(start);
      String value = sdp.substring(start + 2, end);
      if (value.indexOf('\0') >= 0 || value.indexOf('\r') >= 0) {
        throw new SdpParseException("NUL or CR inside a line", lineNumber, type + "=" + value);
      }
      SdpLine line = new SdpLine(type, value, lineNumber);

      // RFC 8866 §5: v=, o=, s= come first, in that order.
      if (lineNumber == 2 && type != 'o') {
        throw new SdpParseException("the second line must be o=", lineNumber, line.toString());
      } else if (lineNumber == 3 && type != 's') {
        throw new SdpParseException("the third line must be s=", lineNumber, line.toString());
      } else if (lineNumber > 3 && (type == 'v' || type == 'o' || type == 's') && current == null) {
        throw new SdpParseException("a description has one " + type + "= line", lineNumber, line.toString());
      }

      try {
        checkLine(line);
      } catch (IllegalArgumentException e) {
        throw new SdpParseException(e.getMessage(), lineNumber, line.toString());
      }

      if (type == 'm') {
        if (!sawTime) {
          throw new SdpParseException("no t= line before the first m= line", lineNumber, line.toString());
        }
        if (currentM != null) {
          media.add(new MediaDescription(currentM, current, currentMLine));
        }
        try {
          currentM = MediaLine.parse(value);
        } catch (IllegalArgumentException e) {
          throw new SdpParseException(e.getMessage(), lineNumber, line.toString());
        }
        currentMLine = lineNumber;
        current = new ArrayList<>();
        continue;
      }
      if (current == null) {
        if (SESSION_TYPES.indexOf(type) < 0) {
          throw new SdpParseException("unknown line type '" + printable(type) + "'", lineNumber, line.toString());
        }
        if (type == 't') {
          sawTime = true;
        }
        session.add(line);
      } else {
        if (MEDIA_TYPES.indexOf(type) < 0) {
          throw new SdpParseException("line type '" + printable(type) + "' is not allowed in a media section",
              lineNumber, line.toString());
        }
        current.add(line);
      }
    }
    if (lineNumber < 3) {
      throw new SdpParseException("truncated description: v=, o= and s= lines are required");
    }
    if (currentM != null) {
      media.add(new MediaDescription(currentM, current, currentMLine));
    } else if (!sawTime) {
      throw new SdpParseException("no t= line");
    }
    return new SessionDescription(session, media);
  }

  /** Checks the value grammar of the structural line types (attributes are checked by their views). */
  private static void checkLine(SdpLine line) {
    String v = line.value();
    switch (line.type()) {
      case 'o' -> Origin.parse(v);
      case 'c' -> {
        // RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>; multicast adds /ttl[/n].
        List<String> f = SdpTokens.fields(v, "c= line");
        if (f.size() != 3) {
          throw new IllegalArgumentException("c= line needs <nettype> <addrtype> <connection-address>");
        }
        SdpTokens.token(f.get(0), "nettype");
        SdpTokens.token(f.get(1), "addrtype");
        int slash = f.get(2).indexOf('/');
        SdpTokens.address(slash < 0 ? f.get(2) : f.get(2).substring(0, slash), "connection-address");
      }
      case 'b' -> {
        // RFC 8866 §5.8: b=<bwtype>:<bandwidth>
        int colon = v.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("b= line needs <bwtype>:<bandwidth>");
        }
        SdpTokens.token(v.substring(0, colon), "bwtype");
        SdpTokens.digits(v.substring(colon + 1), 18, "bandwidth");
      }
      case 't' -> {
        // RFC 8866 §5.9: t=<start-time> <stop-time>
        List<String> f = SdpTokens.fields(v, "t= line");
        if (f.size() != 2) {
          throw new IllegalArgumentException("t= line needs <start-time> <stop-time>");
        }
        SdpTokens.digits(f.get(0), 20, "start-time");
        SdpTokens.digits(f.get(1), 20, "stop-time");
      }
      case 'a' -> {
        // RFC 8866 §9: attribute = (attribute-name ":" attribute-value) / attribute-name
        int colon = v.indexOf(':');
        SdpTokens.token(colon < 0 ? v : v.substring(0, colon), "attribute name");
      }
      default -> { }
    }
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
