package dev.palco.sfu.sdp;

/**
 * The SDP text breaks the grammar of RFC 8866 or of an attribute's own RFC. Carries the 1-based line
 * number and the offending line so a signaling error reply can point at it. Line number 0 means the
 * problem is not tied to one line (empty input, input too large, a missing mandatory line, or a line
 * that was built in code rather than parsed).
 */
public final class SdpParseException extends SdpException {
  private static final long serialVersionUID = 1L;

  /** The offending line is cut to this many characters inside the message, so huge lines stay readable. */
  static final int MAX_QUOTED_LINE_CHARS = 120;

  private final int lineNumber;
  private final String line;

  /**
   * @param reason what is wrong with the line
   * @param lineNumber 1-based line number, or 0 when not tied to a line
   * @param line the offending line without its line ending, or null
   */
  public SdpParseException(String reason, int lineNumber, String line) {
    super(format(reason, lineNumber, line));
    this.lineNumber = lineNumber;
    this.line = line;
  }

  /** @param reason what is wrong with the whole description */
  public SdpParseException(String reason) {
    this(reason, 0, null);
  }

  /** @return 1-based line number of the offending line, 0 if none */
  public int lineNumber() {
    return lineNumber;
  }

  /** @return the offending line (complete, not shortened), or null */
  public String line() {
    return line;
  }

  private static String format(String reason, int lineNumber, String line) {
    if (line == null) {
      return lineNumber > 0 ? "SDP line " + lineNumber + ": " + reason : "SDP: " + reason;
    }
    String quoted = line.length() > MAX_QUOTED_LINE_CHARS
        ? line.substring(0, MAX_QUOTED_LINE_CHARS) + "..." : line;
    String where = lineNumber > 0 ? "SDP line " + lineNumber : "SDP line";
    return where + " '" + quoted + "': " + reason;
  }
}
