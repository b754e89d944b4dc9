package dev.palco.rtp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Feeds a payload parser a reproducible stream of hostile inputs and checks that it stays inside
 * its {@code (off, len)} window.
 *
 * <p>Each input is derived from a valid seed packet (truncated, extended with junk, bit-flipped,
 * bytes set to boundary values) or is plain random bytes. It is parsed twice: once placed at the
 * very end of an array after a random prefix, so any read past {@code off+len} throws
 * {@link ArrayIndexOutOfBoundsException}; once inside a different array with different sentinel
 * bytes on both sides. The two digests of the parse result must match, so a read before
 * {@code off} (or past the end) that influenced the result is caught too. Any exception fails.
 */
final class BadInputHarness {

    /** Parses {@code buf[off..off+len)} and folds everything the parser reported into one value. */
    @FunctionalInterface
    interface Digester {
        long digest(byte[] buf, int off, int len);
    }

    private static final int[] BOUNDARY_BYTES = {0x00, 0x01, 0x03, 0x7F, 0x80, 0xFB, 0xFC, 0xFE, 0xFF};

    private BadInputHarness() {
    }

    /**
     * Runs {@code count} inputs through {@code digester}.
     *
     * @param seed fixed seed so failures reproduce
     * @param validPackets well-formed packets to mutate
     * @param maxLen the longest input generated
     * @return how many inputs were run
     */
    static int run(long seed, List<byte[]> validPackets, int count, int maxLen, Digester digester) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            byte[] input = nextInput(rnd, validPackets, maxLen);
            check(rnd, input, digester, i);
        }
        return count;
    }

    private static byte[] nextInput(SplittableRandom rnd, List<byte[]> valid, int maxLen) {
        byte[] base = valid.get(rnd.nextInt(valid.size()));
        switch (rnd.nextInt(6)) {
            case 0: { // truncated valid packet
                return Arrays.copyOf(base, rnd.nextInt(base.length + 1));
            }
            case 1: { // oversized: valid packet followed by junk
                int extra = 1 + rnd.nextInt(Math.max(1, maxLen - base.length + 1));
                byte[] out = Arrays.copyOf(base, base.length + extra);
                for (int j = base.length; j < out.length; j++) {
                    out[j] = (byte) rnd.nextInt(256);
                }
                return out;
            }
            case 2: { // a few bit flips
                byte[] out = base.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips && out.length > 0; f++) {
                    int bit = rnd.nextInt(out.length * 8);
                    out[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                return out;
            }
            case 3: { // bytes set to boundary values, then maybe truncated
                byte[] out = base.clone();
                int n = 1 + rnd.nextInt(3);
                for (int f = 0; f < n && out.length > 0; f++) {
                    out[rnd.nextInt(out.length)] = (byte) BOUNDARY_BYTES[rnd.nextInt(BOUNDARY_BYTES.length)];
                }
                return rnd.nextBoolean() ? out : Arrays.copyOf(out, rnd.nextInt(out.length + 1));
            }
            case 4: { // valid prefix, random tail
                byte[] out = base.clone();
                int from = rnd.nextInt(out.length + 1);
                for (int j = from; j < out.length; j++) {
                    out[j] = (byte) rnd.nextInt(256);
                }
                return out;
            }
            default: { // random bytes, biased towards short inputs
                int len = rnd.nextBoolean() ? rnd.nextInt(9) : rnd.nextInt(maxLen + 1);
                byte[] out = new byte[len];
                for (int j = 0; j < len; j++) {
                    out[j] = (byte) rnd.nextInt(256);
                }
                return out;
            }
        }
    }

    private static void check(SplittableRandom rnd, byte[] input, Digester digester, int index) {
        int len = input.length;

        // Placement A: random prefix, packet flush with the end of the array.
        int offA = 1 + rnd.nextInt(16);
        byte[] a = new byte[offA + len];
        fill(a, 0, offA, rnd);
        System.arraycopy(input, 0, a, offA, len);
        byte[] aCopy = a.clone();

        // Placement B: other sentinels on both sides.
        int offB = 1 + rnd.nextInt(16);
        int tailB = 1 + rnd.nextInt(16);
        byte[] b = new byte[offB + len + tailB];
        fill(b, 0, b.length, rnd);
        System.arraycopy(input, 0, b, offB, len);
        byte[] bCopy = b.clone();

        long digestA;
        long digestB;
        try {
            digestA = digester.digest(a, offA, len);
            digestB = digester.digest(b, offB, len);
        } catch (RuntimeException e) {
            throw new AssertionError("input #" + index + " threw on " + hex(input), e);
        }
        assertEquals(digestA, digestB, () -> "input #" + index + " depends on bytes outside its window: "
                + hex(input));
        assertArrayEquals(aCopy, a, () -> "input #" + index + " was modified by parsing");
        assertArrayEquals(bCopy, b, () -> "input #" + index + " was modified by parsing");
    }

    private static void fill(byte[] dst, int from, int to, SplittableRandom rnd) {
        for (int i = from; i < to; i++) {
            dst[i] = (byte) rnd.nextInt(256);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] fromHex(String hex) {
        String h = hex.replace(" ", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int p = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, p, part.length);
            p += part.length;
        }
        return out;
    }
}
