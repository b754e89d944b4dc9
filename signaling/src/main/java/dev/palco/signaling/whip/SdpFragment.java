package dev.palco.signaling.whip;

import dev.palco.signaling.media.IceCandidate;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code application/trickle-ice-sdpfrag} body (RFC 8840 §9, as RFC 9725 §4.3.1 uses it).
 *
 * <pre>
 * a=ice-ufrag:EsAw                        (session level: the ICE credentials in use)
 * a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1
 * m=audio 9 UDP/TLS/RTP/SAVPF 111         (one media section per m= line)
 * a=mid:0
 * a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host
 * a=end-of-candidates
 * </pre>
 *
 * @param ufrag the {@code a=ice-ufrag}, or {@code null}
 * @param pwd the {@code a=ice-pwd}, or {@code null}
 * @param candidates the candidates, tagged with their section's mid and index
 * @param endOfCandidates whether {@code a=end-of-candidates} was present
 */
public record SdpFragment(String ufrag, String pwd, List<IceCandidate> candidates, boolean endOfCandidates) {

  /** Bodies larger than this are refused before parsing. */
  public static final int MAX_BYTES = 16 * 1024;

  /** Copies the candidate list. */
  public SdpFragment {
    candidates = List.copyOf(candidates);
  }

  /**
   * Parses a fragment.
   *
   * @throws IllegalArgumentException with a reason fit for a 400 answer
   */
  public static SdpFragment parse(String body) {
    String ufrag = null;
    String pwd = null;
    List<IceCandidate> candidates = new ArrayList<>();
    boolean end = false;
    int mLineIndex = -1;
    String mid = null;
    for (String raw : body.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty()) {
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != '=') {
        throw new IllegalArgumentException("not an SDP line: " + abbreviate(line));
      }
      if (line.startsWith("m=")) {
        mLineIndex++;
        mid = null;
      } else if (line.startsWith("a=ice-ufrag:")) {
        ufrag = value(line, "a=ice-ufrag:");
      } else if (line.startsWith("a=ice-pwd:")) {
        pwd = value(line, "a=ice-pwd:");
      } else if (line.startsWith("a=mid:")) {
        mid = value(line, "a=mid:");
      } else if (line.startsWith("a=candidate:")) {
        String candidate = line.substring(2);
        if (candidate.split(" ").length < 8) {
          // RFC 8839 §5.1: foundation component transport priority address port "typ" type.
          throw new IllegalArgumentException("candidate has too few fields: " + abbreviate(line));
        }
        candidates.add(new IceCandidate(candidate, mid, mLineIndex < 0 ? null : mLineIndex));
      } else if (line.equals("a=end-of-candidates")) {
        end = true;
      }
      // Other lines (a=group, a=ice-options, c=, …) carry nothing a trickle or restart needs.
    }
    if ((ufrag == null) != (pwd == null)) {
      throw new IllegalArgumentException("a=ice-ufrag and a=ice-pwd come together");
    }
    return new SdpFragment(ufrag, pwd, candidates, end);
  }

  private static String value(String line, String prefix) {
    String v = line.substring(prefix.length()).strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("empty " + prefix);
    }
    return v;
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 60) + "…";
  }
}
