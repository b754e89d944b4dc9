package dev.palco.rtp.rtcp;

/**
 * Receives the lost sequence numbers of a generic NACK one at a time, so parsing needs no list.
 * Hold one instance in a field (or use a non-capturing lambda) to keep the hot path free of
 * allocation.
 */
@FunctionalInterface
public interface NackSequenceConsumer {
  /** Called once per sequence number (0 to 65535) the NACK reports lost. */
  void onLostSequence(int seq);
}
