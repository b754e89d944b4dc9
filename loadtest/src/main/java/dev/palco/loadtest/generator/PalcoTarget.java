package dev.palco.loadtest.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.sfu.sdp.MediaKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Palco through its WHIP (RFC 9725) and WHEP endpoints: a room is made with {@code POST
 * /api/rooms}, the publisher {@code POST}s its offer to {@code /whip/{room}} with the presenter
 * token, each subscriber to {@code /whep/{room}}; {@code DELETE} on the session's {@code Location}
 * ends it. See docs/protocol.md, "WHIP and WHEP".
 */
public final class PalcoTarget implements MediaTarget {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TWCC_ID = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final String baseUrl;
  private final long pid;
  private final HttpClient http;
  private String roomId;
  private String presenterToken;
  private String moderatorToken;

  /**
   * @param baseUrl such as {@code http://127.0.0.1:18080}
   * @param pid the server's process id, or -1
   */
  public PalcoTarget(String baseUrl, long pid) {
    this.baseUrl = baseUrl;
    this.pid = pid;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String name() {
    return "palco";
  }

  @Override
  public long serverPid() {
    return pid;
  }

  @Override
  public void prepare() throws Exception {
    MediaTarget.awaitReady(http, URI.create(baseUrl + "/healthz"), STARTUP_TIMEOUT, "Palco");
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/rooms"))
        .header("Content-Type", "application/json").timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Load\"}")).build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IOException("POST /api/rooms: " + created.statusCode() + " " + created.body());
    }
    JsonNode room = JSON.readTree(created.body());
    roomId = room.get("id").asText();
    presenterToken = tokenOf(room.at("/links/presenter").asText());
    moderatorToken = tokenOf(room.at("/links/moderator").asText());
  }

  @Override
  public Session publish(MediaClient client, StreamPublisher publisher) throws Exception {
    String offer = client.offer(List.of(
        ClientSdp.Section.sending(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(StreamPublisher.OPUS_PT)),
            publisher.audioSsrc(), -1, "load"),
        ClientSdp.Section.sending(MediaKind.VIDEO,
            List.of(ClientSdp.Codec.vp8(StreamPublisher.VP8_PT, StreamPublisher.VP8_RTX_PT)),
            publisher.videoSsrc(), publisher.rtxSsrc(), "load")));
    return post("/whip/" + roomId, offer, null);
  }

  @Override
  public Session subscribe(MediaClient client) throws Exception {
    String offer = client.offer(List.of(
        ClientSdp.Section.receiving(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(StreamPublisher.OPUS_PT)), Map.of()),
        ClientSdp.Section.receiving(MediaKind.VIDEO,
            List.of(ClientSdp.Codec.vp8(StreamPublisher.VP8_PT, StreamPublisher.VP8_RTX_PT)),
            Map.of(TWCC_URI, TWCC_ID))));
    return post("/whep/" + roomId, offer, offer);
  }

  /**
   * Signals a simulcast publisher (RFC 8853): the video section offers {@code a=rid:<rid> send}
   * for each layer and {@code a=simulcast:send q;h;f} (lowest first, as browsers order them), the
   * mid, rid and repaired-rid header extensions (RFC 8843 §15, RFC 8852 §3), and each layer's SSRC
   * and RTX SSRC in layer order ({@code a=ssrc-group:FID}, RFC 5576 §4.2) — the SFU reads the
   * layers from the rids the packets carry and the signalled order alike.
   */
  public Session publishSimulcast(MediaClient client, SimulcastPublisher publisher) throws Exception {
    Map<String, Integer> videoExtensions = Map.of(dev.palco.rtp.SdesTokenExtension.MID_URI,
        SimulcastPublisher.MID_ID, dev.palco.rtp.SdesTokenExtension.RID_URI, SimulcastPublisher.RID_ID,
        dev.palco.rtp.SdesTokenExtension.REPAIRED_RID_URI, SimulcastPublisher.REPAIRED_RID_ID);
    String offer = client.offer(List.of(
        new ClientSdp.Section(MediaKind.AUDIO, dev.palco.sfu.sdp.Direction.SENDONLY,
            List.of(ClientSdp.Codec.opus(StreamPublisher.OPUS_PT)),
            Map.of(dev.palco.rtp.SdesTokenExtension.MID_URI, SimulcastPublisher.MID_ID), publisher.audioSsrc(), -1,
            "load"),
        new ClientSdp.Section(MediaKind.VIDEO, dev.palco.sfu.sdp.Direction.SENDONLY,
            List.of(ClientSdp.Codec.vp8(StreamPublisher.VP8_PT, StreamPublisher.VP8_RTX_PT)), videoExtensions,
            publisher.ssrc(0), publisher.rtxSsrc(0), "load")));
    // The video section is the last: the other layers' SSRCs, the rids and the simulcast line go at its end.
    StringBuilder sdp = new StringBuilder(offer);
    if (!offer.endsWith("\r\n")) {
      sdp.append("\r\n");
    }
    StringBuilder rids = new StringBuilder();
    for (int i = 1; i < publisher.layers().size(); i++) {
      sdp.append("a=ssrc-group:FID ").append(publisher.ssrc(i)).append(' ').append(publisher.rtxSsrc(i))
          .append("\r\n");
      sdp.append("a=ssrc:").append(publisher.ssrc(i)).append(" cname:load\r\n");
      sdp.append("a=ssrc:").append(publisher.rtxSsrc(i)).append(" cname:load\r\n");
    }
    for (int i = 0; i < publisher.layers().size(); i++) {
      String rid = publisher.layers().get(i).rid();
      sdp.append("a=rid:").append(rid).append(" send\r\n");
      rids.append(i == 0 ? "" : ";").append(rid);
    }
    sdp.append("a=simulcast:send ").append(rids).append("\r\n");
    return post("/whip/" + roomId, sdp.toString(), null);
  }

  /**
   * Another room on the same server, made and ready like this one (the meeting scenario gives each
   * participant's stream a room of its own: WHEP binds a player's sections to a room's tracks in
   * the order they were published, so a room per publisher is how a player picks its publisher).
   */
  public PalcoTarget newRoom() throws Exception {
    PalcoTarget other = new PalcoTarget(baseUrl, pid);
    other.prepare();
    return other;
  }

  private Session post(String path, String offer, String subscriberOffer) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + presenterToken)
        .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(offer)).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) {
      throw new IOException("POST " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    String location = answer.headers().firstValue("Location").orElseThrow();
    ClientSdp.Answer remote = ClientSdp.readAnswer(answer.body());
    int twcc = subscriberOffer != null && answer.body().contains(TWCC_ID + " " + TWCC_URI) ? TWCC_ID : -1;
    StreamSubscriber.Negotiated negotiated = new StreamSubscriber.Negotiated(StreamPublisher.VP8_PT,
        StreamPublisher.VP8_RTX_PT, StreamPublisher.OPUS_PT, twcc);
    URI sessionUri = URI.create(baseUrl).resolve(location);
    AutoCloseable end = () -> http.sendAsync(HttpRequest.newBuilder(sessionUri)
        .header("Authorization", "Bearer " + presenterToken).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    return new Session(remote, negotiated, end);
  }

  /**
   * Puts the room on air ({@code POST /api/rooms/{id}/broadcast}, docs/protocol.md "REST") so the
   * bridge publishes it as LL-HLS.
   *
   * @return the URL of the room's multivariant playlist
   */
  public String startBroadcast() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/rooms/" + roomId
        + "/broadcast")).header("Authorization", "Bearer " + moderatorToken).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("POST broadcast: " + r.statusCode() + " " + r.body());
    }
    return URI.create(baseUrl).resolve(JSON.readTree(r.body()).get("playlist").asText()).toString();
  }

  /** The room id, once prepared. */
  public String roomId() {
    return roomId;
  }

  private static String tokenOf(String link) {
    String query = URI.create(link).getRawQuery();
    for (String part : query.split("&")) {
      if (part.startsWith("t=")) {
        return part.substring(2);
      }
    }
    throw new IllegalArgumentException("no token in " + link);
  }

  @Override
  public void close() {
    // The server process (if the generator started it) is stopped by its owner.
  }
}
