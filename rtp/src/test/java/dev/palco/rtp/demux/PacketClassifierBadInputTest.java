package dev.palco.rtp.demux;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.MalformedInputGenerator;
import dev.palco.rtp.RtpFixtures;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 300,000 seeded hostile datagrams through {@link PacketClassifier}: never an exception, and the
 * same kind whether the datagram ends the array or sits between sentinels elsewhere.
 */
class PacketClassifierBadInputTest {
    private static final int INPUTS = 300_000;

    @Test
    void classifySurvivesHostileInputs() {
        byte[] stun = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        byte[] dtls = {0x16, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        byte[][] seeds = {RtpFixtures.chromiumOpus(), RtpFixtures.minimal(), stun, dtls, rtcp};
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            MalformedInputGenerator generator = new MalformedInputGenerator(0x5EED_0003L, seeds);
            Map<PacketKind, Integer> seen = new EnumMap<>(PacketKind.class);
            for (int i = 0; i < INPUTS; i++) {
                byte[] packet = generator.next();
                byte[] a = MalformedInputGenerator.place(packet, 1, 0, (byte) 0x00);
                byte[] b = MalformedInputGenerator.place(packet, 23, 9, (byte) 0x80);
                PacketKind ka = PacketClassifier.classify(a, 1, packet.length);
                assertNotNull(ka);
                if (ka != PacketClassifier.classify(b, 23, packet.length)) {
                    throw new AssertionError("placements disagree on input " + i);
                }
                seen.merge(ka, 1, Integer::sum);
            }
            for (PacketKind kind : PacketKind.values()) {
                assertTrue(seen.getOrDefault(kind, 0) > 50, kind + " seen " + seen.get(kind));
            }
        });
    }
}
