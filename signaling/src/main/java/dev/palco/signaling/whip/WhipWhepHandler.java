package dev.palco.signaling.whip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.IceServers;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.http.HttpSupport;
import dev.palco.signaling.media.IceCandidate;
import dev.palco.signaling.media.IceParameters;
import dev.palco.signaling.media.MediaEvents;
import dev.palco.signaling.media.MediaSession;
import dev.palco.signaling.media.MediaUnavailableException;
import dev.palco.signaling.media.PublishedTrack;
import dev.palco.signaling.media.SdpRejectedException;
import dev.palco.signaling.media.SessionMode;
import dev.palco.signaling.media.SubscribeOffer;
import dev.palco.signaling.metrics.SignalingMetrics;
import dev.palco.signaling.room.Participant;
import dev.palco.signaling.room.ParticipantLink;
import dev.palco.signaling.room.Room;
import dev.palco.signaling.room.RoomRegistry;
import dev.palco.signaling.token.JoinToken;
import dev.palco.signaling.token.JoinTokens;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP (RFC 9725) and WHEP endpoints and sessions.
 *
 * <pre>
 * POST   /whip/{roomId}              application/sdp offer  → 201, answer, Location, ETag, Link
 * PATCH  /whip/{roomId}/{sessionId}  trickle-ice-sdpfrag    → 204 (trickle) or 200 + frag (ICE restart)
 * DELETE /whip/{roomId}/{sessionId}                         → 200
 * OPTIONS either URL                                        → 204 CORS preflight
 * (the same under /whep for playback)
 * </pre>
 *
 * <p>Status codes: 401 for a missing or refused bearer token, 403 for a revoked link, 404 for an
 * unknown room or session, 405 for other methods, 412 for an {@code If-Match} that does not match
 * the session's ETag, 413 for an oversized body, 415 for a wrong content type, 428 for an ICE
 * restart without {@code If-Match: *} (RFC 9725 §4.3.2), 400 with the reason for SDP the media
 * plane refuses, 503 when the room or server is full. Error bodies are plain text, since WHIP and
 * WHEP clients are generic tools.
 *
 * <p>Runs on worker threads (it reads bodies blocking and calls the media plane).
 */
public final class WhipWhepHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(WhipWhepHandler.class);

  private static final HttpString LINK = new HttpString("Link");
  private static final String SDP = "application/sdp";
  private static final String SDPFRAG = "application/trickle-ice-sdpfrag";
  private static final int MAX_SDP_BYTES = 64 * 1024;
  private static final String ENDPOINT_METHODS = "POST, OPTIONS";
  private static final String SESSION_METHODS = "PATCH, DELETE, OPTIONS";

  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final SignalingMetrics metrics;
  private final Executor workers;
  private final IceServers iceServers;
  private final int maxPlayersPerRoom;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong nextPlayer = new AtomicLong(1);
  private final Map<String, HttpMediaSession> sessions = new ConcurrentHashMap<>();
  /** Held while a WHEP session is counted against its room's player limit and registered. */
  private final Object playerPlaces = new Object();

  /**
   * @param rooms the rooms
   * @param tokens verifies bearer tokens
   * @param metrics session gauges and error counts
   * @param workers runs session clean-up after a media failure
   * @param iceServers the ICE servers to announce in {@code Link} headers (RFC 9725 §4.6), with a
   *     fresh TURN credential per session when TURN is configured
   * @param maxPlayersPerRoom WHEP sessions a room may have
   */
  public WhipWhepHandler(
      RoomRegistry rooms,
      JoinTokens tokens,
      SignalingMetrics metrics,
      Executor workers,
      IceServers iceServers,
      int maxPlayersPerRoom) {
    this.rooms = rooms;
    this.tokens = tokens;
    this.metrics = metrics;
    this.workers = workers;
    this.iceServers = iceServers;
    this.maxPlayersPerRoom = maxPlayersPerRoom;
    rooms.onRoomEnded(this::roomEnded);
  }

  /** One WHIP or WHEP session. */
  private final class HttpMediaSession {
    final String id;
    final boolean ingest;
    final Room room;
    final AtomicBoolean ended = new AtomicBoolean();
    volatile Participant seat;
    volatile MediaSession playback;
    /** Guarded by this. */
    String etag;
    String remoteUfrag;

    HttpMediaSession(String id, boolean ingest, Room room) {
      this.id = id;
      this.ingest = ingest;
      this.room = room;
    }

    MediaSession media() {
      return ingest ? (seat == null ? null : room.mediaOf(seat)) : playback;
    }

    String location() {
      return "/" + (ingest ? "whip" : "whep") + "/" + room.id() + "/" + id;
    }

    /** Forgets the session; true only the first time. */
    boolean forget() {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      sessions.remove(id, this);
      if (ingest) {
        metrics.whipDelta(-1);
      } else {
        metrics.whepDelta(-1);
      }
      return true;
    }

    /** Ends the session from our side: the seat leaves, or the player's media closes. */
    void end(String reason) {
      if (!forget()) {
        return;
      }
      if (ingest) {
        Participant s = seat;
        if (s != null) {
          room.leave(s, reason);
        }
      } else {
        MediaSession m = playback;
        if (m != null) {
          m.close();
        }
      }
    }
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    HttpSupport.addCors(exchange);
    String[] parts = exchange.getRelativePath().split("/", -1);
    // "", "whip"|"whep", roomId [, sessionId]
    if (parts.length < 3 || parts.length > 4 || parts[2].isEmpty()) {
      plain(exchange, 404, "not found");
      return;
    }
    boolean ingest = parts[1].equals("whip");
    String roomId = parts[2];
    HttpString method = exchange.getRequestMethod();
    try {
      if (parts.length == 3) {
        if (method.equals(Methods.OPTIONS)) {
          HttpSupport.answerPreflight(exchange, ENDPOINT_METHODS);
        } else if (method.equals(Methods.POST)) {
          create(exchange, ingest, roomId);
        } else {
          exchange.getResponseHeaders().put(Headers.ALLOW, ENDPOINT_METHODS);
          plain(exchange, 405, "allowed: " + ENDPOINT_METHODS);
        }
        return;
      }
      if (method.equals(Methods.OPTIONS)) {
        HttpSupport.answerPreflight(exchange, SESSION_METHODS);
        return;
      }
      HttpMediaSession session = sessions.get(parts[3]);
      if (session == null || session.ingest != ingest || !session.room.id().equals(roomId)) {
        plain(exchange, 404, "no such session");
        return;
      }
      authorize(exchange, roomId);
      if (method.equals(Methods.PATCH)) {
        patch(exchange, session);
      } else if (method.equals(Methods.DELETE)) {
        session.end("left");
        exchange.setStatusCode(200);
        exchange.endExchange();
      } else {
        exchange.getResponseHeaders().put(Headers.ALLOW, SESSION_METHODS);
        plain(exchange, 405, "allowed: " + SESSION_METHODS);
      }
    } catch (SignalingException e) {
      metrics.error(e.code());
      if (e.code().httpStatus() == 401) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
      }
      plain(exchange, e.code().httpStatus(), e.code().wireName() + ": " + e.getMessage());
    }
  }

  private JoinToken authorize(HttpServerExchange exchange, String roomId) throws SignalingException {
    JoinToken claims = tokens.verify(HttpSupport.bearerToken(exchange), roomId);
    Room room = rooms.require(roomId);
    if (room.isRevoked(claims)) {
      throw new SignalingException(ErrorCode.FORBIDDEN, "a moderator revoked this link");
    }
    if (claims.role() == dev.palco.signaling.Role.AUDIENCE) {
      // The audience watches the room's stream; media sessions on the SFU are for the stage.
      throw new SignalingException(ErrorCode.FORBIDDEN, "an audience link does not open media sessions");
    }
    return claims;
  }

  private void create(HttpServerExchange exchange, boolean ingest, String roomId)
      throws SignalingException, IOException {
    if (!HttpSupport.mediaType(exchange).equals(SDP)) {
      plain(exchange, 415, "the offer must be sent as " + SDP);
      return;
    }
    JoinToken claims = authorize(exchange, roomId);
    Room room = rooms.require(roomId);
    byte[] body = HttpSupport.readBody(exchange, MAX_SDP_BYTES);
    if (body == null) {
      plain(exchange, 413, "the offer is larger than " + MAX_SDP_BYTES + " bytes");
      return;
    }
    String offer = new String(body, StandardCharsets.UTF_8);
    if (!offer.startsWith("v=0")) {
      metrics.error(ErrorCode.SDP_INVALID);
      plain(exchange, 400, "sdp-invalid: the body is not an SDP offer (it must start with v=0)");
      return;
    }
    HttpMediaSession session = new HttpMediaSession(newId(), ingest, room);
    String answer;
    try {
      answer = ingest ? startIngest(exchange, session, claims, offer) : startPlayback(session, offer);
    } catch (SdpRejectedException e) {
      session.end("left");
      metrics.error(ErrorCode.SDP_INVALID);
      plain(exchange, 400, "sdp-invalid: " + e.getMessage());
      return;
    }
    synchronized (session) {
      session.etag = newEtag();
      session.remoteUfrag = iceUfrag(offer);
    }
    if (room.isEnded()) {
      session.end("left");
      throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "the room ended");
    }
    exchange.setStatusCode(201);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, SDP);
    exchange.getResponseHeaders().put(Headers.LOCATION, session.location());
    exchange.getResponseHeaders().put(Headers.ETAG, session.etag);
    exchange.getResponseHeaders().put(new HttpString("Accept-Patch"), SDPFRAG);
    // The session's own TURN credential, issued to "<room>/<session>" (RFC 9725 §4.6).
    for (String link : linkHeaders(iceServers.forParticipant(room.id() + "/" + session.id))) {
      exchange.getResponseHeaders().add(LINK, link);
    }
    exchange.getResponseSender().send(answer, StandardCharsets.UTF_8);
  }

  private String startIngest(HttpServerExchange exchange, HttpMediaSession session, JoinToken claims, String offer)
      throws SignalingException, SdpRejectedException {
    Deque<String> nameParam = exchange.getQueryParameters().get("name");
    String name = nameParam == null || nameParam.isEmpty() || nameParam.peek().isBlank()
        ? "WHIP ingest"
        : truncate(nameParam.peek().strip(), 64);
    sessions.put(session.id, session);
    metrics.whipDelta(1);
    Participant seat;
    try {
      seat = session.room.join(claims, name, null, null, new IngestLink(session), SessionMode.PUBLISH_ONLY, null);
    } catch (SignalingException e) {
      session.forget();
      throw e;
    }
    session.seat = seat;
    return session.room.answerIngestOffer(seat, offer, List.of());
  }

  private String startPlayback(HttpMediaSession session, String offer)
      throws SignalingException, SdpRejectedException {
    // Counted and taken under one lock, so two players arriving together cannot both take the
    // last place.
    synchronized (playerPlaces) {
      long players = sessions.values().stream().filter(s -> !s.ingest && s.room == session.room).count();
      if (players >= maxPlayersPerRoom) {
        throw new SignalingException(ErrorCode.ROOM_FULL, "this room has as many players as it takes");
      }
      sessions.put(session.id, session);
    }
    metrics.whepDelta(1);
    try {
      session.playback =
          rooms.mediaPlane()
              .openSession(session.room.id(), "v-" + nextPlayer.getAndIncrement(), SessionMode.PLAYBACK,
                  new PlaybackEvents(session));
    } catch (MediaUnavailableException e) {
      session.end("left");
      throw new SignalingException(ErrorCode.SERVER_FULL, "media unavailable: " + e.getMessage());
    }
    return session.playback.answerPlaybackOffer(offer);
  }

  private void patch(HttpServerExchange exchange, HttpMediaSession session) throws IOException {
    if (!HttpSupport.mediaType(exchange).equals(SDPFRAG)) {
      plain(exchange, 415, "PATCH bodies are " + SDPFRAG);
      return;
    }
    String ifMatch = exchange.getRequestHeaders().getFirst(Headers.IF_MATCH);
    byte[] body = HttpSupport.readBody(exchange, SdpFragment.MAX_BYTES);
    if (body == null) {
      plain(exchange, 413, "the fragment is larger than " + SdpFragment.MAX_BYTES + " bytes");
      return;
    }
    SdpFragment fragment;
    try {
      fragment = SdpFragment.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      plain(exchange, 400, "bad sdpfrag: " + e.getMessage());
      return;
    }
    MediaSession media = session.media();
    if (media == null) {
      plain(exchange, 404, "no such session");
      return;
    }
    String etag;
    boolean restart;
    synchronized (session) {
      if (ifMatch != null && !ifMatch.strip().equals("*") && !ifMatch.strip().equals(session.etag)) {
        plain(exchange, 412, "If-Match does not match the session's ETag " + session.etag);
        return;
      }
      restart = fragment.ufrag() != null && !fragment.ufrag().equals(session.remoteUfrag);
      if (restart && (ifMatch == null || !ifMatch.strip().equals("*"))) {
        plain(exchange, 428, "an ICE restart needs If-Match: * (RFC 9725 section 4.3.2)");
        return;
      }
      etag = session.etag;
    }
    if (restart) {
      IceParameters local;
      try {
        local = media.restartIce(new IceParameters(fragment.ufrag(), fragment.pwd()));
      } catch (SdpRejectedException e) {
        plain(exchange, 400, "ICE restart refused: " + e.getMessage());
        return;
      }
      synchronized (session) {
        session.remoteUfrag = fragment.ufrag();
        session.etag = newEtag();
        etag = session.etag;
      }
      addCandidates(media, fragment);
      exchange.setStatusCode(200);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, SDPFRAG);
      exchange.getResponseHeaders().put(Headers.ETAG, etag);
      exchange.getResponseSender()
          .send("a=ice-ufrag:" + local.ufrag() + "\r\na=ice-pwd:" + local.pwd() + "\r\n", StandardCharsets.UTF_8);
      return;
    }
    addCandidates(media, fragment);
    exchange.getResponseHeaders().put(Headers.ETAG, etag);
    exchange.setStatusCode(204);
    exchange.endExchange();
  }

  private static void addCandidates(MediaSession media, SdpFragment fragment) {
    for (IceCandidate candidate : fragment.candidates()) {
      media.addRemoteCandidate(candidate);
    }
    if (fragment.endOfCandidates()) {
      media.endOfRemoteCandidates();
    }
  }

  private void roomEnded(Room room) {
    for (HttpMediaSession session : new ArrayList<>(sessions.values())) {
      if (session.room == room) {
        // WHIP seats were closed with the room; players' media closes here.
        session.end("room-ended");
      }
    }
  }

  /** Open WHIP and WHEP sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  /** A WHIP seat's link: no message channel, so room news is dropped; closing forgets the session. */
  private final class IngestLink implements ParticipantLink {
    private final HttpMediaSession session;

    IngestLink(HttpMediaSession session) {
      this.session = session;
    }

    @Override
    public void send(ObjectNode message) {}

    @Override
    public void close(int statusCode, String reason) {
      // Removed by a moderator or the room ended: the room has released the seat and its media.
      session.forget();
    }

    @Override
    public void mediaFailed(String reason) {
      LOG.info("WHIP session {} failed: {}", session.id, reason);
      workers.execute(() -> session.end("disconnected"));
    }
  }

  /** A WHEP player's media events: only a failure matters. */
  private final class PlaybackEvents implements MediaEvents {
    private final HttpMediaSession session;

    PlaybackEvents(HttpMediaSession session) {
      this.session = session;
    }

    @Override
    public void subscribeOfferReady(SubscribeOffer offer) {}

    @Override
    public void trackPublished(PublishedTrack track) {}

    @Override
    public void trackUnpublished(String trackId) {}

    @Override
    public void localCandidate(IceCandidate candidate) {}

    @Override
    public void mediaFailed(String reason) {
      LOG.info("WHEP session {} failed: {}", session.id, reason);
      workers.execute(() -> session.end("disconnected"));
    }
  }

  /** RFC 9725 §4.6: one {@code Link: <url>; rel="ice-server"} per ICE server URL. */
  static List<String> linkHeaders(ArrayNode iceServers) {
    List<String> links = new ArrayList<>();
    for (JsonNode server : iceServers) {
      JsonNode urls = server.get("urls");
      List<String> list = new ArrayList<>();
      if (urls != null && urls.isArray()) {
        urls.forEach(u -> list.add(u.asText()));
      } else if (urls != null && urls.isTextual()) {
        list.add(urls.asText());
      }
      for (String url : list) {
        StringBuilder link = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
        if (server.hasNonNull("username") && server.hasNonNull("credential")) {
          link.append("; username=\"").append(quoted(server.get("username").asText()))
              .append("\"; credential=\"").append(quoted(server.get("credential").asText()))
              .append("\"; credential-type=\"password\"");
        }
        links.add(link.toString());
      }
    }
    return List.copyOf(links);
  }

  /** The first {@code a=ice-ufrag} of an SDP, or {@code null}. */
  static String iceUfrag(String sdp) {
    for (String line : sdp.split("\n")) {
      String l = line.strip();
      if (l.startsWith("a=ice-ufrag:")) {
        return l.substring("a=ice-ufrag:".length()).strip();
      }
    }
    return null;
  }

  private static String quoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private String newEtag() {
    byte[] bytes = new byte[9];
    random.nextBytes(bytes);
    return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\"";
  }

  private static void plain(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n", StandardCharsets.UTF_8);
  }
}
