package dev.palco.signaling.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Json;
import java.time.Instant;

/**
 * Builders for the audience layer's messages ({@code docs/protocol.md}, "Audience"). Each piece
 * of room state has two views: the public one every viewer and presenter gets, and the
 * moderator's, which adds who wrote what (viewer ids, to ban) and what is not public.
 */
final class AudienceMessages {

  private AudienceMessages() {}

  static ObjectNode typed(String type) {
    ObjectNode m = Json.object();
    m.put("type", type);
    return m;
  }

  static ObjectNode replyTo(String type, Long re) {
    ObjectNode m = typed(type);
    if (re != null) {
      m.put("re", re);
    }
    return m;
  }

  /** A question: public fields, plus the author's viewer id for moderators. */
  static ObjectNode question(Question q, boolean forModerator) {
    ObjectNode n = Json.object();
    n.put("id", q.id);
    n.put("name", q.name);
    n.put("text", q.text);
    n.put("votes", q.votes);
    n.put("state", q.state.wireName());
    n.put("askedAt", Instant.ofEpochMilli(q.askedAtMillis).toString());
    if (forModerator) {
      n.put("viewerId", q.viewerId);
    }
    return n;
  }

  /** A chat message: public fields, plus the writer's viewer id for moderators. */
  static ObjectNode chat(ChatMessage m, boolean forModerator) {
    ObjectNode n = Json.object();
    n.put("id", m.id());
    n.put("name", m.name());
    n.put("text", m.text());
    n.put("at", Instant.ofEpochMilli(m.atMillis()).toString());
    if (forModerator) {
      n.put("viewerId", m.viewerId());
    }
    return n;
  }

  /** A raised hand as moderators see it. */
  static ObjectNode hand(Viewer v) {
    ObjectNode n = Json.object();
    n.put("viewerId", v.id);
    n.put("name", v.name);
    n.put("state", v.hand.wireName());
    n.put("raisedAt", Instant.ofEpochMilli(v.handRaisedAtMillis).toString());
    n.put("connected", v.link != null);
    if (v.hand == HandState.INVITED) {
      n.put("expiresAt", Instant.ofEpochMilli(v.inviteExpiresAtMillis).toString());
    }
    return n;
  }

  /** {@code hand.state}: this viewer's own hand. */
  static ObjectNode handState(Long re, Viewer v, String reason) {
    ObjectNode m = replyTo("hand.state", re);
    m.put("state", v.hand.wireName());
    if (v.hand == HandState.INVITED) {
      m.put("expiresAt", Instant.ofEpochMilli(v.inviteExpiresAtMillis).toString());
    }
    if (reason != null) {
      m.put("reason", reason);
    }
    return m;
  }
}
