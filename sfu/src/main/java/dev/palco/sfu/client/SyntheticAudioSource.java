package dev.palco.sfu.client;

import dev.palco.rtp.RtpPacket;
import java.util.SplittableRandom;

/**
 * Generates Opus RTP packets as a browser sends them: one 20 ms frame per packet (50 packets a
 * second), a 48 kHz RTP clock (RFC 7587 §4.1), and a TOC byte for a fullband hybrid mono frame
 * (RFC 6716 §3.1, configuration 15, frame count code 0), followed by a {@link SyntheticPayload}
 * body.
 *
 * <p>Not thread-safe: one sender thread drives it.
 */
public final class SyntheticAudioSource {
  /** The RTP clock rate of Opus, whatever the coded rate (RFC 7587 §4.1). */
  public static final int CLOCK_RATE_HZ = 48_000;
  /** Samples in one 20 ms frame at 48 kHz. */
  public static final int SAMPLES_PER_FRAME = 960;
  /** Configuration 15 (hybrid, fullband, 20 ms), mono, one frame. */
  private static final int TOC = 15 << 3;

  private final long ssrc;
  private final int payloadType;
  private final int payloadBytes;
  private final byte[] buffer;
  private int sequenceNumber;
  private long timestamp;
  private int frame;

  /**
   * @param payloadBytes bytes of each packet's payload, TOC included (about 80 at 32 kbit/s)
   */
  public SyntheticAudioSource(long ssrc, int payloadType, int payloadBytes, SplittableRandom random) {
    if (payloadBytes < 1 + SyntheticPayload.HEADER_SIZE_BYTES) {
      throw new IllegalArgumentException("payload of " + payloadBytes + " bytes is too small");
    }
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.payloadBytes = payloadBytes;
    this.buffer = new byte[RtpPacket.HEADER_SIZE_BYTES + payloadBytes];
    this.sequenceNumber = random.nextInt(1 << 16);
    this.timestamp = random.nextLong(1L << 32);
  }

  /** The SSRC of the stream. */
  public long ssrc() {
    return ssrc;
  }

  /** Produces the next 20 ms packet. */
  public void nextPacket(SyntheticVideoSource.PacketSink sink) {
    int off = RtpPacket.writeFixedHeader(
        buffer, 0, frame == 0, payloadType, sequenceNumber, timestamp, ssrc);
    buffer[off++] = (byte) TOC;
    int bodyOffset = off;
    SyntheticPayload.write(buffer, off, payloadBytes - 1, ssrc, frame, 0, 1);
    off += payloadBytes - 1;
    sink.onPacket(buffer, 0, off, bodyOffset);
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    timestamp = (timestamp + SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
    frame++;
  }
}
