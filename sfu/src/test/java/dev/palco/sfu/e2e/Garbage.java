package dev.palco.sfu.e2e;

import dev.palco.rtp.RtpPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Datagrams no WebRTC peer sends, built by hand so each one's kind is known. */
final class Garbage {
  private Garbage() {}

  /** {@code n} random datagrams of 1..1200 bytes, of any first byte (RFC 7983 §7 ranges and none). */
  static List<byte[]> randomBytes(SplittableRandom random, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[1 + random.nextInt(1_200)];
      random.nextBytes(b);
      out.add(b);
    }
    return out;
  }

  /** A DTLS handshake record whose header claims 100 bytes of which 7 follow. */
  static byte[] truncatedDtls() {
    return new byte[] {
      22, // content type: handshake (RFC 6347 §4.1)
      (byte) 0xFE, (byte) 0xFD, // version: DTLS 1.2
      0, 1, // epoch 1
      0, 0, 0, 0, 0, 9, // sequence number 9
      0, 100, // length: 100, but only 7 bytes follow
      1, 2, 3, 4, 5, 6, 7};
  }

  /** A DTLS record shorter than its 13-byte header. */
  static byte[] dtlsHeaderOnly() {
    return new byte[] {
      23, // content type: application_data
      (byte) 0xFE, (byte) 0xFD, // version: DTLS 1.2
      0, 1, // epoch 1, then nothing more
    };
  }

  /**
   * A plaintext RTP packet (RFC 3550 §5.1) with {@code ssrc}, PT 96 and a random payload, with
   * room after it for an SRTP trailer.
   *
   * @return the array; the packet is its first {@code 12 + payloadLen} bytes
   */
  static byte[] rtp(long ssrc, int seq, int payloadLen, SplittableRandom random, int tailroom) {
    byte[] b = new byte[RtpPacket.HEADER_SIZE_BYTES + payloadLen + tailroom];
    RtpPacket.writeFixedHeader(b, 0, false, 96, seq, seq * 3000L, ssrc);
    for (int i = 0; i < payloadLen; i++) {
      b[RtpPacket.HEADER_SIZE_BYTES + i] = (byte) random.nextInt();
    }
    return b;
  }

  /**
   * A STUN Binding request (RFC 5389 §6) with USERNAME {@code username} and a MESSAGE-INTEGRITY
   * keyed with a password nobody issued.
   */
  static byte[] bindingRequestWithBadIntegrity(String username, int transactionSeed) {
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    int userPadded = (user.length + 3) & ~3;
    int attrs = 4 + userPadded + 4 + 20;
    byte[] msg = new byte[20 + attrs];
    msg[0] = 0x00; // type: Binding request 0x0001
    msg[1] = 0x01;
    msg[2] = (byte) (attrs >>> 8); // length of the attributes, MESSAGE-INTEGRITY included (§15.4)
    msg[3] = (byte) attrs;
    msg[4] = 0x21; // magic cookie 0x2112A442
    msg[5] = 0x12;
    msg[6] = (byte) 0xA4;
    msg[7] = 0x42;
    for (int i = 8; i < 20; i++) {
      msg[i] = (byte) (transactionSeed * 31 + i); // transaction ID, 96 bits
    }
    int o = 20;
    msg[o] = 0x00; // USERNAME 0x0006
    msg[o + 1] = 0x06;
    msg[o + 2] = (byte) (user.length >>> 8); // unpadded value length
    msg[o + 3] = (byte) user.length;
    System.arraycopy(user, 0, msg, o + 4, user.length); // value, zero padded to 4 bytes
    o += 4 + userPadded;
    byte[] hmac = org.ice4j.attribute.MessageIntegrityAttribute.calculateHmacSha1(
        msg, 0, o, "not-the-password-0123456789".getBytes(StandardCharsets.UTF_8));
    msg[o] = 0x00; // MESSAGE-INTEGRITY 0x0008
    msg[o + 1] = 0x08;
    msg[o + 2] = 0x00; // length 20
    msg[o + 3] = 0x14;
    System.arraycopy(hmac, 0, msg, o + 4, 20); // HMAC-SHA1 with the wrong key
    return msg;
  }

  /** Whether a datagram is a STUN Binding error response (class 0b11, method 1: type 0x0111). */
  static boolean isBindingErrorResponse(byte[] buf, int len) {
    return len >= 20 && buf[0] == 0x01 && buf[1] == 0x11 && buf[4] == 0x21 && buf[5] == 0x12;
  }
}
