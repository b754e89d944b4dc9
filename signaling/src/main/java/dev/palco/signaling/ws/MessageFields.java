package dev.palco.signaling.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.SignalingException;

/** Typed reads of a client message's fields; a missing or mistyped field is {@code bad-message}. */
final class MessageFields {

  private MessageFields() {}

  static String requireText(JsonNode message, String field) throws SignalingException {
    JsonNode node = message.get(field);
    if (node == null || !node.isTextual()) {
      throw bad("'" + field + "' must be a string");
    }
    return node.asText();
  }

  static String optionalText(JsonNode message, String field, int maxChars) throws SignalingException {
    JsonNode node = message.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw bad("'" + field + "' must be a string");
    }
    String text = node.asText();
    if (text.length() > maxChars) {
      throw bad("'" + field + "' is longer than " + maxChars + " characters");
    }
    return text;
  }

  static long requireLong(JsonNode message, String field) throws SignalingException {
    JsonNode node = message.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw bad("'" + field + "' must be an integer");
    }
    return node.asLong();
  }

  static boolean requireBoolean(JsonNode message, String field) throws SignalingException {
    JsonNode node = message.get(field);
    if (node == null || !node.isBoolean()) {
      throw bad("'" + field + "' must be true or false");
    }
    return node.asBoolean();
  }

  static SignalingException bad(String message) {
    return new SignalingException(ErrorCode.BAD_MESSAGE, message);
  }
}
