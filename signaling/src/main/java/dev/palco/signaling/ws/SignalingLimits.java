package dev.palco.signaling.ws;

import java.time.Duration;

/**
 * Per-connection limits of the WebSocket door.
 *
 * @param maxMessageBytes the largest text message; larger closes with 1009
 * @param messagesPerSecond the sustained message rate
 * @param burstMessages the bucket size
 * @param floodCloseAfter how long a connection may keep exceeding the rate before it is closed
 *     with 1008
 * @param outgoingQueueMessages queued server messages past which a slow reader is disconnected
 * @param incomingQueueMessages accepted client messages waiting for a worker, at most
 */
public record SignalingLimits(
    int maxMessageBytes,
    int messagesPerSecond,
    int burstMessages,
    Duration floodCloseAfter,
    int outgoingQueueMessages,
    int incomingQueueMessages) {

  /** The limits {@code docs/protocol.md} states. */
  public static SignalingLimits defaults() {
    return new SignalingLimits(64 * 1024, 50, 100, Duration.ofSeconds(10), 512, 128);
  }
}
