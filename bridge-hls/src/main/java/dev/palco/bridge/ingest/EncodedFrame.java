package dev.palco.bridge.ingest;

import java.util.Arrays;

/**
 * One assembled frame of a track, as the decoder takes it: a VP8 frame, an H.264 access unit in
 * Annex B form, or one Opus packet, with the times it carries. Reused for every frame of a track;
 * its buffer grows to the largest frame seen (up to {@link #MAX_FRAME_BYTES}).
 */
public final class EncodedFrame {
  /** The largest frame assembled; larger ones are dropped ({@link IngestDropReason#FRAME_TOO_LARGE}). */
  public static final int MAX_FRAME_BYTES = 4 << 20;
  /** {@code AV_INPUT_BUFFER_PADDING_SIZE}: zeroed bytes a decoder may read past the end. */
  public static final int PADDING_BYTES = 64;

  /** No abs-capture-time on the frame's first packet. */
  public static final long NO_CAPTURE_TIME = Long.MIN_VALUE;

  byte[] data = new byte[16 * 1024];
  int length;
  boolean keyframe;
  /** The rewritten RTP timestamp of the subscriber's stream, unwrapped. */
  long rtpTimestamp;
  /** The SSRC and RTP timestamp the publisher gave the frame (for its sender reports). */
  long sourceSsrc;
  long sourceTimestamp;
  /** Local arrival of the frame's first packet, wall-clock µs. */
  long arrivalUs;
  /** abs-capture-time of the frame's first packet, in the sender's NTP clock as Unix µs, or NO_CAPTURE_TIME. */
  long absCaptureUs = NO_CAPTURE_TIME;

  /** The frame's bytes: {@code data()[0, length())}. */
  public byte[] data() {
    return data;
  }

  /** Its length in bytes. */
  public int length() {
    return length;
  }

  /** Whether a decoder can start on it. */
  public boolean keyframe() {
    return keyframe;
  }

  /** The unwrapped RTP timestamp (the subscriber's timeline). */
  public long rtpTimestamp() {
    return rtpTimestamp;
  }

  void clear() {
    length = 0;
    keyframe = false;
    absCaptureUs = NO_CAPTURE_TIME;
  }

  /** Appends bytes; false if the frame would exceed {@link #MAX_FRAME_BYTES}. */
  boolean append(byte[] src, int off, int len) {
    if (!ensure(len)) {
      return false;
    }
    System.arraycopy(src, off, data, length, len);
    length += len;
    return true;
  }

  /** Appends one byte; false if the frame would exceed {@link #MAX_FRAME_BYTES}. */
  boolean append(int b) {
    if (!ensure(1)) {
      return false;
    }
    data[length++] = (byte) b;
    return true;
  }

  private boolean ensure(int more) {
    int need = length + more;
    if (need > MAX_FRAME_BYTES) {
      return false;
    }
    if (need + PADDING_BYTES > data.length) {
      data = Arrays.copyOf(data, Math.min(MAX_FRAME_BYTES + PADDING_BYTES,
          Math.max(need + PADDING_BYTES, data.length * 2)));
    }
    return true;
  }
}
