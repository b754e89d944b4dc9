package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulcast description, {@code a=simulcast}.
 *
 * <pre>
 * RFC 8853 §5.1:
 *   sc-value     = ( sc-send [SP sc-recv] ) / ( sc-recv [SP sc-send] )
 *   sc-send      = %s"send" SP sc-str-list
 *   sc-recv      = %s"recv" SP sc-str-list
 *   sc-str-list  = sc-alt-list *( ";" sc-alt-list )     ; one entry per simulcast stream
 *   sc-alt-list  = sc-id *( "," sc-id )                  ; alternatives for that stream
 *   sc-id        = [sc-id-paused] rid-id                 ; sc-id-paused = "~"
 *   e.g. a=simulcast:send q;h;f
 * </pre>
 *
 * @param send the streams this party sends: each entry lists the alternative rids of one stream
 * @param recv the streams this party receives
 */
public record Simulcast(List<List<Stream>> send, List<List<Stream>> recv) {

  /**
   * One rid in a simulcast list.
   *
   * @param rid the rid-id
   * @param paused true if written with the {@code ~} prefix
   */
  public record Stream(String rid, boolean paused) {
    String toValue() {
      return (paused ? "~" : "") + rid;
    }
  }

  /** Copies the lists so the record stays immutable. */
  public Simulcast {
    send = send.stream().map(List::copyOf).toList();
    recv = recv.stream().map(List::copyOf).toList();
  }

  /** Parses the value of {@code a=simulcast}. */
  static Simulcast parse(String value) {
    List<String> f = SdpTokens.fields(value, "simulcast");
    if (f.size() != 2 && f.size() != 4) {
      throw new IllegalArgumentException("simulcast needs 'send|recv <list>' once or twice");
    }
    List<List<Stream>> send = null;
    List<List<Stream>> recv = null;
    for (int i = 0; i < f.size(); i += 2) {
      List<List<Stream>> list = parseList(f.get(i + 1));
      switch (f.get(i)) {
        case "send" -> {
          if (send != null) {
            throw new IllegalArgumentException("simulcast has two send lists");
          }
          send = list;
        }
        case "recv" -> {
          if (recv != null) {
            throw new IllegalArgumentException("simulcast has two recv lists");
          }
          recv = list;
        }
        default -> throw new IllegalArgumentException("simulcast direction must be send or recv");
      }
    }
    return new Simulcast(send == null ? List.of() : send, recv == null ? List.of() : recv);
  }

  private static List<List<Stream>> parseList(String text) {
    List<List<Stream>> streams = new ArrayList<>();
    for (String alt : text.split(";", -1)) {
      List<Stream> alternatives = new ArrayList<>();
      for (String id : alt.split(",", -1)) {
        boolean paused = id.startsWith("~");
        alternatives.add(new Stream(Rid.checkId(paused ? id.substring(1) : id), paused));
      }
      streams.add(alternatives);
    }
    return streams;
  }

  /** @return the first alternative of each sent stream, in order (how Chromium lists its layers) */
  public List<String> sendRids() {
    List<String> out = new ArrayList<>();
    for (List<Stream> s : send) {
      out.add(s.get(0).rid());
    }
    return out;
  }

  /** @return the value of {@code a=simulcast} */
  public String toValue() {
    StringBuilder sb = new StringBuilder();
    if (!send.isEmpty()) {
      sb.append("send ");
      appendList(sb, send);
    }
    if (!recv.isEmpty()) {
      sb.append(sb.length() > 0 ? " recv " : "recv ");
      appendList(sb, recv);
    }
    return sb.toString();
  }

  private static void appendList(StringBuilder sb, List<List<Stream>> list) {
    for (int i = 0; i < list.size(); i++) {
      sb.append(i > 0 ? ";" : "");
      List<Stream> alts = list.get(i);
      for (int j = 0; j < alts.size(); j++) {
        sb.append(j > 0 ? "," : "").append(alts.get(j).toValue());
      }
    }
  }
}
