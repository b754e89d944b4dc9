package dev.palco.loadtest.bench;

import java.util.SplittableRandom;

/**
 * A VP8 RTP packet shaped like the ones Chromium sends on a BUNDLE transport: one-byte header
 * extensions abs-send-time, transport-cc and MID (the IDs of Chromium's default offer), a VP8
 * payload descriptor with a 15-bit picture ID, and a full-size payload. Chromium caps RTP packets
 * at 1200 bytes before SRTP, so that is the length used here.
 */
final class ChromiumVp8Packet {
    /** Length of the whole packet, header to last payload byte: Chromium's maximum before SRTP. */
    static final int LENGTH_BYTES = 1200;
    /** abs-send-time extension ID in Chromium's default offer. */
    static final int ABS_SEND_TIME_ID = 2;
    /** transport-cc (transport-wide sequence number) extension ID in Chromium's default offer. */
    static final int TRANSPORT_CC_ID = 3;
    /** sdes:mid extension ID in Chromium's default offer. */
    static final int MID_ID = 4;

    /** Seed for the payload bytes, so that every run encrypts the same data. */
    private static final long PAYLOAD_SEED = 0x5EED_0001L;

    /** Fixed header, extension block and VP8 payload descriptor (RFC 3550, RFC 8285, RFC 7741). */
    private static final byte[] HEADER = {
        (byte) 0x90,                               // V=2, P=0, X=1, CC=0
        0x60,                                      // M=0 (not the last packet of the frame), PT=96 (VP8)
        0x1F, 0x40,                                // sequence number 8000
        0x12, 0x34, 0x56, 0x78,                    // timestamp 305419896 (90 kHz clock)
        (byte) 0xA1, (byte) 0xB2, (byte) 0xC3, (byte) 0xD4, // SSRC 2712847316
        (byte) 0xBE, (byte) 0xDE,                  // extension profile: RFC 8285 one-byte form
        0x00, 0x03,                                // extension length: 3 words = 12 bytes
        0x22,                                      // ID=2 (abs-send-time), L=2 -> 3 bytes
        0x3F, 0x1A, 0x7C,                          //   0x3F1A7C: 6.18 fixed-point seconds
        0x31,                                      // ID=3 (transport-cc), L=1 -> 2 bytes
        0x02, (byte) 0x9C,                         //   transport-wide sequence number 668
        0x40,                                      // ID=4 (mid), L=0 -> 1 byte
        0x31,                                      //   "1" (the video m-line)
        0x00, 0x00, 0x00,                          // padding to the 32-bit boundary
        (byte) 0x90,                               // VP8 descriptor: X=1, N=0, S=1, PID=0 (RFC 7741 §4.2)
        (byte) 0x80,                               //   I=1: picture ID present
        (byte) 0x89, 0x2A,                         //   M=1, 15-bit picture ID 0x092A = 2346
        0x51, 0x1D, 0x00,                          // VP8 payload header (RFC 7741 §4.3): Size0=2, H=1 (shown),
                                                   //   VER=0, P=1 (interframe); Size1, Size2
    };

    private ChromiumVp8Packet() {
    }

    /**
     * Writes the packet at {@code buf[off]}; the rest of the payload is seeded pseudo-random bytes,
     * which is what compressed video looks like to a cipher.
     *
     * @return {@link #LENGTH_BYTES}, the number of bytes written
     */
    static int write(byte[] buf, int off) {
        System.arraycopy(HEADER, 0, buf, off, HEADER.length);
        SplittableRandom random = new SplittableRandom(PAYLOAD_SEED);
        for (int i = HEADER.length; i < LENGTH_BYTES; i++) {
            buf[off + i] = (byte) random.nextInt(256);
        }
        return LENGTH_BYTES;
    }
}
