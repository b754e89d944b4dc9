package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 200,000 seeded hostile inputs through {@link RtpPacket#parse}: each must yield a drop reason or
 * a consistent view, never an exception, and the same answer whether the packet sits at the very
 * end of one array or in the middle of another with different sentinels around it.
 */
class RtpPacketBadInputTest {
    private static final int INPUTS = 200_000;

    @Test
    void parseSurvivesHostileInputs() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            MalformedInputGenerator generator = new MalformedInputGenerator(0x5EED_0001L, RtpFixtures.all());
            RtpPacket atEnd = new RtpPacket();
            RtpPacket inMiddle = new RtpPacket();
            Map<RtpDropReason, Integer> seen = new EnumMap<>(RtpDropReason.class);
            for (int i = 0; i < INPUTS; i++) {
                byte[] packet = generator.next();
                int len = packet.length;
                // Exact window ending at the array's end: any over-read throws.
                byte[] a = MalformedInputGenerator.place(packet, 5, 0, (byte) 0x00);
                // Same bytes elsewhere with other sentinels: any under-read changes the answer.
                byte[] b = MalformedInputGenerator.place(packet, 37, 41, (byte) 0xFF);
                try {
                    RtpDropReason ra = atEnd.parse(a, 5, len);
                    RtpDropReason rb = inMiddle.parse(b, 37, len);
                    assertEquals(ra, rb);
                    seen.merge(ra, 1, Integer::sum);
                    int header = RtpPacket.headerLength(a, 5, len);
                    assertEquals(header, RtpPacket.headerLength(b, 37, len));
                    if (ra == RtpDropReason.OK) {
                        assertConsistent(atEnd, inMiddle, len, header);
                    } else if (ra != RtpDropReason.BAD_PADDING) {
                        assertEquals(-1, header);
                    }
                } catch (AssertionError e) {
                    throw new AssertionError("input " + i, e);
                }
            }
            // The generator must actually reach every verdict, or the test proves little.
            for (RtpDropReason reason : RtpDropReason.values()) {
                assertTrue(seen.getOrDefault(reason, 0) > 100, reason + " seen " + seen.get(reason));
            }
        });
    }

    private static void assertConsistent(RtpPacket a, RtpPacket b, int len, int header) {
        assertEquals(header, a.headerLength());
        assertEquals(a.headerLength(), b.headerLength());
        assertEquals(a.payloadOffset() - a.offset(), b.payloadOffset() - b.offset());
        assertEquals(a.payloadLength(), b.payloadLength());
        assertEquals(a.paddingLength(), b.paddingLength());
        assertEquals(a.extensionProfile(), b.extensionProfile());
        assertEquals(a.extensionDataLength(), b.extensionDataLength());
        assertEquals(len, a.headerLength() + a.payloadLength() + a.paddingLength());
        assertTrue(a.payloadLength() >= 0 && a.headerLength() >= RtpPacket.HEADER_SIZE_BYTES);
        assertEquals(a.sequenceNumber(), b.sequenceNumber());
        assertEquals(a.timestamp(), b.timestamp());
        assertEquals(a.ssrc(), b.ssrc());
        assertEquals(a.payloadType(), b.payloadType());
        for (int c = 0; c < a.csrcCount(); c++) {
            assertEquals(a.csrc(c), b.csrc(c));
        }
    }
}
