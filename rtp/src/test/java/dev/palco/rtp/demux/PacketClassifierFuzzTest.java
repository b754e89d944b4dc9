package dev.palco.rtp.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@link PacketClassifier}. Regression mode (plain {@code mvn test}) replays the
 * seeds in {@code PacketClassifierFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PacketClassifierFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void classify(byte[] input) {
        PacketKind kind = PacketClassifier.classify(input, 0, input.length);
        // The same bytes at an offset, between other bytes, must give the same kind.
        byte[] shifted = new byte[input.length + 10];
        java.util.Arrays.fill(shifted, (byte) 0x80);
        System.arraycopy(input, 0, shifted, 5, input.length);
        assertEquals(kind, PacketClassifier.classify(shifted, 5, input.length));
        if (input.length == 0) {
            assertEquals(PacketKind.TOO_SHORT, kind);
        }
    }
}
