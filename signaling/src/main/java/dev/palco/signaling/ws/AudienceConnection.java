package dev.palco.signaling.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.EncodedFrame;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.Role;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.audience.AudienceHub;
import dev.palco.signaling.audience.AudienceRoom;
import dev.palco.signaling.audience.AudienceSettings;
import dev.palco.signaling.audience.ViewerLink;
import dev.palco.signaling.metrics.SignalingMetrics;
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
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One viewer's connection on the audience door ({@code GET /ws/audience}). It holds no seat and
 * no media state: a rate limiter, a small inbound queue, and an outbound queue of frames that are
 * mostly shared with every other viewer ({@link dev.palco.signaling.EncodedFrame}).
 *
 * <p>The same isolation rules as the stage door apply ({@code package-info}), with smaller
 * limits: a few KiB per message, a lower message rate, a short outbound queue (a viewer that
 * cannot keep up with the room's updates is cut off, and its page reconnects and resumes).
 */
public final class AudienceConnection implements ViewerLink {

  private static final Logger LOG = LoggerFactory.getLogger(AudienceConnection.class);
  private static final int INCOMING_QUEUE = 16;
  private static final int MAX_ID_CHARS = 64;
  private static final int MAX_TEXT_FIELD_CHARS = 4096;

  private final WebSocketChannel channel;
  private final String roomHint;
  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final AudienceHub hub;
  private final SignalingMetrics metrics;
  private final AudienceSettings settings;
  private final AudienceEndpoint endpoint;
  private final RateLimiter limiter;
  private final SerialExecutor inbound;
  private final OutboundQueue outbound;

  private volatile AudienceRoom audience;
  private volatile String viewerId;
  private volatile boolean closed;

  AudienceConnection(
      WebSocketChannel channel,
      String roomHint,
      RoomRegistry rooms,
      JoinTokens tokens,
      AudienceHub hub,
      SignalingMetrics metrics,
      Executor workers,
      LongSupplier nanoTime,
      AudienceEndpoint endpoint) {
    this.channel = channel;
    this.roomHint = roomHint;
    this.rooms = rooms;
    this.tokens = tokens;
    this.hub = hub;
    this.metrics = metrics;
    this.settings = hub.settings();
    this.endpoint = endpoint;
    this.limiter =
        new RateLimiter(
            settings.messagesPerSecond(), settings.burstMessages(), settings.floodCloseAfter().toNanos(), nanoTime);
    this.inbound = new SerialExecutor(workers, INCOMING_QUEUE);
    this.outbound =
        new OutboundQueue(
            FrameWriter.of(channel), settings.outgoingQueueFrames(), () -> metrics.disconnect("slow-viewer"));
  }

  void start() {
    channel.addCloseTask(ch -> onClosed());
    channel.getReceiveSetter().set(new Receiver());
    channel.resumeReceives();
  }

  // ---- ViewerLink (may be called with a room lock held: queue only) ----

  @Override
  public void send(ObjectNode message) {
    sendFrame(EncodedFrame.of(message));
  }

  @Override
  public void sendFrame(EncodedFrame frame) {
    if (outbound.offer(frame, false)) {
      metrics.audienceFrameOut();
    }
  }

  @Override
  public void close(int statusCode, String reason) {
    outbound.closeAfterDrain(statusCode, reason);
  }

  @Override
  public java.util.concurrent.Executor writeThread() {
    return channel.getIoThread();
  }

  // ---- I/O thread ----

  private final class Receiver extends AbstractReceiveListener {
    @Override
    protected long getMaxTextBufferSize() {
      return settings.maxMessageBytes();
    }

    @Override
    protected long getMaxBinaryBufferSize() {
      return settings.maxMessageBytes();
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
        metrics.disconnect("too-big");
        ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), 3, TimeUnit.SECONDS);
      } else {
        LOG.debug("audience websocket error", error);
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
    ObjectNode error =
        RoomMessages.error(ClientConnection.peekId(text), ErrorCode.RATE_LIMITED, "too many messages; this one was dropped");
    outbound.offer(EncodedFrame.of(error), true);
  }

  private void onClosed() {
    closed = true;
    outbound.channelClosed();
    endpoint.closed(this);
    AudienceRoom current = audience;
    String id = viewerId;
    if (current != null && id != null) {
      current.linkLost(id, this);
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
      sendError(null, ErrorCode.BAD_JSON, "a message is one JSON object");
      return;
    }
    JsonNode idNode = message.get("id");
    Long re = null;
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
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
      if (e.code() == ErrorCode.BANNED) {
        close(4003, "banned");
      }
    } catch (RuntimeException e) {
      LOG.error("failed to handle an audience {} message", type, e);
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
        if (viewerId != null) {
          throw MessageFields.bad("already joined");
        }
        join(m, re);
        return;
      case "leave":
      case "question.ask":
      case "question.vote":
      case "hand.raise":
      case "stage.decline":
      case "chat.send":
        if (viewerId == null) {
          throw new SignalingException(ErrorCode.NOT_JOINED, "join first");
        }
        break;
      default:
        throw new SignalingException(
            ErrorCode.UNKNOWN_TYPE, "unknown message type '" + (type.length() <= 40 ? type : type.substring(0, 40) + "…") + "'");
    }
    AudienceRoom room = audience;
    String me = viewerId;
    switch (type) {
      case "leave":
        close(1000, "left");
        return;
      case "question.ask":
        room.ask(me, MessageFields.optionalText(m, "name", MAX_TEXT_FIELD_CHARS),
            MessageFields.requireText(m, "text"), re);
        return;
      case "question.vote":
        room.vote(me, MessageFields.requireText(m, "questionId"), optionalBoolean(m, "up", true), re);
        return;
      case "hand.raise":
        room.raiseHand(me, optionalBoolean(m, "raised", true), MessageFields.optionalText(m, "name", MAX_TEXT_FIELD_CHARS), re);
        return;
      case "stage.decline":
        room.declineInvite(me, re);
        return;
      case "chat.send":
        room.chat(me, MessageFields.optionalText(m, "name", MAX_TEXT_FIELD_CHARS), MessageFields.requireText(m, "text"), re);
        return;
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  private static boolean optionalBoolean(JsonNode m, String field, boolean fallback) throws SignalingException {
    JsonNode node = m.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw MessageFields.bad("'" + field + "' must be true or false");
    }
    return node.asBoolean();
  }

  private void join(JsonNode m, Long re) throws SignalingException {
    long protocol = MessageFields.requireLong(m, "protocol");
    String token = MessageFields.requireText(m, "token");
    String name = MessageFields.optionalText(m, "name", MAX_TEXT_FIELD_CHARS);
    String roomId = MessageFields.optionalText(m, "room", MAX_ID_CHARS);
    String resumeId = null;
    String resumeSecret = null;
    JsonNode resume = m.get("resume");
    if (resume != null && !resume.isNull()) {
      if (!resume.isObject()) {
        throw MessageFields.bad("'resume' must be an object");
      }
      resumeId = MessageFields.requireText(resume, "viewerId");
      resumeSecret = MessageFields.requireText(resume, "secret");
    }
    if (protocol != RoomMessages.PROTOCOL_VERSION) {
      throw new SignalingException(
          ErrorCode.UNSUPPORTED_PROTOCOL,
          "this server speaks protocol " + RoomMessages.PROTOCOL_VERSION + ", not " + protocol);
    }
    if (roomId == null) {
      roomId = roomHint;
    }
    try {
      JoinToken claims = roomId == null ? tokens.verify(token) : tokens.verify(token, roomId);
      if (claims.role() != Role.AUDIENCE) {
        throw new SignalingException(
            ErrorCode.FORBIDDEN, "this is the audience door; open the stage link to go on stage");
      }
      Room room = rooms.require(claims.roomId());
      AudienceRoom target = hub.of(room);
      AudienceRoom.ViewerSession session = target.join(name, resumeId, resumeSecret, this, re);
      audience = target;
      viewerId = session.viewerId();
      if (closed) {
        target.linkLost(session.viewerId(), this);
      }
    } catch (SignalingException e) {
      sendError(re, e.code(), e.getMessage());
      if (e.code().isTokenProblem()) {
        close(4001, e.code().wireName());
      } else if (e.code() == ErrorCode.ROOM_NOT_FOUND) {
        close(4004, e.code().wireName());
      } else if (e.code() == ErrorCode.BANNED || e.code() == ErrorCode.FORBIDDEN) {
        close(4003, e.code().wireName());
      }
    }
  }

  private void sendError(Long re, ErrorCode code, String message) {
    metrics.error(code);
    send(RoomMessages.error(re, code, message));
  }
}
