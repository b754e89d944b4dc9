package dev.palco.bridge.ingest;

/**
 * Why the ingest dropped a packet or a frame. Each track counts its drops by reason
 * ({@link IngestStats}); nothing on the packet path throws.
 */
public enum IngestDropReason {
  /** Not dropped. */
  OK,
  /** The hand-off queue from the SFU's workers to the ingest thread was full (a packet). */
  QUEUE_FULL,
  /** The packet's RTP header does not parse (a packet). */
  MALFORMED_RTP,
  /** A payload type the track did not negotiate, or a codec the ingest does not decode (a packet). */
  UNSUPPORTED_CODEC,
  /** A packet of a track the ingest no longer (or not yet) follows (a packet). */
  UNKNOWN_TRACK,
  /** A packet with no payload: padding (a packet). */
  EMPTY_PAYLOAD,
  /** Larger than a jitter buffer slot (a packet). */
  TOO_LARGE,
  /** Arrived after its place in the sequence was given up or already played out (a packet). */
  TOO_LATE,
  /** A sequence number already in the buffer (a packet). */
  DUPLICATE,
  /** So far ahead of the next expected packet that everything buffered was flushed (a packet). */
  BUFFER_OVERFLOW,
  /** A sequence number that never arrived within the wait (a packet counted as lost). */
  LOST,
  /** A packet of a frame that lost another packet, or that follows a loss before a frame start (a packet). */
  BROKEN_FRAME_PACKET,
  /** A frame missing a packet after the wait (a frame). */
  INCOMPLETE_FRAME,
  /** A frame whose payload the codec's RTP format refuses (a frame). */
  MALFORMED_PAYLOAD,
  /** H.264 (RFC 6184 §5.8): a middle or end FU-A fragment without its start, or a start without an end (a frame). */
  FU_A_SEQUENCE,
  /** VP8 (RFC 7741 §4.4): the first packet of the frame is not the start of partition 0 (a frame). */
  NOT_FRAME_START,
  /** A delta frame while the decoder waits for a keyframe after a loss (a frame). */
  WAITING_FOR_KEYFRAME,
  /** The decoder refused the frame (a frame). */
  DECODE_ERROR,
  /** A frame larger than the assembly limit (a frame). */
  FRAME_TOO_LARGE
}
