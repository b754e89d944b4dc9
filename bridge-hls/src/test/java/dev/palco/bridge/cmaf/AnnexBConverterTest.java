package dev.palco.bridge.cmaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnnexBConverterTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    @Test
    void convertsStartCodesToLengthsAndKeepsParameterSetsOut() {
        byte[] au = hex(""
                + "00000001 09f0"            // AUD (type 9): dropped
                + "00000001 6742c00d ab"     // SPS (type 7): kept aside, not in the sample
                + "000001   68ce3c80"        // PPS (type 8), 3-byte start code
                + "00000001 6588 8480 00"    // IDR slice (type 5), then a trailing_zero_8bits byte
                + "000001   0610 ff");       // SEI (type 6)
        AnnexBConverter c = new AnnexBConverter();
        BoxWriter out = new BoxWriter(16);
        int n = c.convert(au, 0, au.length, out);
        byte[] expected = hex(""
                + "00000004 65888480"        // length 4, the IDR slice (trailing zero byte removed)
                + "00000003 0610ff");        // length 3, the SEI
        assertArrayEquals(expected, Arrays.copyOf(out.array(), n));
        assertTrue(c.lastWasIdr());
        assertEquals(2, c.lastNalCount());
        assertArrayEquals(hex("6742c00dab"), c.sps());
        assertArrayEquals(hex("68ce3c80"), c.pps());
    }

    @Test
    void noStartCodeMeansNoSample() {
        AnnexBConverter c = new AnnexBConverter();
        assertEquals(0, c.convert(hex("6588aabb"), 0, 4, new BoxWriter(16)));
    }

    @Test
    void neverThrowsOrReadsOutsideItsWindow() {
        SplittableRandom rnd = new SplittableRandom(0xA11E_B000L);
        byte[] valid = MediaFixtures.videoAccessUnits().get(1);
        AnnexBConverter c = new AnnexBConverter();
        BoxWriter a = new BoxWriter(4096);
        BoxWriter b = new BoxWriter(4096);
        for (int i = 0; i < 100_000; i++) {
            byte[] input;
            switch (rnd.nextInt(4)) {
                case 0 -> input = Arrays.copyOf(valid, rnd.nextInt(Math.min(valid.length, 64) + 1)); // truncated
                case 1 -> { // bit flips
                    input = Arrays.copyOf(valid, Math.min(valid.length, 64));
                    for (int f = 0; f < 4; f++) {
                        int p = rnd.nextInt(input.length);
                        input[p] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 2 -> { // start-code-heavy noise
                    input = new byte[rnd.nextInt(40)];
                    for (int k = 0; k < input.length; k++) {
                        input[k] = (byte) (rnd.nextInt(4) == 0 ? 1 : rnd.nextInt(3) == 0 ? rnd.nextInt(256) : 0);
                    }
                }
                default -> { // random
                    input = new byte[rnd.nextInt(40)];
                    for (int k = 0; k < input.length; k++) {
                        input[k] = (byte) rnd.nextInt(256);
                    }
                }
            }
            // The same bytes at two offsets, surrounded by different sentinels: a read outside the
            // window would either throw or make the two outputs differ.
            byte[] big1 = new byte[input.length + 6];
            byte[] big2 = new byte[input.length + 11];
            Arrays.fill(big1, (byte) 0x00);
            Arrays.fill(big2, (byte) 0x01);
            System.arraycopy(input, 0, big1, 3, input.length);
            System.arraycopy(input, 0, big2, 7, input.length);
            a.reset();
            b.reset();
            int n1 = c.convert(big1, 3, input.length, a);
            int n2 = c.convert(big2, 7, input.length, b);
            assertEquals(n1, n2);
            assertTrue(Arrays.equals(a.array(), 0, n1, b.array(), 0, n2), "input " + HexFormat.of().formatHex(input));
        }
    }
}
