package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ICE candidate, the value of {@code a=candidate} or of a trickled candidate string.
 *
 * <pre>
 * RFC 8839 §5.1 (with RFC 6544 §4.5 for tcptype):
 *   candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                         connection-address SP port SP cand-type [SP rel-addr] [SP rel-port]
 *                         *(SP cand-extension)
 *   foundation     = 1*32ice-char            ice-char = ALPHA / DIGIT / "+" / "/"
 *   component-id   = 1*3DIGIT
 *   transport      = "UDP" / transport-extension    (RFC 6544 adds "TCP")
 *   priority       = 1*10DIGIT
 *   cand-type      = "typ" SP ("host" / "srflx" / "prflx" / "relay" / token)
 *   rel-addr       = "raddr" SP connection-address
 *   rel-port       = "rport" SP port
 *   cand-extension = extension-att-name SP extension-att-value   e.g. "tcptype passive",
 *                    "generation 0", "ufrag E0KJ", "network-id 3", "network-cost 50"
 *   e.g. a=candidate:3903060551 1 udp 2122194687 127.0.0.1 46221 typ host generation 0
 * </pre>
 *
 * Transport names are case-insensitive (ABNF strings); Chromium writes them in lower case.
 *
 * @param foundation 1..32 ice-chars
 * @param componentId 1 for RTP (with rtcp-mux there is no component 2)
 * @param transport UDP or TCP
 * @param priority 0..2^32-1
 * @param address IP address or FQDN (an mDNS {@code .local} name is kept as given)
 * @param port 0..65535 (TCP active candidates use 9)
 * @param type host, srflx, prflx or relay
 * @param relatedAddress {@code raddr}, or null
 * @param relatedPort {@code rport}, or -1
 * @param tcpType for TCP: active, passive or so; null for UDP
 * @param generation the {@code generation} extension, or -1 when absent
 * @param ufrag the {@code ufrag} extension, or null
 * @param extensions every extension name/value pair in order (including tcptype, generation and ufrag),
 *     so a candidate serialises back to the same text
 */
public record IceCandidate(String foundation, int componentId, Transport transport, long priority,
    String address, int port, Type type, String relatedAddress, int relatedPort, TcpType tcpType,
    long generation, String ufrag, List<Extension> extensions) {

  /** Candidate transport (RFC 8839 §5.1; TCP from RFC 6544). */
  public enum Transport {
    /** UDP. */
    UDP,
    /** ICE-TCP (RFC 6544). */
    TCP
  }

  /** Candidate type (RFC 8445 §5.1.1). */
  public enum Type {
    /** A local interface address. */
    HOST("host"),
    /** Server reflexive: the address a STUN server saw. */
    SRFLX("srflx"),
    /** Peer reflexive: learnt from a connectivity check. */
    PRFLX("prflx"),
    /** A TURN relay address. */
    RELAY("relay");

    private final String sdpName;

    Type(String sdpName) {
      this.sdpName = sdpName;
    }

    /** @return the {@code typ} value */
    public String sdpName() {
      return sdpName;
    }
  }

  /** ICE-TCP candidate roles (RFC 6544 §4.5). */
  public enum TcpType {
    /** Opens connections, never accepts (port 9 in SDP). */
    ACTIVE("active"),
    /** Accepts connections. */
    PASSIVE("passive"),
    /** Simultaneous open. */
    SO("so");

    private final String sdpName;

    TcpType(String sdpName) {
      this.sdpName = sdpName;
    }

    /** @return the {@code tcptype} value */
    public String sdpName() {
      return sdpName;
    }
  }

  /**
   * One {@code cand-extension} pair.
   *
   * @param name extension-att-name, a byte-string token
   * @param value extension-att-value
   */
  public record Extension(String name, String value) {}

  /** Copies the extension list so the record stays immutable. */
  public IceCandidate {
    extensions = List.copyOf(extensions);
  }

  /**
   * Builds a candidate with the usual extensions ({@code tcptype} for TCP, then {@code generation 0}),
   * for the SFU's own candidates.
   */
  public static IceCandidate of(String foundation, int componentId, Transport transport, long priority,
      String address, int port, Type type, String relatedAddress, int relatedPort, TcpType tcpType) {
    List<Extension> ext = new ArrayList<>();
    if (tcpType != null) {
      ext.add(new Extension("tcptype", tcpType.sdpName()));
    }
    ext.add(new Extension("generation", "0"));
    return new IceCandidate(foundation, componentId, transport, priority, address, port, type,
        relatedAddress, relatedPort, tcpType, 0, null, ext);
  }

  /**
   * Parses a candidate: the value of {@code a=candidate}, or a trickled string that still starts with
   * {@code "candidate:"} (as the W3C RTCIceCandidate.candidate field does).
   *
   * @throws SdpParseException if the text breaks the grammar above
   */
  public static IceCandidate parse(String text) {
    try {
      return parseValue(text.startsWith("candidate:") ? text.substring("candidate:".length()) : text);
    } catch (IllegalArgumentException e) {
      throw new SdpParseException(e.getMessage(), 0, "a=candidate:" + text);
    }
  }

  static IceCandidate parseValue(String value) {
    List<String> f = SdpTokens.fields(value, "candidate");
    if (f.size() < 8) {
      throw new IllegalArgumentException("candidate needs at least 8 fields, has " + f.size());
    }
    String foundation = f.get(0);
    if (foundation.length() > 32 || !isIceChars(foundation)) {
      throw new IllegalArgumentException("foundation must be 1 to 32 ice-chars");
    }
    int component = (int) SdpTokens.digits(f.get(1), 3, "component-id");
    if (component < 1 || component > 256) {
      throw new IllegalArgumentException("component-id out of range 1..256: " + component);
    }
    Transport transport;
    switch (f.get(2).toUpperCase(Locale.ROOT)) {
      case "UDP" -> transport = Transport.UDP;
      case "TCP" -> transport = Transport.TCP;
      default -> throw new IllegalArgumentException("unsupported candidate transport '"
          + SdpTokens.shorten(f.get(2)) + "'");
    }
    long priority = SdpTokens.digits(f.get(3), 10, "priority");
    if (priority > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("priority out of range 0..4294967295: " + priority);
    }
    String address = SdpTokens.address(f.get(4), "connection-address");
    int port = SdpTokens.intInRange(f.get(5), 0, 65535, "port");
    if (!"typ".equals(f.get(6))) {
      throw new IllegalArgumentException("expected 'typ' after the port, found '" + SdpTokens.shorten(f.get(6)) + "'");
    }
    Type type = null;
    for (Type t : Type.values()) {
      if (t.sdpName.equals(f.get(7))) {
        type = t;
      }
    }
    if (type == null) {
      throw new IllegalArgumentException("unknown candidate type '" + SdpTokens.shorten(f.get(7)) + "'");
    }
    String raddr = null;
    int rport = -1;
    int i = 8;
    if (i + 1 < f.size() && "raddr".equals(f.get(i))) {
      raddr = SdpTokens.address(f.get(i + 1), "raddr");
      i += 2;
    }
    if (i + 1 < f.size() && "rport".equals(f.get(i))) {
      rport = SdpTokens.intInRange(f.get(i + 1), 0, 65535, "rport");
      i += 2;
    }
    if ((f.size() - i) % 2 != 0) {
      throw new IllegalArgumentException("candidate extension without a value: '" + SdpTokens.shorten(f.get(f.size() - 1)) + "'");
    }
    TcpType tcpType = null;
    long generation = -1;
    String ufrag = null;
    List<Extension> ext = new ArrayList<>();
    for (; i < f.size(); i += 2) {
      String name = SdpTokens.token(f.get(i), "extension-att-name");
      String val = f.get(i + 1);
      switch (name) {
        case "tcptype" -> {
          tcpType = null;
          for (TcpType t : TcpType.values()) {
            if (t.sdpName.equals(val)) {
              tcpType = t;
            }
          }
          if (tcpType == null) {
            throw new IllegalArgumentException("unknown tcptype '" + SdpTokens.shorten(val) + "'");
          }
        }
        case "generation" -> generation = SdpTokens.digits(val, 10, "generation");
        case "ufrag" -> ufrag = val;
        default -> { }
      }
      ext.add(new Extension(name, val));
    }
    if (transport == Transport.TCP && tcpType == null) {
      throw new IllegalArgumentException("TCP candidate without tcptype (RFC 6544 §4.5)");
    }
    if (transport == Transport.UDP && tcpType != null) {
      throw new IllegalArgumentException("UDP candidate with a tcptype");
    }
    return new IceCandidate(foundation, component, transport, priority, address, port, type, raddr, rport,
        tcpType, generation, ufrag, ext);
  }

  private static boolean isIceChars(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** @return the {@code a=candidate} value (without {@code "candidate:"}) */
  public String toValue() {
    StringBuilder sb = new StringBuilder();
    sb.append(foundation).append(' ').append(componentId).append(' ')
        .append(transport.name().toLowerCase(Locale.ROOT)).append(' ').append(priority).append(' ')
        .append(address).append(' ').append(port).append(" typ ").append(type.sdpName);
    if (relatedAddress != null) {
      sb.append(" raddr ").append(relatedAddress);
    }
    if (relatedPort >= 0) {
      sb.append(" rport ").append(relatedPort);
    }
    for (Extension e : extensions) {
      sb.append(' ').append(e.name()).append(' ').append(e.value());
    }
    return sb.toString();
  }
}
