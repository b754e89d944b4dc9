package dev.palco.sfu.client;

import dev.palco.rtp.RtpPacket;
import java.util.SplittableRandom;

/**
 * Generates VP8 RTP packets that look to the SFU like a camera's: a frame-size model at a target
 * bitrate and frame rate, keyframes on a fixed interval or on demand, frames split at the MTU,
 * 15-bit picture ids, the marker on each frame's last packet, and a 90 kHz timestamp.
 *
 * <p>Each packet is, after the RTP header:
 * <ul>
 *   <li>the VP8 payload descriptor (RFC 7741 §4.2): X=1, S=1 on a frame's first packet, PID=0,
 *       I=1 with a 15-bit picture id;
 *   <li>on a frame's first packet only, the VP8 payload header (RFC 7741 §4.3): the 3-byte frame
 *       tag, and for keyframes the start code and the width and height (RFC 6386 §9.1);
 *   <li>a {@link SyntheticPayload} body that a receiver can verify byte for byte.
 * </ul>
 *
 * <p>Not thread-safe: one sender thread drives it.
 */
public final class SyntheticVideoSource {
  /** The RTP clock rate of video (RFC 7741 §4.1). */
  public static final int CLOCK_RATE_HZ = 90_000;
  /** Descriptor bytes: the first octet, the X octet and a two-byte picture id. */
  private static final int DESCRIPTOR_SIZE_BYTES = 4;
  /** A keyframe is this many times a delta frame's size, as a real encoder's roughly are. */
  private static final int KEYFRAME_SIZE_FACTOR = 6;

  /** Receives each packet of a frame. The buffer is reused after the call returns. */
  @FunctionalInterface
  public interface PacketSink {
    /**
     * @param bodyOffset where the {@link SyntheticPayload} body starts, to stamp the send time
     */
    void onPacket(byte[] buf, int off, int len, int bodyOffset);
  }

  private final long ssrc;
  private final int payloadType;
  private final int framesPerSecond;
  private final int bitrateBps;
  private final int keyframeIntervalFrames;
  private final int maxPayloadBytes;
  private final int widthPx;
  private final int heightPx;
  private final SplittableRandom random;
  private final byte[] buffer;

  private int sequenceNumber;
  private long timestamp;
  private int pictureId;
  private int frame;
  private boolean keyframeRequested = true;

  /**
   * @param maxPayloadBytes RTP payload budget per packet (the MTU less IP, UDP, RTP and SRTP
   *     overheads, and room for header extensions)
   * @param random seeds the frame-size model and the first sequence number and timestamp
   */
  public SyntheticVideoSource(
      long ssrc,
      int payloadType,
      int framesPerSecond,
      int bitrateBps,
      int keyframeIntervalFrames,
      int maxPayloadBytes,
      int widthPx,
      int heightPx,
      SplittableRandom random) {
    if (framesPerSecond <= 0 || bitrateBps <= 0 || keyframeIntervalFrames <= 0) {
      throw new IllegalArgumentException("rates and intervals must be positive");
    }
    if (maxPayloadBytes < DESCRIPTOR_SIZE_BYTES + 10 + SyntheticPayload.HEADER_SIZE_BYTES) {
      throw new IllegalArgumentException("payload budget " + maxPayloadBytes + " is too small");
    }
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.framesPerSecond = framesPerSecond;
    this.bitrateBps = bitrateBps;
    this.keyframeIntervalFrames = keyframeIntervalFrames;
    this.maxPayloadBytes = maxPayloadBytes;
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.random = random;
    this.buffer = new byte[RtpPacket.HEADER_SIZE_BYTES + maxPayloadBytes];
    this.sequenceNumber = random.nextInt(1 << 16);
    this.timestamp = random.nextLong(1L << 32);
    this.pictureId = random.nextInt(1 << 15);
  }

  /** Makes the next frame a keyframe, as an encoder does on a PLI or FIR. */
  public void requestKeyframe() {
    keyframeRequested = true;
  }

  /** The SSRC of the stream. */
  public long ssrc() {
    return ssrc;
  }

  /** Frames produced so far. */
  public int framesProduced() {
    return frame;
  }

  /**
   * Produces the next frame's packets.
   *
   * @return whether the frame was a keyframe
   */
  public boolean nextFrame(PacketSink sink) {
    boolean keyframe = keyframeRequested || frame % keyframeIntervalFrames == 0;
    keyframeRequested = false;
    int deltaBytes = Math.max(64, bitrateBps / 8 / framesPerSecond * (keyframeIntervalFrames)
        / (keyframeIntervalFrames - 1 + KEYFRAME_SIZE_FACTOR));
    int frameBytes = keyframe ? deltaBytes * KEYFRAME_SIZE_FACTOR : deltaBytes;
    // ±25 % around the mean, as the content of real frames varies.
    frameBytes += random.nextInt(-frameBytes / 4, frameBytes / 4 + 1);

    int firstHeaderBytes = keyframe ? 10 : 3;
    int perPacket = maxPayloadBytes - DESCRIPTOR_SIZE_BYTES;
    int packets = Math.max(1, (frameBytes + firstHeaderBytes + perPacket - 1) / perPacket);
    int bodyBudget = Math.max(SyntheticPayload.HEADER_SIZE_BYTES,
        Math.min(perPacket - firstHeaderBytes, (frameBytes + packets - 1) / packets));

    for (int index = 0; index < packets; index++) {
      boolean first = index == 0;
      boolean last = index == packets - 1;
      int off = RtpPacket.writeFixedHeader(
          buffer, 0, last, payloadType, sequenceNumber, timestamp, ssrc);
      // RFC 7741 §4.2 descriptor: X=1, S on the first packet, PID=0; then I=1; M=1 picture id.
      buffer[off++] = (byte) (0x80 | (first ? 0x10 : 0));
      buffer[off++] = (byte) 0x80;
      buffer[off++] = (byte) (0x80 | (pictureId >>> 8));
      buffer[off++] = (byte) pictureId;
      if (first) {
        off = writePayloadHeader(buffer, off, keyframe, bodyBudget);
      }
      int bodyOffset = off;
      SyntheticPayload.write(buffer, off, bodyBudget, ssrc, frame, index, packets);
      off += bodyBudget;
      sink.onPacket(buffer, 0, off, bodyOffset);
      sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    }
    frame++;
    pictureId = (pictureId + 1) & 0x7FFF;
    timestamp = (timestamp + CLOCK_RATE_HZ / framesPerSecond) & 0xFFFF_FFFFL;
    return keyframe;
  }

  private int writePayloadHeader(byte[] buf, int off, boolean keyframe, int firstPartitionBytes) {
    // RFC 6386 §9.1 frame tag: P (bit 0) is 0 for keyframes; version 0; show_frame (bit 4) set;
    // then the 19-bit first partition size.
    int tag = (keyframe ? 0 : 1) | 0x10 | (firstPartitionBytes << 5);
    buf[off++] = (byte) tag;
    buf[off++] = (byte) (tag >>> 8);
    buf[off++] = (byte) (tag >>> 16);
    if (keyframe) {
      buf[off++] = (byte) 0x9d;
      buf[off++] = (byte) 0x01;
      buf[off++] = (byte) 0x2a;
      buf[off++] = (byte) widthPx;
      buf[off++] = (byte) ((widthPx >>> 8) & 0x3F);
      buf[off++] = (byte) heightPx;
      buf[off++] = (byte) ((heightPx >>> 8) & 0x3F);
    }
    return off;
  }
}
