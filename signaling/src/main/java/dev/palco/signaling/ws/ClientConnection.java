package dev.palco.signaling.ws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.EncodedFrame;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.audience.AudienceHub;
import dev.palco.signaling.audience.AudienceRoom;
import dev.palco.signaling.broadcast.BroadcastControl;
import dev.palco.signaling.media.IceCandidate;
import dev.palco.signaling.media.MediaKind;
import dev.palco.signaling.media.SessionMode;
import dev.palco.signaling.media.TrackLayout;
import dev.palco.signaling.media.TrackSource;
import dev.palco.signaling.media.TrackSourceHint;
import dev.palco.signaling.metrics.SignalingMetrics;
import dev.palco.signaling.room.Participant;
import dev.palco.signaling.room.ParticipantLink;
import dev.palco.signaling.room.Room;
import dev.palco.signaling.room.RoomMessages;
import dev.palco.signaling.room.RoomRegistry;
import dev.palco.signaling.token.JoinToken;
import dev.palco.signaling.token.JoinTokens;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One WebSocket signaling connection: it reads frames, rate-limits them on the I/O thread, handles
 * them in order on the worker pool, and is the {@link ParticipantLink} of the seat it joined.
 *
 * <p>Protocol errors are answered with {@code error} (with {@code re} when the message had an
 * {@code id}) and leave the connection open, except where {@code docs/protocol.md} says the join
 * closes it: 4001 for a token problem, 4004 for a room that is gone (and 4003 for a link a
 * moderator revoked).
 */
public final class ClientConnection implements ParticipantLink {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private static final int MAX_NAME_CHARS = 64;
  private static final int MAX_REASON_CHARS = 200;
  private static final int MAX_ID_CHARS = 64;
  /** Tracks in one {@code subscription.layout}: more than a room's seats can publish. */
  static final int MAX_LAYOUT_TRACKS = 64;

  private final WebSocketChannel channel;
  private final String roomHint;
  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final SignalingMetrics metrics;
  private final SignalingLimits limits;
  private final SignalingEndpoint endpoint;
  private final RateLimiter limiter;
  private final SerialExecutor inbound;
  private final OutboundQueue outbound;
  private final AudienceHub audienceHub;

  /** Written only by the connection's serial task; read by the close task too. */
  private volatile Room room;
  /** The room's audience layer, once joined (this connection receives its updates). */
  private volatile AudienceRoom audience;
  private volatile Participant seat;
  private volatile boolean closed;

  ClientConnection(
      WebSocketChannel channel,
      String roomHint,
      RoomRegistry rooms,
      JoinTokens tokens,
      SignalingMetrics metrics,
      SignalingLimits limits,
      Executor workers,
      LongSupplier nanoTime,
      SignalingEndpoint endpoint,
      AudienceHub audienceHub) {
    this.channel = channel;
    this.audienceHub = audienceHub;
    this.roomHint = roomHint;
    this.rooms = rooms;
    this.tokens = tokens;
    this.metrics = metrics;
    this.limits = limits;
    this.endpoint = endpoint;
    this.limiter =
        new RateLimiter(
            limits.messagesPerSecond(),
            limits.burstMessages(),
            limits.floodCloseAfter().toNanos(),
            nanoTime);
    this.inbound = new SerialExecutor(workers, limits.incomingQueueMessages());
    this.outbound =
        new OutboundQueue(
            FrameWriter.of(channel), limits.outgoingQueueMessages(), () -> metrics.disconnect("slow-consumer"));
  }

  void start() {
    channel.addCloseTask(ch -> onClosed());
    channel.getReceiveSetter().set(new Receiver());
    channel.resumeReceives();
  }

  // ---- ParticipantLink (called with a room lock held: queue only) ----

  @Override
  public void send(ObjectNode message) {
    sendFrame(EncodedFrame.of(message));
  }

  @Override
  public void sendFrame(EncodedFrame frame) {
    if (outbound.offer(frame, false)) {
      metrics.messageOut(frame.type());
    }
  }

  @Override
  public void close(int statusCode, String reason) {
    outbound.closeAfterDrain(statusCode, reason);
  }

  @Override
  public void mediaFailed(String reason) {
    sendError(null, ErrorCode.INTERNAL, "media connection failed: " + reason);
  }

  // ---- I/O thread ----

  private final class Receiver extends AbstractReceiveListener {
    @Override
    protected long getMaxTextBufferSize() {
      return limits.maxMessageBytes();
    }

    @Override
    protected long getMaxBinaryBufferSize() {
      return limits.maxMessageBytes();
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
      onFrame(message.getData());
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
      message.getData().free();
      onFrame(null);
    }

    @Override
    protected void onError(WebSocketChannel ch, Throwable error) {
      if (ch.isCloseFrameSent()) {
        // Undertow has already sent 1009 for an oversized message: give the peer a moment to
        // answer the close before the socket is cut.
        metrics.disconnect("too-big");
        ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), 3, TimeUnit.SECONDS);
      } else {
        LOG.debug("websocket error", error);
        IoUtils.safeClose(ch);
      }
    }
  }

  private void onFrame(String text) {
    if (outbound.isClosing()) {
      return;
    }
    switch (limiter.take()) {
      case ALLOW:
        if (!inbound.offer(() -> handle(text))) {
          rateLimited(text);
        }
        return;
      case DROP:
        rateLimited(text);
        return;
      case CLOSE:
      default:
        metrics.disconnect("flooding");
        close(1008, "too many messages");
    }
  }

  private void rateLimited(String text) {
    metrics.error(ErrorCode.RATE_LIMITED);
    ObjectNode error = RoomMessages.error(peekId(text), ErrorCode.RATE_LIMITED, "too many messages; this one was dropped");
    if (outbound.offer(EncodedFrame.of(error), true)) {
      metrics.messageOut("error");
    }
  }

  /**
   * The top-level {@code id} of a message, read with the streaming parser without building a
   * tree (so a dropped message costs little), or {@code null}.
   */
  static Long peekId(String text) {
    if (text == null) {
      return null;
    }
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("id".equals(field)) {
          return value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private void onClosed() {
    closed = true;
    outbound.channelClosed();
    endpoint.closed(this);
    AudienceRoom currentAudience = audience;
    if (currentAudience != null) {
      currentAudience.detachStage(this);
    }
    Participant current = seat;
    if (current != null) {
      // The seat waits for a resume; linkLost ignores a seat that already moved to a newer link.
      room.linkLost(current, this);
    }
  }

  // ---- worker (one message at a time) ----

  private void handle(String text) {
    if (text == null) {
      sendError(null, ErrorCode.BAD_JSON, "messages are JSON text frames, not binary");
      return;
    }
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      message = null;
    }
    if (message == null || !message.isObject()) {
      metrics.messageIn(null);
      sendError(null, ErrorCode.BAD_JSON, "a message is one JSON object");
      return;
    }
    JsonNode idNode = message.get("id");
    Long re = null;
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
        metrics.messageIn(null);
        sendError(null, ErrorCode.BAD_MESSAGE, "'id' must be an integer");
        return;
      }
      re = idNode.asLong();
    }
    JsonNode typeNode = message.get("type");
    String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
    metrics.messageIn(type);
    try {
      dispatch(type, message, re);
    } catch (SignalingException e) {
      sendError(re, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("failed to handle a {} message", type, e);
      sendError(re, ErrorCode.INTERNAL, "the server failed to handle this message");
    }
  }

  private void dispatch(String type, JsonNode m, Long re) throws SignalingException {
    if (type == null) {
      throw new SignalingException(ErrorCode.UNKNOWN_TYPE, "a message needs a string 'type'");
    }
    switch (type) {
      case "ping":
        send(RoomMessages.pong(re));
        return;
      case "join":
        if (seat != null) {
          throw MessageFields.bad("already joined");
        }
        join(m, re);
        return;
      case "leave":
      case "publish.offer":
      case "subscribe.answer":
      case "trickle":
      case "track.mute":
      case "subscription.layout":
      case "moderate.mute":
      case "moderate.remove":
      case "room.end":
      case "question.moderate":
      case "hand.invite":
      case "hand.lower":
      case "stage.sendback":
      case "chat.enable":
      case "chat.remove":
      case "viewer.ban":
      case "broadcast.start":
      case "broadcast.stop":
        if (seat == null) {
          throw new SignalingException(ErrorCode.NOT_JOINED, "join first");
        }
        break;
      default:
        throw new SignalingException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + truncate(type) + "'");
    }
    switch (type) {
      case "leave":
        room.leave(seat, "left");
        seat = null;
        close(1000, "left");
        return;
      case "publish.offer":
        room.publishOffer(seat, re, MessageFields.requireText(m, "sdp"), trackHints(m));
        return;
      case "subscribe.answer":
        room.subscribeAnswer(
            seat, re, MessageFields.requireLong(m, "revision"), MessageFields.requireText(m, "sdp"));
        return;
      case "trickle":
        room.trickle(seat, candidate(m));
        return;
      case "track.mute":
        room.muteOwnTrack(
            seat, MessageFields.requireText(m, "trackId"), MessageFields.requireBoolean(m, "muted"));
        return;
      case "subscription.layout":
        room.applyTrackLayouts(seat, trackLayouts(m));
        if (re != null) {
          send(RoomMessages.ack(re));
        }
        return;
      case "moderate.mute":
        {
          String target = MessageFields.requireText(m, "participantId");
          MediaKind kind = MediaKind.fromWireName(MessageFields.requireText(m, "kind"));
          if (kind == null) {
            throw MessageFields.bad("'kind' must be audio or video");
          }
          room.moderateMute(seat, target, kind);
          return;
        }
      case "moderate.remove":
        {
          String target = MessageFields.requireText(m, "participantId");
          String reason = MessageFields.optionalText(m, "reason", MAX_REASON_CHARS);
          room.remove(seat, target, reason == null || reason.isBlank() ? "removed by a moderator" : reason);
          return;
        }
      case "room.end":
        if (seat.role() != dev.palco.signaling.Role.MODERATOR) {
          throw new SignalingException(ErrorCode.FORBIDDEN, "only a moderator may end the room");
        }
        rooms.end(room, "ended by moderator", 4000);
        return;
      case "stage.sendback":
        room.sendBack(seat, MessageFields.requireText(m, "participantId"));
        send(RoomMessages.ack(re));
        return;
      case "broadcast.start":
      case "broadcast.stop":
        {
          if (seat.role() != dev.palco.signaling.Role.MODERATOR) {
            throw new SignalingException(ErrorCode.FORBIDDEN, "only a moderator may start or stop the broadcast");
          }
          BroadcastControl control = endpoint.broadcasts();
          if (type.equals("broadcast.start")) {
            control.start(room);
          } else {
            control.stop(room);
          }
          send(RoomMessages.ack(re));
          return;
        }
      case "question.moderate":
      case "hand.invite":
      case "hand.lower":
      case "chat.enable":
      case "chat.remove":
      case "viewer.ban":
        moderateAudience(type, m, re);
        return;
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  /** The moderators' audience controls ({@code docs/protocol.md}, "Audience: moderation"). */
  private void moderateAudience(String type, JsonNode m, Long re) throws SignalingException {
    if (seat.role() != dev.palco.signaling.Role.MODERATOR) {
      throw new SignalingException(ErrorCode.FORBIDDEN, "only a moderator may do this");
    }
    AudienceRoom target = audience;
    if (target == null) {
      throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "this room has no audience");
    }
    ObjectNode ack = RoomMessages.ack(re);
    switch (type) {
      case "question.moderate":
        target.moderateQuestion(
            MessageFields.requireText(m, "questionId"), MessageFields.requireText(m, "action"));
        break;
      case "hand.invite":
        ack.put("expiresAt", target.invite(MessageFields.requireText(m, "viewerId"), seat.name()).toString());
        break;
      case "hand.lower":
        target.lowerHand(MessageFields.requireText(m, "viewerId"));
        break;
      case "chat.enable":
        target.setChatEnabled(MessageFields.requireBoolean(m, "enabled"));
        break;
      case "chat.remove":
        target.removeChat(MessageFields.requireText(m, "messageId"));
        break;
      case "viewer.ban":
        {
          String reason = MessageFields.optionalText(m, "reason", MAX_REASON_CHARS);
          target.ban(
              MessageFields.requireText(m, "viewerId"),
              reason == null || reason.isBlank() ? "banned by a moderator" : reason.strip());
          break;
        }
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
    send(ack);
  }

  private void join(JsonNode m, Long re) throws SignalingException {
    long protocol = MessageFields.requireLong(m, "protocol");
    String token = MessageFields.requireText(m, "token");
    String name = MessageFields.optionalText(m, "name", MAX_NAME_CHARS);
    String roomId = MessageFields.optionalText(m, "room", MAX_ID_CHARS);
    String resumeId = null;
    String resumeSecret = null;
    JsonNode resume = m.get("resume");
    if (resume != null && !resume.isNull()) {
      if (!resume.isObject()) {
        throw MessageFields.bad("'resume' must be an object");
      }
      resumeId = MessageFields.requireText(resume, "participantId");
      resumeSecret = MessageFields.requireText(resume, "secret");
    }
    JsonNode stage = m.get("stage");
    if (stage != null && !stage.isNull() && !stage.isObject()) {
      throw MessageFields.bad("'stage' must be an object");
    }
    if (protocol != RoomMessages.PROTOCOL_VERSION) {
      throw new SignalingException(
          ErrorCode.UNSUPPORTED_PROTOCOL,
          "this server speaks protocol " + RoomMessages.PROTOCOL_VERSION + ", not " + protocol);
    }
    if (roomId == null) {
      roomId = roomHint;
    }
    AudienceRoom guestOf = null;
    AudienceRoom.StageGuest guest = null;
    try {
      JoinToken claims = roomId == null ? tokens.verify(token) : tokens.verify(token, roomId);
      Room target = rooms.require(claims.roomId());
      AudienceRoom targetAudience = audienceHub.of(target);
      String displayName = name == null || name.isBlank() ? "Guest" : name.strip();
      if (stage != null && !stage.isNull()) {
        if (claims.role() != dev.palco.signaling.Role.AUDIENCE) {
          throw MessageFields.bad("'stage' is for guests from the audience");
        }
        // A guest from the audience: the grant is checked and consumed before the seat is made.
        guest =
            targetAudience.admitToStage(
                MessageFields.requireText(stage, "viewerId"),
                MessageFields.requireText(stage, "secret"),
                MessageFields.requireText(stage, "grant"));
        guestOf = targetAudience;
        if (name == null || name.isBlank()) {
          displayName = guest.name();
        }
      }
      Participant joined =
          target.join(
              claims, displayName, resumeId, resumeSecret, this, SessionMode.PARTICIPANT, re,
              guest == null ? null : guest.viewerId());
      guestOf = null;
      room = target;
      seat = joined;
      audience = targetAudience;
      targetAudience.attachStage(this, joined.role() == dev.palco.signaling.Role.MODERATOR);
      if (closed) {
        // The socket closed while the join was in progress: the close task saw no seat.
        target.linkLost(joined, this);
        targetAudience.detachStage(this);
      }
    } catch (SignalingException e) {
      if (guestOf != null) {
        // The grant was taken but no seat came of it: the viewer goes back to the audience.
        guestOf.leftStage(guest.viewerId(), "stage-join-failed");
      }
      sendError(re, e.code(), e.getMessage());
      if (e.code().isTokenProblem() || e.code().isGrantProblem()) {
        close(4001, e.code().wireName());
      } else if (e.code() == ErrorCode.ROOM_NOT_FOUND) {
        close(4004, e.code().wireName());
      } else if (e.code() == ErrorCode.FORBIDDEN) {
        close(4003, "link revoked");
      }
    }
  }

  private static List<TrackSourceHint> trackHints(JsonNode m) throws SignalingException {
    JsonNode tracks = m.get("tracks");
    List<TrackSourceHint> hints = new ArrayList<>();
    if (tracks == null || tracks.isNull()) {
      return hints;
    }
    if (!tracks.isArray()) {
      throw MessageFields.bad("'tracks' must be an array");
    }
    for (JsonNode t : tracks) {
      if (!t.isObject()) {
        throw MessageFields.bad("each of 'tracks' must be an object");
      }
      String mid = MessageFields.requireText(t, "mid");
      TrackSource source = TrackSource.fromWireName(MessageFields.requireText(t, "source"));
      if (source == null) {
        throw MessageFields.bad("unknown track source for mid " + truncate(mid));
      }
      hints.add(new TrackSourceHint(mid, source));
    }
    return hints;
  }

  /**
   * The {@code tracks} of a {@code subscription.layout}: one entry per remote video track, with
   * its rendered size in device pixels (both or neither) and whether it is visible.
   */
  static List<TrackLayout> trackLayouts(JsonNode m) throws SignalingException {
    JsonNode tracks = m.get("tracks");
    if (tracks == null || !tracks.isArray()) {
      throw MessageFields.bad("'tracks' must be an array");
    }
    if (tracks.isEmpty() || tracks.size() > MAX_LAYOUT_TRACKS) {
      throw MessageFields.bad("'tracks' must hold 1 to " + MAX_LAYOUT_TRACKS + " entries");
    }
    List<TrackLayout> layouts = new ArrayList<>(tracks.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode t : tracks) {
      if (!t.isObject()) {
        throw MessageFields.bad("each of 'tracks' must be an object");
      }
      String trackId = MessageFields.requireText(t, "trackId");
      if (trackId.isEmpty() || trackId.length() > MAX_ID_CHARS) {
        throw MessageFields.bad("'trackId' must be 1 to " + MAX_ID_CHARS + " characters");
      }
      if (!seen.add(trackId)) {
        throw MessageFields.bad("track " + truncate(trackId) + " is named twice");
      }
      boolean hasWidth = t.hasNonNull("width");
      if (hasWidth != t.hasNonNull("height")) {
        throw MessageFields.bad("track " + truncate(trackId) + ": give 'width' and 'height' together");
      }
      int width = hasWidth ? side(t, "width", trackId) : 0;
      int height = hasWidth ? side(t, "height", trackId) : 0;
      boolean visible = true;
      if (t.hasNonNull("visible")) {
        visible = MessageFields.requireBoolean(t, "visible");
      }
      layouts.add(new TrackLayout(trackId, width, height, visible));
    }
    return layouts;
  }

  /** A rendered side in device pixels: an integer from 1 to {@link TrackLayout#MAX_SIDE_PX}. */
  private static int side(JsonNode t, String field, String trackId) throws SignalingException {
    JsonNode node = t.get(field);
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1
        || node.asInt() > TrackLayout.MAX_SIDE_PX) {
      throw MessageFields.bad("track " + truncate(trackId) + ": '" + field + "' must be an integer from 1 to "
          + TrackLayout.MAX_SIDE_PX + " (device pixels)");
    }
    return node.asInt();
  }

  private static IceCandidate candidate(JsonNode m) throws SignalingException {
    if (!m.has("candidate")) {
      throw MessageFields.bad("'candidate' is required (null for end of candidates)");
    }
    JsonNode c = m.get("candidate");
    if (c.isNull()) {
      return null;
    }
    if (!c.isObject()) {
      throw MessageFields.bad("'candidate' must be an object or null");
    }
    String line = MessageFields.requireText(c, "candidate");
    if (line.isEmpty()) {
      // Browsers signal the end of a generation with an empty candidate (RFC 8838 §4.4).
      return null;
    }
    String mid = MessageFields.optionalText(c, "sdpMid", MAX_ID_CHARS);
    JsonNode index = c.get("sdpMLineIndex");
    Integer mLineIndex = null;
    if (index != null && !index.isNull()) {
      if (!index.isInt() || index.asInt() < 0) {
        throw MessageFields.bad("'sdpMLineIndex' must be a non-negative integer");
      }
      mLineIndex = index.asInt();
    }
    return new IceCandidate(line, mid, mLineIndex);
  }

  private void sendError(Long re, ErrorCode code, String message) {
    metrics.error(code);
    send(RoomMessages.error(re, code, message));
  }

  private static String truncate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
