package dev.palco.sfu.room;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The browser's side of one participant: an SRTP session keyed opposite to the SFU's (fixed keys
 * derived from a seed), so the test sends real SRTP and reads back what the SFU sent.
 */
final class TestPeer {
  static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

  final String id;
  final SrtpSession session;
  final InMemoryMediaTransport transport;
  Participant participant;
  /** Every plaintext RTP packet received, in order. */
  final List<byte[]> rtp = new ArrayList<>();
  /** Every plaintext RTCP compound received, in order. */
  final List<byte[]> rtcp = new ArrayList<>();
  int receiveFailures;

  TestPeer(String id, int seed) {
    this.id = id;
    byte[] peerKey = filled(PROFILE.masterKeyLengthBytes(), seed);
    byte[] peerSalt = filled(PROFILE.masterSaltLengthBytes(), seed + 50);
    byte[] sfuKey = filled(PROFILE.masterKeyLengthBytes(), seed + 100);
    byte[] sfuSalt = filled(PROFILE.masterSaltLengthBytes(), seed + 150);
    this.session = SrtpSession.create(PROFILE, peerKey, peerSalt, sfuKey, sfuSalt, 512);
    this.transport = new InMemoryMediaTransport(id,
        SrtpSession.create(PROFILE, sfuKey, sfuSalt, peerKey, peerSalt, 512));
  }

  private static byte[] filled(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  /** Protects a plaintext RTP packet. */
  byte[] protectRtp(byte[] plain) {
    byte[] buf = Arrays.copyOf(plain, plain.length + 64);
    if (session.sender().protectRtp(buf, 0, plain.length) != SrtpStatus.OK) {
      throw new IllegalStateException("protect failed");
    }
    return Arrays.copyOf(buf, session.sender().lengthBytes());
  }

  /** Protects a plaintext RTCP compound. */
  byte[] protectRtcp(byte[] plain) {
    byte[] buf = Arrays.copyOf(plain, plain.length + 64);
    if (session.sender().protectRtcp(buf, 0, plain.length) != SrtpStatus.OK) {
      throw new IllegalStateException("protect failed");
    }
    return Arrays.copyOf(buf, session.sender().lengthBytes());
  }

  void sendRtp(byte[] plain) {
    byte[] p = protectRtp(plain);
    transport.deliver(p, 0, p.length, false);
  }

  void sendRtcp(byte[] plain) {
    byte[] p = protectRtcp(plain);
    transport.deliver(p, 0, p.length, true);
  }

  /** Decrypts what the SFU sent since the last call into {@link #rtp} and {@link #rtcp}. */
  TestPeer receive() {
    for (byte[] datagram : transport.drainSent()) {
      int pt = datagram[1] & 0xFF;
      // RFC 5761 §4: RTCP packet types 192..223 in the second byte.
      boolean isRtcp = pt >= 192 && pt <= 223;
      SrtpStatus status = isRtcp
          ? session.receiver().unprotectRtcp(datagram, 0, datagram.length)
          : session.receiver().unprotectRtp(datagram, 0, datagram.length);
      if (status != SrtpStatus.OK) {
        receiveFailures++;
        continue;
      }
      byte[] plain = Arrays.copyOf(datagram, session.receiver().lengthBytes());
      (isRtcp ? rtcp : rtp).add(plain);
    }
    return this;
  }

  /** RTP packets received with this SSRC. */
  List<byte[]> rtpWithSsrc(long ssrc) {
    receive();
    List<byte[]> out = new ArrayList<>();
    for (byte[] p : rtp) {
      if (RtpPacket.ssrc(p, 0) == ssrc) {
        out.add(p);
      }
    }
    return out;
  }

  /** Every RTCP packet received (each element: {buffer offset length} of one packet of a compound). */
  List<int[]> rtcpPackets(int packetType) {
    receive();
    List<int[]> out = new ArrayList<>();
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    for (int i = 0; i < rtcp.size(); i++) {
      byte[] c = rtcp.get(i);
      if (it.reset(c, 0, c.length) != RtcpDropReason.OK) {
        throw new AssertionError("SFU sent a malformed RTCP compound");
      }
      while (it.next()) {
        if (packetType < 0 || it.packetType() == packetType) {
          out.add(new int[] {i, it.offset(), it.length(), it.packetType(), it.count()});
        }
      }
    }
    return out;
  }

  byte[] rtcpCompound(int[] ref) {
    return rtcp.get(ref[0]);
  }
}
