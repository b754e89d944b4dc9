package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * 100,000 seeded hostile inputs per depacketizer and for the jitter buffer: each returns a drop
 * reason or a result and never throws or reads outside its {@code (off, len)} window. Every
 * input is run twice, at the very end of one array (a read past the window throws) and inside
 * another with different sentinel bytes around it; the two digests must agree.
 */
class DepacketizerBadInputTest {
  private static final int INPUTS = 100_000;
  private static final int[] BOUNDARY = {0x00, 0x01, 0x1C, 0x18, 0x7F, 0x80, 0x90, 0xC0, 0xFE, 0xFF};

  /** Mutates valid payloads: truncated, extended, bit-flipped, boundary bytes, or random. */
  static byte[] mutate(SplittableRandom rnd, List<byte[]> valid) {
    byte[] base = valid.get(rnd.nextInt(valid.size()));
    switch (rnd.nextInt(5)) {
      case 0:
        return Arrays.copyOf(base, rnd.nextInt(base.length + 1));
      case 1: {
        byte[] out = Arrays.copyOf(base, base.length + 1 + rnd.nextInt(64));
        for (int i = base.length; i < out.length; i++) {
          out[i] = (byte) rnd.nextInt(256);
        }
        return out;
      }
      case 2: {
        byte[] out = base.clone();
        for (int f = 0, n = 1 + rnd.nextInt(4); f < n && out.length > 0; f++) {
          int bit = rnd.nextInt(out.length * 8);
          out[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return out;
      }
      case 3: {
        byte[] out = base.clone();
        for (int f = 0, n = 1 + rnd.nextInt(3); f < n && out.length > 0; f++) {
          out[rnd.nextInt(Math.min(out.length, 8))] = (byte) BOUNDARY[rnd.nextInt(BOUNDARY.length)];
        }
        return out;
      }
      default: {
        byte[] out = new byte[rnd.nextInt(80)];
        for (int i = 0; i < out.length; i++) {
          out[i] = (byte) rnd.nextInt(256);
        }
        return out;
      }
    }
  }

  /** Places {@code input} at the end of an array after a prefix of {@code fill}. */
  static byte[] placedAtEnd(byte[] input, int prefix, byte fill) {
    byte[] buf = new byte[prefix + input.length];
    Arrays.fill(buf, 0, prefix, fill);
    System.arraycopy(input, 0, buf, prefix, input.length);
    return buf;
  }

  /** Places {@code input} in the middle of an array with sentinels on both sides. */
  static byte[] placedInside(byte[] input, int prefix, byte fill) {
    byte[] buf = new byte[prefix + input.length + 16];
    Arrays.fill(buf, fill);
    System.arraycopy(input, 0, buf, prefix, input.length);
    return buf;
  }

  /** Assembles a frame of 1–3 mutated payloads; returns a digest of what came out. */
  private static long digestFrame(Depacketizer d, EncodedFrame out, byte[][] bufs, int[] offs, int[] lens) {
    out.clear();
    d.begin(out);
    long h = 17;
    for (int i = 0; i < bufs.length; i++) {
      h = h * 31 + (d.startsFrame(bufs[i], offs[i], lens[i]) ? 1 : 0);
      IngestDropReason r = d.append(bufs[i], offs[i], lens[i], i == 0, out);
      h = h * 31 + r.ordinal();
      if (r != IngestDropReason.OK) {
        return h;
      }
    }
    IngestDropReason r = d.end(out);
    h = h * 31 + r.ordinal();
    h = h * 31 + (out.keyframe() ? 1 : 0);
    h = h * 31 + Arrays.hashCode(Arrays.copyOf(out.data(), out.length()));
    return h;
  }

  private static void runFrames(long seed, List<byte[]> valid, Supplier<Depacketizer> factory) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Depacketizer a = factory.get();
    Depacketizer b = factory.get();
    EncodedFrame outA = new EncodedFrame();
    EncodedFrame outB = new EncodedFrame();
    for (int i = 0; i < INPUTS; i++) {
      int n = 1 + rnd.nextInt(3);
      byte[][] endBufs = new byte[n][];
      byte[][] insideBufs = new byte[n][];
      int[] endOffs = new int[n];
      int[] insideOffs = new int[n];
      int[] lens = new int[n];
      for (int k = 0; k < n; k++) {
        byte[] input = mutate(rnd, valid);
        int prefix = 1 + rnd.nextInt(16);
        endBufs[k] = placedAtEnd(input, prefix, (byte) 0x5A);
        endOffs[k] = prefix;
        insideBufs[k] = placedInside(input, prefix + 3, (byte) 0xA5);
        insideOffs[k] = prefix + 3;
        lens[k] = input.length;
      }
      long x = digestFrame(a, outA, endBufs, endOffs, lens);
      long y = digestFrame(b, outB, insideBufs, insideOffs, lens);
      assertEquals(x, y, "input " + i + " read outside its window");
    }
  }

  @Test
  void h264() {
    List<byte[]> valid = new ArrayList<>();
    byte[] idr = new byte[3000];
    idr[0] = 0x65;
    byte[] au = DepacketizerTest.concat(new byte[] {0, 0, 0, 1, 0x67, 0x42, (byte) 0xC0, 0x1E},
        new byte[] {0, 0, 0, 1, 0x68, (byte) 0xCE}, new byte[] {0, 0, 0, 1}, idr);
    valid.addAll(TestPacketizer.h264(au, 1000));
    valid.add(new byte[] {0x41, 1, 2, 3});
    runFrames(0x264L, valid, H264Depacketizer::new);
  }

  @Test
  void vp8() {
    List<byte[]> valid = new ArrayList<>(TestPacketizer.vp8(TestPacketizer.fakeVp8Frame(true, 900, 3), 300, 400));
    valid.addAll(TestPacketizer.vp8(TestPacketizer.fakeVp8Frame(false, 100, 4), 5, 400));
    runFrames(0x7741L, valid, Vp8Depacketizer::new);
  }

  @Test
  void opus() {
    List<byte[]> valid = List.of(
        new byte[] {(byte) 0xFC, 1, 2, 3},            // code 0
        new byte[] {(byte) 0xFD, 1, 2},               // code 1
        new byte[] {(byte) 0xFE, 1, 9, 2},            // code 2: first frame 1 byte, second 1 byte
        new byte[] {(byte) 0xFF, 0x03, 1, 2, 3, 4, 5, 6}); // code 3: CBR (v=0), no padding, M=3 frames of 2 bytes
    runFrames(0x7587L, valid, OpusDepacketizer::new);
  }

  /** Mutated RTP packets (headers and payloads) into a jitter buffer; it must keep its invariants. */
  @Test
  void jitterBuffer() {
    SplittableRandom rnd = new SplittableRandom(0x3550L);
    List<byte[]> valid = new ArrayList<>();
    int seq = 65500;
    for (int f = 0; f < 20; f++) {
      List<byte[]> p = TestPacketizer.vp8(TestPacketizer.fakeVp8Frame(f % 10 == 0, 1500, f), f, 700);
      for (int i = 0; i < p.size(); i++) {
        valid.add(TestPacketizer.rtp(96, seq++, 3000L * f, 7, i == p.size() - 1, p.get(i)));
      }
    }
    JitterBuffer a = new JitterBuffer(64, 1000, false, new Vp8Depacketizer(), 3);
    JitterBuffer b = new JitterBuffer(64, 1000, false, new Vp8Depacketizer(), 3);
    EncodedFrame outA = new EncodedFrame();
    EncodedFrame outB = new EncodedFrame();
    long nowUs = 0;
    for (int i = 0; i < INPUTS; i++) {
      byte[] input = rnd.nextInt(4) == 0 ? valid.get(rnd.nextInt(valid.size())) : mutate(rnd, valid);
      int prefix = 1 + rnd.nextInt(16);
      IngestDropReason x = a.insert(placedAtEnd(input, prefix, (byte) 0x5A), prefix, input.length, 7, 0, nowUs);
      IngestDropReason y = b.insert(placedInside(input, prefix + 5, (byte) 0xA5), prefix + 5, input.length, 7, 0, nowUs);
      assertEquals(x, y, "input " + i);
      nowUs += rnd.nextInt(400);
      boolean fa = a.poll(nowUs, outA);
      boolean fb = b.poll(nowUs, outB);
      assertEquals(fa, fb, "input " + i);
      if (fa) {
        assertEquals(Arrays.hashCode(Arrays.copyOf(outA.data(), outA.length())),
            Arrays.hashCode(Arrays.copyOf(outB.data(), outB.length())), "input " + i);
      }
      if (a.stored() < 0 || a.stored() > 64) {
        throw new AssertionError("stored " + a.stored());
      }
    }
  }
}
