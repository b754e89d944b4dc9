package dev.palco.bridge.ingest;

/**
 * Turns the RTP payloads of one frame, in sequence order, into the codec's frame format. One
 * instance per track, on the ingest thread; never throws on malformed input.
 */
interface Depacketizer {

  /**
   * Whether this payload can be the first packet of a frame (after a loss, the jitter buffer
   * resumes at such a packet).
   */
  boolean startsFrame(byte[] buf, int off, int len);

  /** Starts assembling a frame into {@code out} (already cleared). */
  void begin(EncodedFrame out);

  /** Appends one packet's payload; {@link IngestDropReason#OK} or why the frame is dropped. */
  IngestDropReason append(byte[] buf, int off, int len, boolean first, EncodedFrame out);

  /** Ends the frame; {@link IngestDropReason#OK} or why it is dropped. */
  IngestDropReason end(EncodedFrame out);
}
