package dev.palco.rtp;

import java.util.SplittableRandom;

/**
 * Reproducible hostile inputs for "bad input" tests: random bytes, truncations, bit flips and
 * byte stomps of valid packets, oversized packets, and random bytes behind a plausible first byte.
 * One instance yields a deterministic sequence for a given seed.
 */
public final class MalformedInputGenerator {
    /** Bytes that tend to reach interesting branches of RTP, RFC 8285 and demux parsers. */
    private static final byte[] INTERESTING = {
        0x00, 0x01, 0x03, 0x0F, 0x10, 0x13, 0x14, 0x1F, 0x20, 0x3F, 0x40, 0x4F, 0x50, 0x7F,
        (byte) 0x80, (byte) 0x90, (byte) 0xA0, (byte) 0xB0, (byte) 0xBE, (byte) 0xBF,
        (byte) 0xC0, (byte) 0xC8, (byte) 0xDE, (byte) 0xDF, (byte) 0xE0, (byte) 0xF0,
        (byte) 0xFE, (byte) 0xFF, 0x21, 0x12, (byte) 0xA4, 0x42
    };

    private final SplittableRandom random;
    private final byte[][] seeds;

    /** A generator over the given valid packets, driven by a fixed {@code seed}. */
    public MalformedInputGenerator(long seed, byte[]... seeds) {
        this.random = new SplittableRandom(seed);
        this.seeds = seeds;
    }

    /** The next input; a fresh array the caller may keep. */
    public byte[] next() {
        int mode = random.nextInt(8);
        switch (mode) {
            case 0:
                return randomBytes(random.nextInt(random.nextBoolean() ? 40 : 1600));
            case 1: {
                byte[] seed = pickSeed();
                return copy(seed, random.nextInt(seed.length + 1));
            }
            case 2: {
                byte[] out = pickSeed().clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips && out.length > 0; i++) {
                    int bit = random.nextInt(out.length * 8);
                    out[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                return out;
            }
            case 3: {
                byte[] out = pickSeed().clone();
                int stomps = 1 + random.nextInt(4);
                for (int i = 0; i < stomps && out.length > 0; i++) {
                    // Prefer the header and extension block, where the lengths live.
                    int limit = Math.min(out.length, random.nextBoolean() ? 48 : out.length);
                    out[random.nextInt(limit)] = INTERESTING[random.nextInt(INTERESTING.length)];
                }
                return out;
            }
            case 4: {
                byte[] seed = pickSeed();
                byte[] out = copy(seed, seed.length + 1 + random.nextInt(1500));
                for (int i = seed.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 5: {
                // Version 2 with random flags and CC: gets past the first checks of RTP parsers.
                byte[] out = randomBytes(random.nextInt(96));
                if (out.length > 0) {
                    out[0] = (byte) (0x80 | (out[0] & 0x3F));
                }
                return out;
            }
            case 6: {
                // Valid RTP header, random extension block of the two RFC 8285 forms.
                byte[] out = randomBytes(16 + random.nextInt(80));
                out[0] = (byte) (0x90 | (random.nextInt(4) == 0 ? 0x20 : 0));
                boolean twoByte = random.nextBoolean();
                out[12] = (byte) (twoByte ? 0x10 : 0xBE);
                out[13] = (byte) (twoByte ? random.nextInt(16) : 0xDE);
                out[14] = 0;
                out[15] = (byte) random.nextInt(random.nextInt(8) == 0 ? 256 : 24);
                return out;
            }
            default: {
                byte[] out = randomBytes(random.nextInt(64));
                for (int i = 0; i < out.length; i++) {
                    if (random.nextInt(3) == 0) {
                        out[i] = INTERESTING[random.nextInt(INTERESTING.length)];
                    }
                }
                return out;
            }
        }
    }

    /** A random int in {@code [0, bound)} from the same stream, for callers' own choices. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private byte[] pickSeed() {
        return seeds[random.nextInt(seeds.length)];
    }

    private byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] copy(byte[] src, int length) {
        byte[] out = new byte[length];
        System.arraycopy(src, 0, out, 0, Math.min(src.length, length));
        return out;
    }

    /**
     * Places {@code packet} at {@code offset} in a new array of {@code offset + packet.length +
     * trailing} bytes, every other byte set to {@code sentinel}. With {@code trailing == 0} any read
     * past the window throws; comparing results across two placements with different sentinels
     * catches reads before it.
     */
    public static byte[] place(byte[] packet, int offset, int trailing, byte sentinel) {
        byte[] out = new byte[offset + packet.length + trailing];
        java.util.Arrays.fill(out, sentinel);
        System.arraycopy(packet, 0, out, offset, packet.length);
        return out;
    }
}
