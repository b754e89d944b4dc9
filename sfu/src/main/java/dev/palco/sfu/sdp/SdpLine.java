package dev.palco.sfu.sdp;

/**
 * One line of a session description: a one-letter type and the text after {@code '='}, exactly as
 * received, so serialising the lines again gives back the original text (RFC 8866 §5:
 * {@code <type>=<value>}). Attribute lines ({@code a=}) are further split into a name and an optional
 * value at the first colon (RFC 8866 §6: {@code a=<attribute-name>[:<attribute-value>]}).
 *
 * @param type the line type letter, e.g. {@code 'a'} or {@code 'c'}
 * @param value everything after {@code '='}, without the line ending
 * @param lineNumber 1-based line number in the parsed text, or 0 for a line built in code
 */
public record SdpLine(char type, String value, int lineNumber) {

  /** Builds a flag attribute line such as {@code a=rtcp-mux}. */
  public static SdpLine attribute(String name) {
    return new SdpLine('a', name, 0);
  }

  /** Builds a value attribute line such as {@code a=mid:0}. */
  public static SdpLine attribute(String name, String value) {
    return new SdpLine('a', name + ':' + value, 0);
  }

  /** @return true for {@code a=} lines */
  public boolean isAttribute() {
    return type == 'a';
  }

  /** @return the attribute name (text before the first colon) of an {@code a=} line */
  public String attributeName() {
    int colon = value.indexOf(':');
    return colon < 0 ? value : value.substring(0, colon);
  }

  /** @return the attribute value (text after the first colon), or null for a flag attribute */
  public String attributeValue() {
    int colon = value.indexOf(':');
    return colon < 0 ? null : value.substring(colon + 1);
  }

  /** @return true if this is an attribute line with the given name */
  public boolean isAttribute(String name) {
    if (type != 'a' || !value.startsWith(name)) {
      return false;
    }
    return value.length() == name.length() || value.charAt(name.length()) == ':';
  }

  /** @return the line as it appears in SDP, without the line ending */
  @Override
  public String toString() {
    return type + "=" + value;
  }
}
