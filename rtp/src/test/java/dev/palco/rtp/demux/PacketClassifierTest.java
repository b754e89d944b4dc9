package dev.palco.rtp.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacketClassifierTest {

    /**
     * A 64-byte datagram whose first byte is {@code first} and whose other bytes make every
     * protocol-specific check pass: the STUN cookie at 4..7, the DTLS major version 0xFE at 1.
     */
    private static byte[] datagram(int first, int second) {
        byte[] buf = new byte[64];
        buf[0] = (byte) first;
        buf[1] = (byte) second;
        buf[4] = 0x21;                 // STUN magic cookie 0x2112A442 (RFC 5389 §6)
        buf[5] = 0x12;
        buf[6] = (byte) 0xA4;
        buf[7] = 0x42;
        return buf;
    }

    @ParameterizedTest(name = "first byte {0} -> {1}")
    @CsvSource({
        // RFC 7983 §7 / RFC 9443 §3 boundaries, each side of each range.
        "0, STUN",
        "3, STUN",
        "4, UNKNOWN",
        "15, UNKNOWN",
        "16, ZRTP",
        "19, ZRTP",
        "20, DTLS",
        "31, DTLS",
        "32, DTLS",
        "63, DTLS",
        "64, TURN_CHANNEL",
        "79, TURN_CHANNEL",
        "80, QUIC",
        "127, QUIC",
        "128, RTP",
        "191, RTP",
        "192, QUIC",
        "255, QUIC",
    })
    void classifiesByFirstByte(int first, PacketKind expected) {
        // Second byte 0xFE: the DTLS major version, and an RTP second byte (M=1, PT=126).
        assertEquals(expected, PacketClassifier.classify(datagram(first, 0xFE), 0, 64));
    }

    @ParameterizedTest(name = "second byte {0} -> {1}")
    @CsvSource({
        // RFC 5761 §4: second byte 192..223 is an RTCP packet type; everything else is RTP.
        "0, RTP",               // M=0, PT=0
        "127, RTP",             // M=0, PT=127
        "128, RTP",             // M=1, PT=0
        "191, RTP",             // M=1, PT=63
        "192, RTCP",            // FIR (RFC 2032), or M=1 PT=64
        "200, RTCP",            // SR
        "201, RTCP",            // RR
        "206, RTCP",            // PSFB
        "223, RTCP",            // last RTCP type
        "224, RTP",             // M=1, PT=96
        "255, RTP",             // M=1, PT=127
    })
    void splitsRtpFromRtcpBySecondByte(int second, PacketKind expected) {
        assertEquals(expected, PacketClassifier.classify(datagram(0x80, second), 0, 64));
        assertEquals(expected, PacketClassifier.classify(datagram(0xBF, second), 0, 64));
    }

    @ParameterizedTest(name = "first {0}, second {1}, length {2} -> {3}")
    @CsvSource({
        "0, 0, 0, TOO_SHORT",          // empty datagram
        "0, 1, 19, TOO_SHORT",         // STUN header is 20 bytes
        "0, 1, 20, STUN",
        "16, 0, 11, TOO_SHORT",        // ZRTP header is 12 bytes
        "16, 0, 12, ZRTP",
        "22, 254, 12, TOO_SHORT",      // DTLS record header is 13 bytes
        "22, 254, 13, DTLS",
        "47, 0, 17, TOO_SHORT",        // DTLS 1.3 unified header: 2 + 16 bytes of ciphertext
        "47, 0, 18, DTLS",
        "64, 0, 3, TOO_SHORT",         // ChannelData header is 4 bytes
        "64, 0, 4, TURN_CHANNEL",
        "80, 0, 1, QUIC",              // QUIC: first byte only
        "192, 0, 1, QUIC",
        "128, 0, 1, TOO_SHORT",        // needs the second byte to tell RTP from RTCP
        "128, 96, 11, TOO_SHORT",      // RTP fixed header is 12 bytes
        "128, 96, 12, RTP",
        "129, 201, 7, TOO_SHORT",      // RTCP header + SSRC is 8 bytes
        "129, 201, 8, RTCP",
    })
    void checksMinimumLengths(int first, int second, int length, PacketKind expected) {
        byte[] buf = datagram(first, second);
        // Exact window at a non-zero offset, at the very end of the array.
        byte[] placed = new byte[7 + length];
        System.arraycopy(buf, 0, placed, 7, length);
        assertEquals(expected, PacketClassifier.classify(placed, 7, length));
    }

    @Test
    void stunWithoutMagicCookieIsUnknown() {
        byte[] buf = datagram(0x01, 0x01);
        buf[7] = 0x43;
        assertEquals(PacketKind.UNKNOWN, PacketClassifier.classify(buf, 0, 20));
    }

    @Test
    void dtls12RecordWithWrongVersionIsUnknown() {
        byte[] buf = datagram(22, 0x03);                 // TLS (not DTLS) version 3.x
        assertEquals(PacketKind.UNKNOWN, PacketClassifier.classify(buf, 0, 13));
    }

    @Test
    void realStunBindingRequestHeader() {
        byte[] buf = {
            0x00, 0x01,                                  // Binding request
            0x00, 0x00,                                  // message length 0 (no attributes)
            0x21, 0x12, (byte) 0xA4, 0x42,               // magic cookie
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12        // transaction ID
        };
        assertEquals(PacketKind.STUN, PacketClassifier.classify(buf, 0, buf.length));
    }

    @Test
    void realDtlsClientHelloRecordHeader() {
        byte[] buf = {
            0x16,                                        // content type 22: handshake
            (byte) 0xFE, (byte) 0xFF,                    // DTLS 1.0 record version (ClientHello)
            0x00, 0x00,                                  // epoch 0
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,          // sequence number 0
            0x00, 0x01,                                  // length 1
            0x01                                         // first fragment byte: ClientHello
        };
        assertEquals(PacketKind.DTLS, PacketClassifier.classify(buf, 0, buf.length));
    }

    @Test
    void isRtpOrRtcp() {
        assertTrue(PacketClassifier.isRtpOrRtcp(datagram(0x80, 96), 0, 12));
        assertTrue(PacketClassifier.isRtpOrRtcp(datagram(0x80, 200), 0, 8));
        assertFalse(PacketClassifier.isRtpOrRtcp(datagram(0x80, 96), 0, 11));
        assertFalse(PacketClassifier.isRtpOrRtcp(datagram(0x16, 0xFE), 0, 64));
    }
}
