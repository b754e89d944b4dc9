package dev.palco.sfu.pipeline.node;

import dev.palco.rtp.RtpPacket;
import dev.palco.sfu.pipeline.PacketInfo;

/**
 * RFC 4588 §4 retransmission payloads, converted in place inside a {@link PacketInfo} that was
 * parsed by {@link RtpParseNode} (so its payload bounds are known).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The RTX packet has its own SSRC, sequence numbers and payload type; the original sequence number
 * (OSN) leads the payload. Unwrapping moves the header two bytes forward over the OSN and restores
 * the original SSRC, sequence number and payload type; wrapping moves it two bytes back into the
 * headroom and writes the OSN in the gap. Neither copies the payload.
 */
public final class RtxPackets {
  /** Size of the OSN field. */
  public static final int OSN_SIZE_BYTES = 2;

  private RtxPackets() {}

  /**
   * Turns an RTX packet back into the original packet.
   *
   * @return false, changing nothing, when the payload is too short to hold the OSN
   */
  public static boolean unwrap(PacketInfo p, long originalSsrc, int originalPayloadType) {
    if (p.payloadLength < OSN_SIZE_BYTES) {
      return false;
    }
    byte[] buf = p.buffer();
    int osn = ((buf[p.payloadOffset] & 0xFF) << 8) | (buf[p.payloadOffset + 1] & 0xFF);
    int headerLength = p.payloadOffset - p.offset();
    System.arraycopy(buf, p.offset(), buf, p.offset() + OSN_SIZE_BYTES, headerLength);
    p.shiftWindow(OSN_SIZE_BYTES);
    p.setLength(p.length() - OSN_SIZE_BYTES);
    p.payloadLength -= OSN_SIZE_BYTES;
    int off = p.offset();
    RtpPacket.setSequenceNumber(buf, off, osn);
    RtpPacket.setSsrc(buf, off, originalSsrc);
    RtpPacket.setPayloadType(buf, off, originalPayloadType);
    p.sequenceNumber = osn;
    p.ssrc = originalSsrc;
    p.payloadType = originalPayloadType;
    p.retransmission = true;
    return true;
  }

  /**
   * Turns a (rewritten) packet into an RTX packet carrying it.
   *
   * @return false, changing nothing, when the headroom is too small
   */
  public static boolean wrap(PacketInfo p, long rtxSsrc, int rtxSequenceNumber, int rtxPayloadType) {
    if (p.offset() < OSN_SIZE_BYTES) {
      return false;
    }
    byte[] buf = p.buffer();
    int off = p.offset();
    int osn = RtpPacket.sequenceNumber(buf, off);
    int headerLength = p.payloadOffset - off;
    System.arraycopy(buf, off, buf, off - OSN_SIZE_BYTES, headerLength);
    p.shiftWindow(-OSN_SIZE_BYTES);
    p.setLength(p.length() + OSN_SIZE_BYTES);
    p.payloadLength += OSN_SIZE_BYTES;
    buf[p.payloadOffset] = (byte) (osn >>> 8);
    buf[p.payloadOffset + 1] = (byte) osn;
    off = p.offset();
    RtpPacket.setSequenceNumber(buf, off, rtxSequenceNumber);
    RtpPacket.setSsrc(buf, off, rtxSsrc);
    RtpPacket.setPayloadType(buf, off, rtxPayloadType);
    p.sequenceNumber = rtxSequenceNumber & 0xFFFF;
    p.ssrc = rtxSsrc;
    p.payloadType = rtxPayloadType;
    return true;
  }
}
