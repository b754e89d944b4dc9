package dev.palco.sfu.room;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.SdesTokenExtension;
import dev.palco.rtp.TransportCcExtension;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Media packets as a browser sends them, built with the rtp module's encoders, and the track
 * parameters of a typical Chromium session.
 */
final class MediaFixtures {
  /** Payload types as Chromium numbers them. */
  static final int VP8_PT = 96;
  static final int VP8_RTX_PT = 97;
  static final int OPUS_PT = 111;

  /** Extension ids (one BUNDLE group, so one id per URI). */
  static final int AUDIO_LEVEL_ID = 1;
  static final int ABS_SEND_TIME_ID = 2;
  static final int TRANSPORT_CC_ID = 3;
  static final int MID_ID = 4;
  static final int RID_ID = 10;
  static final int REPAIRED_RID_ID = 11;

  static final Map<String, Integer> EXTENSIONS = Map.of(
      ExtensionUris.AUDIO_LEVEL, AUDIO_LEVEL_ID,
      ExtensionUris.ABS_SEND_TIME, ABS_SEND_TIME_ID,
      ExtensionUris.TRANSPORT_CC, TRANSPORT_CC_ID,
      ExtensionUris.MID, MID_ID,
      ExtensionUris.RID, RID_ID,
      ExtensionUris.REPAIRED_RID, REPAIRED_RID_ID);

  private MediaFixtures() {}

  /** A VP8 video track with RTX, with signalled SSRCs. */
  static TrackParameters video(String mid, long ssrc, long rtxSsrc) {
    return new TrackParameters(TrackKind.VIDEO, mid,
        List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)), EXTENSIONS,
        List.of(new TrackParameters.SsrcPair(ssrc, rtxSsrc)), List.of(), false, "stream", "track");
  }

  /** A VP8 simulcast track with rids and no signalled SSRCs (Chromium's simulcast offer). */
  static TrackParameters simulcastVideo(String mid, String... rids) {
    return new TrackParameters(TrackKind.VIDEO, mid,
        List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)), EXTENSIONS, List.of(), List.of(rids), false,
        "stream", "track");
  }

  /** An Opus track. */
  static TrackParameters audio(String mid, long ssrc) {
    return new TrackParameters(TrackKind.AUDIO, mid, List.of(CodecParameters.opus(OPUS_PT)), EXTENSIONS,
        List.of(new TrackParameters.SsrcPair(ssrc, -1)), List.of(), false, "stream", "audio");
  }

  /**
   * The VP8 payload of one single-packet frame, RFC 7741 §4.2/§4.3:
   * descriptor with X, I (15-bit picture ID) and L (TL0PICIDX), then the payload header, then for
   * a keyframe the start code and dimensions, then {@code filler} bytes of frame data.
   */
  static byte[] vp8Payload(boolean keyframe, int pictureId, int tl0PicIdx, int filler, int seed) {
    byte[] head = keyframe
        ? new byte[] {
            (byte) 0x90,                          // X=1 R=0 N=0 S=1 R=0 PID=0: start of frame
            (byte) 0xC0,                          // I=1 (picture ID) L=1 (TL0PICIDX) T=0 K=0
            (byte) (0x80 | (pictureId >>> 8)),    // M=1: 15-bit picture ID, high 7 bits
            (byte) pictureId,                     //   low 8 bits
            (byte) tl0PicIdx,                     // TL0PICIDX
            0x10,                                 // Size0=0 H=1 (show) VER=0 P=0: key frame
            0x02,                                 // Size1
            0x00,                                 // Size2
            (byte) 0x9d, 0x01, 0x2a,              // RFC 6386 §9.1 start code
            0x40, 0x01,                           // width 320, scale 0 (little endian)
            (byte) 0xF0, 0x00                     // height 240, scale 0
          }
        : new byte[] {
            (byte) 0x90,                          // X=1 S=1 PID=0: start of frame
            (byte) 0xC0,                          // I=1 L=1
            (byte) (0x80 | (pictureId >>> 8)),    // M=1, picture ID high bits
            (byte) pictureId,                     //   low bits
            (byte) tl0PicIdx,                     // TL0PICIDX
            0x11,                                 // Size0=0 H=1 VER=0 P=1: interframe
            0x02,                                 // Size1
            0x00                                  // Size2
          };
    byte[] payload = Arrays.copyOf(head, head.length + filler);
    for (int i = head.length; i < payload.length; i++) {
      payload[i] = (byte) (seed + i);
    }
    return payload;
  }

  /** Offset of the picture ID in {@link #vp8Payload}. */
  static final int VP8_PICTURE_ID_OFFSET = 2;
  /** Offset of TL0PICIDX in {@link #vp8Payload}. */
  static final int VP8_TL0PICIDX_OFFSET = 4;

  /**
   * An RTP packet with optional mid and rid (or repaired-rid) and a transport-wide sequence
   * number, in the one-byte extension form (RFC 8285 §4.2).
   */
  static byte[] rtp(int pt, int seq, long ts, long ssrc, boolean marker, String mid, String rid,
      boolean repaired, int transportSeq, byte[] payload) {
    byte[] buf = new byte[RtpPacket.HEADER_SIZE_BYTES + 64 + payload.length];
    int len = RtpPacket.writeFixedHeader(buf, 0, marker, pt, seq, ts, ssrc);
    System.arraycopy(payload, 0, buf, len, payload.length);
    len += payload.length;
    byte[] value = new byte[16];
    if (transportSeq >= 0) {
      int n = TransportCcExtension.write(value, 0, transportSeq);
      len = RtpHeaderExtensions.add(buf, 0, len, buf.length, TRANSPORT_CC_ID, value, 0, n);
    }
    if (mid != null) {
      int n = SdesTokenExtension.write(value, 0, SdesTokenExtension.tokenBytes(mid));
      len = RtpHeaderExtensions.add(buf, 0, len, buf.length, MID_ID, value, 0, n);
    }
    if (rid != null) {
      int n = SdesTokenExtension.write(value, 0, SdesTokenExtension.tokenBytes(rid));
      len = RtpHeaderExtensions.add(buf, 0, len, buf.length, repaired ? REPAIRED_RID_ID : RID_ID,
          value, 0, n);
    }
    return Arrays.copyOf(buf, len);
  }

  /** A plain packet with no extensions. */
  static byte[] rtp(int pt, int seq, long ts, long ssrc, boolean marker, byte[] payload) {
    return rtp(pt, seq, ts, ssrc, marker, null, null, false, -1, payload);
  }

  /** An RFC 4588 RTX packet carrying {@code original} (OSN = its sequence number). */
  static byte[] rtx(byte[] original, int rtxPt, int rtxSeq, long rtxSsrc) {
    int header = RtpPacket.headerLength(original, 0, original.length);
    byte[] out = new byte[original.length + 2];
    System.arraycopy(original, 0, out, 0, header);
    out[header] = original[2];                    // OSN high byte
    out[header + 1] = original[3];                // OSN low byte
    System.arraycopy(original, header, out, header + 2, original.length - header);
    RtpPacket.setPayloadType(out, 0, rtxPt);
    RtpPacket.setSequenceNumber(out, 0, rtxSeq);
    RtpPacket.setSsrc(out, 0, rtxSsrc);
    return out;
  }

  /** The payload of a plaintext RTP packet. */
  static byte[] payloadOf(byte[] packet) {
    RtpPacket p = new RtpPacket();
    if (p.parse(packet, 0, packet.length) != dev.palco.rtp.RtpDropReason.OK) {
      throw new AssertionError("malformed RTP");
    }
    return Arrays.copyOfRange(packet, p.payloadOffset(), p.payloadOffset() + p.payloadLength());
  }
}
