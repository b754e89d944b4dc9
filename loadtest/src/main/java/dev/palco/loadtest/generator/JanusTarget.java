package dev.palco.loadtest.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.MediaKind;
import dev.palco.sfu.transport.CandidateDescription;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Janus's VideoRoom plugin through Janus's HTTP API (janus.plugin.videoroom, Janus 1.1): one Janus
 * session holds a handle per client; the room is created with VP8 and Opus and the
 * transport-wide-cc extension; the publisher {@code joinandconfigure}s with its offer; each
 * subscriber {@code join}s as a subscriber of the publisher's feed, answers Janus's offer and
 * {@code start}s. Asynchronous events (answers, offers) come from one long-poll thread.
 *
 * <p>Roles: Janus is a full ICE agent (libnice) and the offerer for subscribers, so it is the
 * controlling agent there; the client also starts as controlling and the conflict is resolved by
 * the tie-breakers (RFC 8445 §7.3.1.1). The client is always the DTLS client: to Janus's subscriber
 * offers ({@code actpass}) it answers {@code active}; its own publisher offer says {@code active}
 * rather than {@code actpass}, since Janus, answering {@code actpass}, would take the client role
 * itself (RFC 5763 §5 lets the offerer ask for either).
 */
public final class JanusTarget implements MediaTarget {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final long ROOM_ID = 4242;

  private final String baseUrl;
  private final long pid;
  private final HttpClient http;
  private final AtomicLong transactions = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> jsepWaiters = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private long sessionId;
  private long feedId = -1;
  private Thread poller;

  /**
   * @param baseUrl such as {@code http://127.0.0.1:18188/janus}
   * @param pid Janus's process id, or -1
   */
  public JanusTarget(String baseUrl, long pid) {
    this.baseUrl = baseUrl;
    this.pid = pid;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String name() {
    return "janus";
  }

  @Override
  public long serverPid() {
    return pid;
  }

  @Override
  public void prepare() throws Exception {
    MediaTarget.awaitReady(http, URI.create(baseUrl + "/info"), STARTUP_TIMEOUT, "Janus");
    sessionId = call(baseUrl, request("create")).at("/data/id").asLong();
    poller = new Thread(this::poll, "janus-long-poll");
    poller.setDaemon(true);
    poller.start();
    long admin = attach();
    ObjectNode body = JSON.createObjectNode().put("request", "create").put("room", ROOM_ID).put("publishers", 4)
        .put("videocodec", "vp8").put("audiocodec", "opus").put("bitrate", 0).put("fir_freq", 0)
        .put("transport_wide_cc_ext", true).put("notify_joining", false).put("permanent", false);
    JsonNode created = message(admin, body, null);
    String result = created.at("/plugindata/data/videoroom").asText();
    if (!"created".equals(result)) {
      throw new IOException("VideoRoom create: " + created);
    }
  }

  @Override
  public Session publish(MediaClient client, StreamPublisher publisher) throws Exception {
    long handle = attach();
    String offer = client.offer(List.of(
        ClientSdp.Section.sending(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(StreamPublisher.OPUS_PT)),
            publisher.audioSsrc(), -1, "load"),
        ClientSdp.Section.sending(MediaKind.VIDEO,
            List.of(ClientSdp.Codec.vp8(StreamPublisher.VP8_PT, StreamPublisher.VP8_RTX_PT)),
            publisher.videoSsrc(), publisher.rtxSsrc(), "load"))).replace("a=setup:actpass", "a=setup:active");
    CompletableFuture<JsonNode> event = waitJsep(handle);
    ObjectNode body = JSON.createObjectNode().put("request", "joinandconfigure").put("room", ROOM_ID)
        .put("ptype", "publisher").put("display", "load").put("audio", true).put("video", true);
    message(handle, body, JSON.createObjectNode().put("type", "offer").put("sdp", offer));
    JsonNode answered = event.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    feedId = answered.at("/plugindata/data/id").asLong();
    if (Boolean.getBoolean("palco.loadtest.printSdp")) {
      System.err.println("offer:\n" + offer + "\nanswer:\n" + answered.at("/jsep/sdp").asText());
    }
    ClientSdp.Answer remote = ClientSdp.readAnswer(answered.at("/jsep/sdp").asText());
    return new Session(remote, new StreamSubscriber.Negotiated(-1, -1, -1, -1), () -> detach(handle));
  }

  @Override
  public Session subscribe(MediaClient client) throws Exception {
    if (feedId < 0) {
      throw new IllegalStateException("no publisher yet");
    }
    long handle = attach();
    CompletableFuture<JsonNode> event = waitJsep(handle);
    ObjectNode body = JSON.createObjectNode().put("request", "join").put("room", ROOM_ID).put("ptype", "subscriber");
    body.putArray("streams").addObject().put("feed", feedId);
    message(handle, body, null);
    JsonNode offered = event.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    String offer = offered.at("/jsep/sdp").asText();
    ClientSdp.Answer remote = ClientSdp.readAnswer(offer);
    Answered answer = answer(client, offer);
    if (Boolean.getBoolean("palco.loadtest.printSdp")) {
      System.err.println("offer:\n" + offer + "\nanswer:\n" + answer.sdp);
    }
    message(handle, JSON.createObjectNode().put("request", "start"),
        JSON.createObjectNode().put("type", "answer").put("sdp", answer.sdp));
    return new Session(remote, answer.negotiated, () -> detach(handle));
  }

  /** The answer text and what it negotiated. */
  record Answered(String sdp, StreamSubscriber.Negotiated negotiated) {}

  /**
   * The answer to Janus's subscriber offer (RFC 8829 §5.3.1): every audio and video section
   * accepted {@code recvonly} with Opus, or VP8 and its RTX, under Janus's payload types and the
   * transport-wide-cc id Janus offered; anything else rejected with port 0.
   */
  static Answered answer(MediaClient client, String offer) {
    List<List<String>> sections = new ArrayList<>();
    for (String line : offer.split("\r?\n")) {
      if (line.startsWith("m=")) {
        sections.add(new ArrayList<>());
      }
      if (!sections.isEmpty()) {
        sections.get(sections.size() - 1).add(line);
      }
    }
    StringBuilder media = new StringBuilder();
    List<String> bundle = new ArrayList<>();
    int videoPt = -1;
    int rtxPt = -1;
    int audioPt = -1;
    int twcc = -1;
    boolean first = true;
    for (List<String> s : sections) {
      String[] m = s.get(0).substring(2).split(" ");
      String kind = m[0];
      String mid = valueOf(s, "a=mid:");
      if (!kind.equals("audio") && !kind.equals("video")) {
        media.append("m=").append(kind).append(" 0 ").append(m[2]).append(' ').append(m.length > 3 ? m[3] : "0")
            .append("\r\nc=IN IP4 0.0.0.0\r\n");
        if (mid != null) {
          media.append("a=mid:").append(mid).append("\r\n");
        }
        continue;
      }
      int pt = payloadTypeOf(s, kind.equals("video") ? "VP8/90000" : "opus/48000");
      int rtx = -1;
      if (kind.equals("video")) {
        for (String l : s) {
          if (l.startsWith("a=fmtp:") && l.endsWith("apt=" + pt)) {
            rtx = Integer.parseInt(l.substring(7, l.indexOf(' ')));
          }
        }
      }
      if (pt < 0) {
        media.append("m=").append(kind).append(" 0 ").append(m[2]).append(' ').append(m[3]).append("\r\n");
        continue;
      }
      int extId = -1;
      for (String l : s) {
        if (l.startsWith("a=extmap:") && l.endsWith(TWCC_URI)) {
          extId = Integer.parseInt(l.substring(9, l.indexOf(' ')).split("/")[0]);
        }
      }
      if (kind.equals("video")) {
        videoPt = pt;
        rtxPt = rtx;
        if (extId > 0) {
          twcc = extId;
        }
      } else {
        audioPt = pt;
      }
      bundle.add(mid);
      media.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt).append(rtx >= 0 ? " " + rtx : "")
          .append("\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
      if (first) {
        for (CandidateDescription c : client.localCandidates()) {
          media.append("a=candidate:").append(WebRtcNegotiation.toSdp(c).toValue()).append("\r\n");
        }
        media.append("a=end-of-candidates\r\n");
        first = false;
      }
      media.append("a=ice-ufrag:").append(client.localCredentials().ufrag()).append("\r\n")
          .append("a=ice-pwd:").append(client.localCredentials().pwd()).append("\r\n")
          .append("a=fingerprint:").append(client.localFingerprint().toSdp()).append("\r\n")
          .append("a=setup:active\r\na=mid:").append(mid).append("\r\n");
      if (extId > 0) {
        media.append("a=extmap:").append(extId).append(' ').append(TWCC_URI).append("\r\n");
      }
      media.append("a=recvonly\r\na=rtcp-mux\r\na=rtcp-rsize\r\n");
      if (kind.equals("video")) {
        media.append("a=rtpmap:").append(pt).append(" VP8/90000\r\n");
        for (String fb : List.of("ccm fir", "nack", "nack pli", "transport-cc")) {
          media.append("a=rtcp-fb:").append(pt).append(' ').append(fb).append("\r\n");
        }
        if (rtx >= 0) {
          media.append("a=rtpmap:").append(rtx).append(" rtx/90000\r\na=fmtp:").append(rtx).append(" apt=").append(pt)
              .append("\r\n");
        }
      } else {
        media.append("a=rtpmap:").append(pt).append(" opus/48000/2\r\na=fmtp:").append(pt)
            .append(" minptime=10;useinbandfec=1\r\n");
      }
    }
    String sdp = "v=0\r\no=- " + (System.identityHashCode(client) & 0x7FFF_FFFFL) + " 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "a=group:BUNDLE " + String.join(" ", bundle) + "\r\n" + media;
    return new Answered(sdp, new StreamSubscriber.Negotiated(videoPt, rtxPt, audioPt, twcc));
  }

  private static String valueOf(List<String> section, String prefix) {
    for (String l : section) {
      if (l.startsWith(prefix)) {
        return l.substring(prefix.length()).trim();
      }
    }
    return null;
  }

  private static int payloadTypeOf(List<String> section, String encoding) {
    for (String l : section) {
      if (l.startsWith("a=rtpmap:") && l.substring(l.indexOf(' ') + 1).equalsIgnoreCase(encoding)
          || l.startsWith("a=rtpmap:") && l.substring(l.indexOf(' ') + 1).toLowerCase().startsWith(encoding.toLowerCase())) {
        return Integer.parseInt(l.substring(9, l.indexOf(' ')));
      }
    }
    return -1;
  }

  private long attach() throws Exception {
    ObjectNode attach = request("attach").put("plugin", "janus.plugin.videoroom");
    return call(baseUrl + "/" + sessionId, attach).at("/data/id").asLong();
  }

  private void detach(long handle) {
    http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/" + sessionId + "/" + handle))
        .POST(HttpRequest.BodyPublishers.ofString(request("detach").toString())).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private JsonNode message(long handle, ObjectNode body, ObjectNode jsep) throws Exception {
    ObjectNode m = request("message");
    m.set("body", body);
    if (jsep != null) {
      m.set("jsep", jsep);
    }
    JsonNode reply = call(baseUrl + "/" + sessionId + "/" + handle, m);
    String kind = reply.path("janus").asText();
    if (!kind.equals("ack") && !kind.equals("success")) {
      throw new IOException("Janus refused " + body + ": " + reply);
    }
    return reply;
  }

  private CompletableFuture<JsonNode> waitJsep(long handle) {
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    jsepWaiters.put(handle, f);
    return f;
  }

  private ObjectNode request(String janus) {
    return JSON.createObjectNode().put("janus", janus).put("transaction", "t" + transactions.incrementAndGet());
  }

  private JsonNode call(String url, ObjectNode body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode reply = JSON.readTree(r.body());
    if (r.statusCode() != 200 || reply.path("janus").asText().equals("error")) {
      throw new IOException("Janus " + body.path("janus").asText() + ": " + r.statusCode() + " " + r.body());
    }
    return reply;
  }

  /** The session's long poll (Janus HTTP transport, maxev): hands each JSEP-carrying event to its waiter. */
  private void poll() {
    while (running) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(baseUrl + "/" + sessionId + "?maxev=50&rid=" + System.nanoTime())).timeout(Duration.ofSeconds(70))
            .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode events = JSON.readTree(r.body());
        if (!events.isArray()) {
          events = JSON.createArrayNode().add(events);
        }
        for (JsonNode e : events) {
          long sender = e.path("sender").asLong(-1);
          boolean answers = e.has("jsep") || e.at("/plugindata/data/error").isTextual();
          if (answers) {
            CompletableFuture<JsonNode> f = jsepWaiters.remove(sender);
            if (f != null) {
              if (e.has("jsep")) {
                f.complete(e);
              } else {
                f.completeExceptionally(new IOException("Janus: " + e));
              }
            }
          }
        }
      } catch (IOException e) {
        if (running) {
          try {
            Thread.sleep(200);
          } catch (InterruptedException ie) {
            return;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      call(baseUrl + "/" + sessionId, request("destroy"));
    } catch (Exception e) {
      // Janus is about to be stopped anyway.
    }
    if (poller != null) {
      poller.interrupt();
    }
  }
}
