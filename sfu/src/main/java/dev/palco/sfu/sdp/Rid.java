package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An RTP stream identifier, {@code a=rid}.
 *
 * <pre>
 * RFC 8851 §10:
 *   rid-syntax   = %s"a=rid:" rid-id SP rid-dir [ rid-pt-param-list / rid-param-list ]
 *   rid-id       = 1*(alpha-numeric / "-" / "_")
 *   rid-dir      = %s"send" / %s"recv"
 *   rid-pt-param-list = SP rid-fmt-list *( ";" rid-param )
 *   rid-fmt-list = %s"pt=" fmt *( "," fmt )
 *   rid-param-list    = SP rid-param *( ";" rid-param )      e.g. max-width=1280;max-fps=30
 *   e.g. a=rid:h send
 * </pre>
 *
 * @param id the rid, 1..16 characters here (RFC 8852 §3.3: the RTP header value is at most 16 bytes)
 * @param direction send or recv, from the describing party's point of view
 * @param payloadTypes the {@code pt=} restriction, empty when absent
 * @param restrictions the remaining parameter text (after any {@code pt=} list), or null
 */
public record Rid(String id, RidDirection direction, List<Integer> payloadTypes, String restrictions) {

  /** The rid direction. */
  public enum RidDirection {
    /** The describing party sends this stream. */
    SEND("send"),
    /** The describing party receives this stream. */
    RECV("recv");

    private final String sdpName;

    RidDirection(String sdpName) {
      this.sdpName = sdpName;
    }

    /** @return {@code send} or {@code recv} */
    public String sdpName() {
      return sdpName;
    }

    /** @return the other direction */
    public RidDirection reversed() {
      return this == SEND ? RECV : SEND;
    }
  }

  /** Copies the list so the record stays immutable. */
  public Rid {
    payloadTypes = List.copyOf(payloadTypes);
  }

  /** Parses the value of {@code a=rid}. */
  static Rid parse(String value) {
    int sp = value.indexOf(' ');
    if (sp <= 0) {
      throw new IllegalArgumentException("rid needs '<rid-id> send|recv'");
    }
    String id = value.substring(0, sp);
    checkId(id);
    String rest = value.substring(sp + 1);
    int sp2 = rest.indexOf(' ');
    String dir = sp2 < 0 ? rest : rest.substring(0, sp2);
    RidDirection direction = switch (dir) {
      case "send" -> RidDirection.SEND;
      case "recv" -> RidDirection.RECV;
      default -> throw new IllegalArgumentException("rid direction must be send or recv, not '" + SdpTokens.shorten(dir) + "'");
    };
    List<Integer> pts = Collections.emptyList();
    String restrictions = sp2 < 0 ? null : rest.substring(sp2 + 1);
    if (restrictions != null && restrictions.startsWith("pt=")) {
      int semi = restrictions.indexOf(';');
      String list = restrictions.substring(3, semi < 0 ? restrictions.length() : semi);
      pts = new ArrayList<>();
      for (String pt : list.split(",", -1)) {
        pts.add(SdpTokens.payloadType(pt));
      }
      restrictions = semi < 0 ? null : restrictions.substring(semi + 1);
    }
    return new Rid(id, direction, pts, restrictions);
  }

  static String checkId(String id) {
    if (id.isEmpty() || id.length() > 16) {
      throw new IllegalArgumentException("rid-id must be 1 to 16 characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException("rid-id may hold only letters, digits, '-' and '_'");
      }
    }
    return id;
  }

  /** @return the value of {@code a=rid} */
  public String toValue() {
    StringBuilder sb = new StringBuilder(id).append(' ').append(direction.sdpName());
    if (!payloadTypes.isEmpty()) {
      sb.append(" pt=");
      for (int i = 0; i < payloadTypes.size(); i++) {
        sb.append(i > 0 ? "," : "").append(payloadTypes.get(i));
      }
      if (restrictions != null) {
        sb.append(';').append(restrictions);
      }
    } else if (restrictions != null) {
      sb.append(' ').append(restrictions);
    }
    return sb.toString();
  }
}
