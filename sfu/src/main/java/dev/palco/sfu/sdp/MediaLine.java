package dev.palco.sfu.sdp;

import java.util.List;

/**
 * The {@code m=} line that opens a media section.
 *
 * <pre>
 * RFC 8866 §5.14, §9:
 *   m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...
 *   media-field = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt) CRLF
 *   proto       = token *("/" token)
 *   fmt         = token
 *   e.g.  m=video 9 UDP/TLS/RTP/SAVPF 96 97 102
 * </pre>
 *
 * Port 0 marks a rejected or stopped section (RFC 3264 §6, RFC 8829 §5.2.2).
 *
 * @param media the media type, e.g. {@code audio}, {@code video}, {@code application}
 * @param port 0..65535
 * @param portCount the optional number of ports, 0 when absent
 * @param proto the transport protocol, e.g. {@code UDP/TLS/RTP/SAVPF}
 * @param formats the format list: RTP payload type numbers for RTP profiles
 */
public record MediaLine(String media, int port, int portCount, String proto, List<String> formats) {

  /** Copies the format list so the record stays immutable. */
  public MediaLine {
    formats = List.copyOf(formats);
  }

  /** Parses the value of an {@code m=} line (the text after {@code "m="}). */
  static MediaLine parse(String value) {
    List<String> f = SdpTokens.fields(value, "m= line");
    if (f.size() < 4) {
      throw new IllegalArgumentException("m= line needs <media> <port> <proto> <fmt>...");
    }
    String media = SdpTokens.token(f.get(0), "media");
    String portField = f.get(1);
    int slash = portField.indexOf('/');
    int port = SdpTokens.intInRange(slash < 0 ? portField : portField.substring(0, slash), 0, 65535, "port");
    int count = 0;
    if (slash >= 0) {
      count = SdpTokens.intInRange(portField.substring(slash + 1), 1, 65535, "number of ports");
    }
    String proto = f.get(2);
    for (String part : proto.split("/", -1)) {
      SdpTokens.token(part, "proto");
    }
    List<String> formats = f.subList(3, f.size());
    for (String fmt : formats) {
      SdpTokens.token(fmt, "fmt");
    }
    return new MediaLine(media, port, count, proto, formats);
  }

  /** @return the value of the {@code m=} line, as it goes after {@code "m="} */
  public String toValue() {
    StringBuilder sb = new StringBuilder(media).append(' ').append(port);
    if (portCount > 0) {
      sb.append('/').append(portCount);
    }
    sb.append(' ').append(proto);
    for (String fmt : formats) {
      sb.append(' ').append(fmt);
    }
    return sb.toString();
  }

  /** @return a copy with another port (0 to reject or stop the section) */
  public MediaLine withPort(int newPort) {
    return new MediaLine(media, newPort, portCount, proto, formats);
  }
}
