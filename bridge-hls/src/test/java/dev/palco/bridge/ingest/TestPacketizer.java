package dev.palco.bridge.ingest;

import dev.palco.rtp.RtpPacket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Packetizes frames the way a WebRTC sender does, for the tests: RFC 7741, RFC 6184, RFC 7587. */
final class TestPacketizer {
  private TestPacketizer() {}

  /**
   * RFC 7741 §4.2: each packet has a 4-byte descriptor, X=1 and I=1 with a 15-bit picture ID
   * (M=1); S=1 and PID=0 on the first packet of the frame only.
   */
  static List<byte[]> vp8(byte[] frame, int pictureId, int maxPayloadBytes) {
    List<byte[]> out = new ArrayList<>();
    int chunk = maxPayloadBytes - 4;
    for (int at = 0; at < frame.length; at += chunk) {
      int n = Math.min(chunk, frame.length - at);
      byte[] p = new byte[4 + n];
      p[0] = (byte) (0x80 | (at == 0 ? 0x10 : 0)); // X=1, S on the first packet, PID=0
      p[1] = (byte) 0x80;                           // I=1: picture ID present
      p[2] = (byte) (0x80 | ((pictureId >>> 8) & 0x7F)); // M=1: 15-bit picture ID, high bits
      p[3] = (byte) pictureId;                      // low bits
      System.arraycopy(frame, at, p, 4, n);
      out.add(p);
    }
    return out;
  }

  /** A fake VP8 frame whose first bytes are a valid payload header (RFC 6386 §9.1). */
  static byte[] fakeVp8Frame(boolean keyframe, int size, int seed) {
    byte[] f = new byte[size];
    for (int i = 0; i < size; i++) {
      f[i] = (byte) (seed * 7 + i * 13);
    }
    f[0] = (byte) (keyframe ? 0x10 : 0x11); // size0=0, H=1 (show frame), VER=0, P=0 key / 1 delta
    f[1] = 0x02;
    f[2] = 0x00;
    if (keyframe) {
      f[3] = (byte) 0x9d; // start code
      f[4] = 0x01;
      f[5] = 0x2a;
      f[6] = 0x40;        // width 320
      f[7] = 0x01;
      f[8] = (byte) 0xB4; // height 180
      f[9] = 0x00;
    }
    return f;
  }

  /** The NAL units of an Annex B byte stream (without start codes). */
  static List<byte[]> nalUnits(byte[] annexB) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    int start = -1;
    while (i + 3 <= annexB.length) {
      boolean three = annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1;
      if (three) {
        if (start >= 0) {
          int end = i;
          while (end > start && annexB[end - 1] == 0) {
            end--;
          }
          out.add(Arrays.copyOfRange(annexB, start, end));
        }
        i += 3;
        start = i;
      } else {
        i++;
      }
    }
    if (start >= 0 && start < annexB.length) {
      out.add(Arrays.copyOfRange(annexB, start, annexB.length));
    }
    return out;
  }

  /**
   * RFC 6184 packetization-mode=1: consecutive small NAL units go into a STAP-A (§5.7.1), a unit
   * too large for one packet into FU-As (§5.8), any other into a single NAL unit packet (§5.6).
   */
  static List<byte[]> h264(byte[] annexB, int maxPayloadBytes) {
    List<byte[]> nals = nalUnits(annexB);
    List<byte[]> out = new ArrayList<>();
    List<byte[]> pending = new ArrayList<>();
    int pendingSize = 1;
    for (byte[] nal : nals) {
      if (nal.length + 2 + pendingSize <= maxPayloadBytes && nal.length < maxPayloadBytes / 4) {
        pending.add(nal);
        pendingSize += 2 + nal.length;
        continue;
      }
      flushStap(pending, out);
      pendingSize = 1;
      if (nal.length <= maxPayloadBytes) {
        out.add(nal.clone());
        continue;
      }
      int chunk = maxPayloadBytes - 2;
      for (int at = 1; at < nal.length; at += chunk) {
        int n = Math.min(chunk, nal.length - at);
        byte[] p = new byte[2 + n];
        p[0] = (byte) ((nal[0] & 0xE0) | 28);                 // FU indicator: F|NRI of the unit, type 28
        p[1] = (byte) ((at == 1 ? 0x80 : 0) | (at + n == nal.length ? 0x40 : 0) | (nal[0] & 0x1F)); // S|E|R|type
        System.arraycopy(nal, at, p, 2, n);
        out.add(p);
      }
    }
    flushStap(pending, out);
    return out;
  }

  private static void flushStap(List<byte[]> pending, List<byte[]> out) {
    if (pending.isEmpty()) {
      return;
    }
    if (pending.size() == 1) {
      out.add(pending.get(0).clone());
      pending.clear();
      return;
    }
    int size = 1;
    int nri = 0;
    for (byte[] n : pending) {
      size += 2 + n.length;
      nri = Math.max(nri, n[0] & 0x60);
    }
    byte[] p = new byte[size];
    p[0] = (byte) (nri | 24); // STAP-A NAL header: F=0, the highest NRI, type 24
    int at = 1;
    for (byte[] n : pending) {
      p[at] = (byte) (n.length >>> 8); // NALU size
      p[at + 1] = (byte) n.length;
      System.arraycopy(n, 0, p, at + 2, n.length);
      at += 2 + n.length;
    }
    out.add(p);
    pending.clear();
  }

  /** An RTP packet with a 12-byte header. */
  static byte[] rtp(int pt, int seq, long ts, long ssrc, boolean marker, byte[] payload) {
    byte[] buf = new byte[RtpPacket.HEADER_SIZE_BYTES + payload.length];
    RtpPacket.writeFixedHeader(buf, 0, marker, pt, seq & 0xFFFF, ts & 0xFFFF_FFFFL, ssrc);
    System.arraycopy(payload, 0, buf, RtpPacket.HEADER_SIZE_BYTES, payload.length);
    return buf;
  }
}
