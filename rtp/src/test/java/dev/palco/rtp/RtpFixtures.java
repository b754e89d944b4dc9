package dev.palco.rtp;

/** Byte fixtures shared by the RTP tests; every field is commented. */
public final class RtpFixtures {
    private RtpFixtures() {
    }

    /** Extension IDs as Chromium negotiates them for audio in its default offer. */
    public static final int AUDIO_LEVEL_ID = 1;
    /** abs-send-time ID in {@link #chromiumOpus()}. */
    public static final int ABS_SEND_TIME_ID = 2;
    /** transport-cc ID in {@link #chromiumOpus()}. */
    public static final int TRANSPORT_CC_ID = 3;
    /** sdes:mid ID in {@link #chromiumOpus()}. */
    public static final int MID_ID = 4;

    /**
     * An Opus packet as Chromium sends it over a BUNDLE transport: one-byte extensions for audio
     * level, abs-send-time, transport-cc and MID, then an Opus payload.
     */
    public static byte[] chromiumOpus() {
        return new byte[] {
            (byte) 0x90,                               // V=2, P=0, X=1, CC=0
            (byte) 0xEF,                               // M=1 (talkspurt start), PT=111 (Opus)
            (byte) 0x5E, (byte) 0x2A,                  // sequence number 24106
            (byte) 0x9B, (byte) 0x3C, 0x11, 0x40,      // timestamp 2604405056
            0x2C, (byte) 0x8F, 0x17, (byte) 0xD1,      // SSRC 747575249
            (byte) 0xBE, (byte) 0xDE,                  // extension profile: RFC 8285 one-byte form
            0x00, 0x03,                                // extension length: 3 words = 12 bytes
            0x10,                                      // ID=1 (audio level), L=0 -> 1 byte
            (byte) 0xA8,                               //   V=1 (voice), level 40 (-40 dBov)
            0x22,                                      // ID=2 (abs-send-time), L=2 -> 3 bytes
            0x3F, 0x1A, 0x7C,                          //   0x3F1A7C = 15.775864 s (6.18 fixed point)
            0x31,                                      // ID=3 (transport-cc), L=1 -> 2 bytes
            0x02, (byte) 0x9C,                         //   transport-wide seq 668
            0x40,                                      // ID=4 (mid), L=0 -> 1 byte
            0x30,                                      //   "0"
            0x00,                                      // padding to the 32-bit boundary
            0x78,                                      // Opus TOC: config 15 (SILK WB 20 ms), mono, 1 frame
            0x0B, (byte) 0xE4, (byte) 0xC1, 0x36,      // Opus frame data
            (byte) 0xEC, (byte) 0xC5, (byte) 0x80      // Opus frame data
        };
    }

    /** Offset of the payload in {@link #chromiumOpus()}: 12 fixed + 4 extension header + 12. */
    public static final int CHROMIUM_OPUS_PAYLOAD_OFFSET = 28;
    /** Payload length of {@link #chromiumOpus()}. */
    public static final int CHROMIUM_OPUS_PAYLOAD_LENGTH = 8;

    /**
     * A VP8 packet with two CSRCs, a two-byte-form extension block (one ID above 14, one empty
     * element, padding between elements) and 4 bytes of RTP padding.
     */
    public static byte[] twoByteWithCsrcsAndPadding() {
        return new byte[] {
            (byte) 0xB2,                               // V=2, P=1, X=1, CC=2
            0x60,                                      // M=0, PT=96 (VP8)
            (byte) 0xFF, (byte) 0xFF,                  // sequence number 65535
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, // timestamp 4294967280
            0x00, 0x00, 0x00, 0x01,                    // SSRC 1
            0x11, 0x22, 0x33, 0x44,                    // CSRC[0] 0x11223344
            (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, // CSRC[1] 0xAABBCCDD
            0x10, 0x03,                                // profile 0x100 + appbits 3: two-byte form
            0x00, 0x03,                                // extension length: 3 words = 12 bytes
            0x16,                                      // ID=22
            0x03,                                      //   length 3
            0x61, 0x62, 0x63,                          //   "abc"
            0x00,                                      // padding byte between elements
            0x05,                                      // ID=5
            0x00,                                      //   length 0 (allowed in the two-byte form)
            0x07,                                      // ID=7
            0x02,                                      //   length 2
            0x12, 0x34,                                //   data
            (byte) 0x90, 0x01, 0x02, 0x03, 0x04,       // VP8 payload descriptor and data
            0x00, 0x00, 0x00, 0x04                     // RTP padding: 3 zero bytes + count 4
        };
    }

    /** A bare 12-byte header with no payload: the smallest valid RTP packet. */
    public static byte[] minimal() {
        return new byte[] {
            (byte) 0x80,                               // V=2, P=0, X=0, CC=0
            0x00,                                      // M=0, PT=0 (PCMU)
            0x00, 0x00,                                // sequence number 0
            0x00, 0x00, 0x00, 0x00,                    // timestamp 0
            0x00, 0x00, 0x00, 0x00                     // SSRC 0
        };
    }

    /** Every fixture above, for seeding generators and fuzzers. */
    public static byte[][] all() {
        return new byte[][] {chromiumOpus(), twoByteWithCsrcsAndPadding(), minimal()};
    }
}
