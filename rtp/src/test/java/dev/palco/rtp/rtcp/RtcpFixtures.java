package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.bytes;

/**
 * Byte fixtures built field by field from the figures of RFC 3550 §6.4–6.6, RFC 4585 §6.2.1 and
 * §6.3.1, RFC 5104 §4.3.1 and draft-alvestrand-rmcat-remb-03 §2.2. Each method returns a fresh
 * copy.
 */
final class RtcpFixtures {
  private RtcpFixtures() {}

  /** RFC 3550 §6.4.1: SR with one report block, 52 bytes. */
  static byte[] senderReport() {
    return bytes(
        0x81, 0xC8, 0x00, 0x0C, // V=2 P=0 RC=1 | PT=200 (SR) | length=12 words -> 52 bytes
        0x12, 0x34, 0x56, 0x78, // SSRC of sender = 0x12345678
        0xE6, 0x5A, 0x3B, 0x10, // NTP timestamp, most significant word (seconds since 1900)
        0x80, 0x00, 0x00, 0x00, // NTP timestamp, least significant word = 0.5 s
        0x00, 0x01, 0xE2, 0x40, // RTP timestamp = 123456
        0x00, 0x00, 0x03, 0xE8, // sender's packet count = 1000
        0x00, 0x0F, 0x42, 0x40, // sender's octet count = 1,000,000
        0xCA, 0xFE, 0xBA, 0xBE, // report block 1: SSRC_1 = 0xCAFEBABE
        0x40, // fraction lost = 64/256 (25 %)
        0xFF, 0xFF, 0xFE, // cumulative number of packets lost = -2 (24-bit two's complement)
        0x00, 0x02, 0xFF, 0xF0, // extended highest seq = cycles 2, seq 65520
        0x00, 0x00, 0x01, 0x2C, // interarrival jitter = 300 timestamp units
        0x5A, 0x3B, 0x10, 0x80, // LSR = middle 32 bits of the last SR's NTP timestamp
        0x00, 0x01, 0x80, 0x00); // DLSR = 0x18000 / 65536 s = 1.5 s
  }

  /** RFC 3550 §6.4.2: RR with one report block, 32 bytes. */
  static byte[] receiverReport() {
    return bytes(
        0x81, 0xC9, 0x00, 0x07, // V=2 P=0 RC=1 | PT=201 (RR) | length=7 -> 32 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender = 1
        0x11, 0x22, 0x33, 0x44, // report block 1: SSRC_1 = 0x11223344
        0x00, // fraction lost = 0
        0x00, 0x00, 0x05, // cumulative number of packets lost = 5
        0x00, 0x00, 0x10, 0x00, // extended highest seq = cycles 0, seq 4096
        0x00, 0x00, 0x00, 0x10, // interarrival jitter = 16
        0x00, 0x00, 0x00, 0x00, // LSR = 0 (no SR received yet)
        0x00, 0x00, 0x00, 0x00); // DLSR = 0
  }

  /** RFC 3550 §6.5: SDES with two chunks, 36 bytes. */
  static byte[] sdes() {
    return bytes(
        0x82, 0xCA, 0x00, 0x08, // V=2 P=0 SC=2 | PT=202 (SDES) | length=8 -> 36 bytes
        0x12, 0x34, 0x56, 0x78, // chunk 1: SSRC = 0x12345678
        0x01, 0x09, // item: type=1 (CNAME), length=9
        'u', 's', 'e', 'r', '@', 'h', 'o', 's', 't', // "user@host"
        0x06, 0x05, // item: type=6 (TOOL), length=5
        'p', 'a', 'l', 'c', 'o', // "palco"
        0x00, 0x00, // null item ends the list, one more null pads the chunk to 24 bytes
        0xCA, 0xFE, 0xBA, 0xBE, // chunk 2: SSRC = 0xCAFEBABE
        0x01, 0x01, 'x', // item: type=1 (CNAME), length=1, "x"
        0x00); // null item ends the list; the chunk is 8 bytes
  }

  /** RFC 3550 §6.6: BYE with one SSRC and a reason, 12 bytes. */
  static byte[] bye() {
    return bytes(
        0x81, 0xCB, 0x00, 0x02, // V=2 P=0 SC=1 | PT=203 (BYE) | length=2 -> 12 bytes
        0x12, 0x34, 0x56, 0x78, // SSRC = 0x12345678
        0x03, 'b', 'y', 'e'); // reason: length=3, "bye" (no padding needed)
  }

  /** RFC 4585 §6.2.1: generic NACK with two FCI entries, the second crossing the wrap. */
  static byte[] nack() {
    return bytes(
        0x81, 0xCD, 0x00, 0x04, // V=2 P=0 FMT=1 (Generic NACK) | PT=205 (RTPFB) | length=4 -> 20 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender = 1
        0x11, 0x22, 0x33, 0x44, // SSRC of media source = 0x11223344
        0x03, 0xE8, // FCI 1: PID = 1000 (lost)
        0x00, 0x05, // FCI 1: BLP = 0b101: PID+1 = 1001 and PID+3 = 1003 lost
        0xFF, 0xFF, // FCI 2: PID = 65535 (lost)
        0x80, 0x01); // FCI 2: BLP bit 0 -> 65535+1 = 0 (wrapped), bit 15 -> 65535+16 = 15
  }

  /** RFC 4585 §6.3.1: PLI, 12 bytes. */
  static byte[] pli() {
    return bytes(
        0x81, 0xCE, 0x00, 0x02, // V=2 P=0 FMT=1 (PLI) | PT=206 (PSFB) | length=2 -> 12 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender = 1
        0x11, 0x22, 0x33, 0x44); // SSRC of media source = 0x11223344 (no FCI)
  }

  /** RFC 5104 §4.3.1: FIR with one entry, 20 bytes. */
  static byte[] fir() {
    return bytes(
        0x84, 0xCE, 0x00, 0x04, // V=2 P=0 FMT=4 (FIR) | PT=206 (PSFB) | length=4 -> 20 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender = 1
        0x00, 0x00, 0x00, 0x00, // SSRC of media source: unused, SHALL be 0 (§4.3.1.2)
        0x11, 0x22, 0x33, 0x44, // FCI: SSRC of the stream to refresh = 0x11223344
        0x07, // FCI: command sequence number = 7
        0x00, 0x00, 0x00); // FCI: reserved, 0
  }

  /** draft-alvestrand-rmcat-remb-03 §2.2: REMB of 1 Mbit/s for one SSRC, 24 bytes. */
  static byte[] remb() {
    return bytes(
        0x8F, 0xCE, 0x00, 0x05, // V=2 P=0 FMT=15 (AFB) | PT=206 (PSFB) | length=5 -> 24 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender = 1
        0x00, 0x00, 0x00, 0x00, // SSRC of media source: always 0
        'R', 'E', 'M', 'B', // unique identifier
        0x01, // Num SSRC = 1
        0x0B, 0xD0, 0x90, // BR Exp = 0b000010 (2), BR Mantissa = 0x3D090 (250000): 250000 << 2 = 1,000,000
        0x11, 0x22, 0x33, 0x44); // SSRC feedback = 0x11223344
  }

  /**
   * TWCC feedback captured from a browser, published as "example4" of TestTransportLayerCC_Unmarshal
   * in pion/rtcp transport_layer_cc_test.go. One run length chunk of 7 small deltas; the RTCP
   * padding bit is set with 3 bytes of padding.
   */
  static byte[] twccPionExample4() {
    return bytes(
        0xAF, 0xCD, 0x00, 0x07, // V=2 P=1 FMT=15 (TWCC) | PT=205 (RTPFB) | length=7 -> 32 bytes
        0xFA, 0x17, 0xFA, 0x17, // SSRC of packet sender = 4195875351
        0x19, 0x3D, 0xD8, 0xBB, // SSRC of media source = 423483579
        0x00, 0x04, // base sequence number = 4
        0x00, 0x07, // packet status count = 7
        0x10, 0x63, 0x6E, // reference time = 1074030 (x 64 ms)
        0x01, // fb pkt. count = 1
        0x20, 0x07, // chunk: T=0 (run length), S=01 (small delta), run length = 7
        0x4C, // recv delta seq 4: 76 x 250 us = 19 ms
        0x24, // recv delta seq 5: 36 x 250 us = 9 ms
        0x24, // recv delta seq 6: 9 ms
        0x10, // recv delta seq 7: 16 x 250 us = 4 ms
        0x0C, // recv delta seq 8: 12 x 250 us = 3 ms
        0x0C, // recv delta seq 9: 3 ms
        0x10, // recv delta seq 10: 4 ms
        0x00, 0x00, 0x03); // RTCP padding: 3 bytes, the last holds the count
  }

  /**
   * TWCC feedback published as "example6" of TestTransportLayerCC_Unmarshal in pion/rtcp
   * transport_layer_cc_test.go: a two-bit status vector with a large delta, then a run length chunk
   * of 48 losses of which only 2 fall inside the status count (the parser clips it).
   */
  static byte[] twccPionExample6() {
    return bytes(
        0xAF, 0xCD, 0x00, 0x07, // V=2 P=1 FMT=15 (TWCC) | PT=205 (RTPFB) | length=7 -> 32 bytes
        0x9B, 0x74, 0xF6, 0x1F, // SSRC of packet sender = 2608133663
        0x93, 0x71, 0xDC, 0xBC, // SSRC of media source = 2473712828
        0x85, 0x3C, // base sequence number = 34108
        0x00, 0x09, // packet status count = 9
        0x63, 0xF9, 0x16, // reference time = 6551830 (x 64 ms)
        0xB3, // fb pkt. count = 179
        0xD5, 0x52, // chunk: T=1 S=1 (two-bit): 01 01 01 01 01 00 10 = 5 small, 1 lost, 1 large
        0x00, 0x30, // chunk: T=0 S=00 (not received), run length 48, clipped to the last 2
        0x9B, // recv delta seq 34108: 155 x 250 us = 38.75 ms
        0xAA, // recv delta seq 34109: 170 x 250 us = 42.5 ms
        0x6A, // recv delta seq 34110: 106 x 250 us = 26.5 ms
        0xAA, // recv delta seq 34111: 42.5 ms
        0x7B, // recv delta seq 34112: 123 x 250 us = 30.75 ms
        0x01, 0x09, // recv delta seq 34114 (large, signed): 265 x 250 us = 66.25 ms
        0x01); // RTCP padding: 1 byte holding the count
  }

  /**
   * TWCC feedback from a Wireshark dissection kept as twcc_pkt1 in olivermichel/webrtc-analysis
   * test/include/data.h.
   */
  static byte[] twccWiresharkCapture() {
    return bytes(
        0xAF, 0xCD, 0x00, 0x07, // V=2 P=1 FMT=15 (TWCC) | PT=205 (RTPFB) | length=7 -> 32 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC of packet sender = 1
        0xDD, 0x58, 0x6E, 0xB6, // SSRC of media source = 3713560246
        0x00, 0x01, // base sequence number = 1
        0x00, 0x09, // packet status count = 9
        0x5E, 0x91, 0x10, // reference time = 6197520 (x 64 ms)
        0x00, // fb pkt. count = 0
        0x20, 0x09, // chunk: T=0 (run length), S=01 (small delta), run length = 9
        0x1C, 0x0C, 0x2C, 0x38, // recv deltas seq 1-4: 7, 3, 11, 14 ms
        0x00, 0x04, 0x00, 0x08, // recv deltas seq 5-8: 0, 1, 0, 2 ms
        0x18, // recv delta seq 9: 6 ms
        0x01); // RTCP padding: 1 byte holding the count
  }
}
