package dev.palco.sfu.pacing;

/**
 * Send order of the {@link Pacer}'s queues. Audio is small and the most sensitive to delay, so it
 * is never held behind anything; a retransmission repairs a frame the receiver is already waiting
 * for; new video comes after both. Padding is not queued: the pacer asks the caller for it.
 */
public enum PacketPriority {
  /** Audio: sent at once, whatever the budget. */
  AUDIO,
  /** RTX retransmissions answering NACKs. */
  RETRANSMISSION,
  /** Video media. */
  VIDEO
}
