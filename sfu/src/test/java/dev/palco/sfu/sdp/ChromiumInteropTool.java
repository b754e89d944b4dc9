package dev.palco.sfu.sdp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manual interop check against a real browser (not run by {@code mvn test}): the page
 * {@code capture/interop.html} posts each description to {@code capture/server.py}, which runs this
 * tool once per step; the tool keeps the SFU's local and remote descriptions in a state directory.
 *
 * <p>Commands (SDP on stdin, SDP or a report on stdout):
 * {@code answer} (browser offer in, SFU answer out), {@code offer <trackSpec>} (SFU offer out; the
 * spec lists tracks as {@code a1,v1,...}: kind letter plus a number), {@code accept} (browser answer
 * in, a summary of the agreement out).
 */
public final class ChromiumInteropTool {
  private ChromiumInteropTool() {}

  /** Entry point: {@code <command> <stateDir> [trackSpec]}. */
  public static void main(String[] args) throws IOException {
    Path state = Path.of(args[1]);
    Files.createDirectories(state);
    String in = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    Path local = state.resolve("local.sdp");
    Path remote = state.resolve("remote.sdp");
    Path pending = state.resolve("pending-offer.sdp");
    SessionDescription prevLocal = Files.exists(local) ? SessionDescription.parse(Files.readString(local)) : null;
    SessionDescription prevRemote = Files.exists(remote) ? SessionDescription.parse(Files.readString(remote)) : null;
    switch (args[0]) {
      case "answer" -> {
        SessionDescription offer = SessionDescription.parse(in);
        Map<String, OutgoingTrack> outgoing = new LinkedHashMap<>();
        if (prevLocal != null) {
          for (MediaDescription m : prevLocal.media()) {
            if (!m.isRejected() && m.direction().sends() && m.kind() != null) {
              OutgoingTrack t = OfferBuilder.trackOf(m, m.kind());
              if (t != null) {
                outgoing.put(m.mid(), t);
              }
            }
          }
        }
        AnswerResult r = TestTransports.answerBuilder(SfuCapabilities.defaults().withSimulcast(true))
            .answer(offer, prevLocal, outgoing);
        Files.writeString(local, r.answer().toSdp());
        Files.writeString(remote, in);
        System.out.print(r.answer().toSdp());
      }
      case "offer" -> {
        List<OutgoingTrack> tracks = new ArrayList<>();
        for (String spec : args.length > 2 ? args[2].split(",") : new String[0]) {
          if (spec.isEmpty()) {
            continue;
          }
          MediaKind kind = spec.charAt(0) == 'a' ? MediaKind.AUDIO : MediaKind.VIDEO;
          long n = Long.parseLong(spec.substring(1));
          tracks.add(new OutgoingTrack(kind, "sfu-stream", "track-" + spec, 1000 + n * 10 + (kind == MediaKind.VIDEO ? 5 : 0),
              kind == MediaKind.VIDEO ? 2000 + n * 10 : -1, "sfu"));
        }
        OfferResult r = new OfferBuilder(SfuCapabilities.defaults(), TestTransports.SFU)
            .offer(prevLocal, prevRemote, tracks);
        Files.writeString(pending, r.offer().toSdp());
        System.out.print(r.offer().toSdp());
      }
      case "accept" -> {
        SessionDescription offer = SessionDescription.parse(Files.readString(pending));
        SessionDescription answer = SessionDescription.parse(in);
        NegotiatedSession s = new OfferBuilder(SfuCapabilities.defaults(), TestTransports.SFU).acceptAnswer(offer, answer);
        Files.writeString(local, offer.toSdp());
        Files.writeString(remote, in);
        StringBuilder sb = new StringBuilder("accepted bundle=" + s.bundleMids() + " rejected=" + s.rejectedMids());
        for (NegotiatedMedia m : s.media()) {
          sb.append("\n  mid=").append(m.mid()).append(' ').append(m.kind()).append(' ').append(m.direction());
          for (NegotiatedCodec c : m.codecs()) {
            sb.append(' ').append(c.name()).append('/').append(c.payloadType()).append("/rtx").append(c.rtxPayloadType());
          }
        }
        System.out.print(sb);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
