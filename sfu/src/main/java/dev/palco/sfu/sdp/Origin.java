package dev.palco.sfu.sdp;

import java.util.List;

/**
 * The {@code o=} line.
 *
 * <pre>
 * RFC 8866 §5.2:
 *   o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;
 *   e.g.  o=- 8114222025201681001 2 IN IP4 127.0.0.1
 * </pre>
 *
 * The session id identifies one negotiation session and stays fixed; the version goes up by one in
 * every new description that changes anything (RFC 8829 §5.2.2, §5.3.2).
 *
 * @param username {@code -} when there is none
 * @param sessionId decimal digits (kept as text: RFC 8866 allows more than 64 bits)
 * @param sessionVersion the description's version
 * @param netType {@code IN}
 * @param addrType {@code IP4} or {@code IP6}
 * @param address the originator's address (WebRTC puts a placeholder here)
 */
public record Origin(String username, String sessionId, long sessionVersion, String netType,
    String addrType, String address) {

  /** Parses the value of an {@code o=} line. */
  static Origin parse(String value) {
    List<String> f = SdpTokens.fields(value, "o= line");
    if (f.size() != 6) {
      throw new IllegalArgumentException("o= line needs 6 fields, has " + f.size());
    }
    String sessionId = f.get(1);
    if (sessionId.isEmpty() || sessionId.length() > 64 || !sessionId.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("sess-id must be 1 to 64 digits");
    }
    long version = SdpTokens.digits(f.get(2), 18, "sess-version");
    return new Origin(f.get(0), sessionId, version, f.get(3), f.get(4), f.get(5));
  }

  /** @return the value of the {@code o=} line */
  public String toValue() {
    return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
  }

  /** @return the same origin with the version increased by one */
  public Origin nextVersion() {
    return new Origin(username, sessionId, sessionVersion + 1, netType, addrType, address);
  }
}
