package dev.palco.rtp.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every RTCP parser against 100,000 seeded bad inputs: truncated, oversized, random and
 * bit-flipped variants of valid packets. A parser must return a drop reason or a valid result,
 * never throw or loop, and never read outside its {@code (off, len)} window: each input is parsed
 * once flush against the end of its array (a read past the end throws) and once in the middle of
 * other sentinel bytes (a read outside changes the digest).
 */
class RtcpBadInputTest {
  private static final int INPUTS_PER_PARSER = 100_000;
  private static final int TAIL_SENTINEL_BYTES = 29;
  private static final int HEAD_SENTINEL_BYTES = 11;

  /** One parser under test, its valid corpus, its packet type and FMT for random headers. */
  enum Target {
    COMPOUND(RtcpCorpus::compounds, -1, -1),
    SENDER_REPORT(RtcpCorpus::senderReports, RtcpHeader.PT_SR, -1),
    RECEIVER_REPORT(RtcpCorpus::receiverReports, RtcpHeader.PT_RR, -1),
    SDES(RtcpCorpus::sdes, RtcpHeader.PT_SDES, -1),
    BYE(RtcpCorpus::byes, RtcpHeader.PT_BYE, -1),
    NACK(RtcpCorpus::nacks, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_NACK),
    TWCC(RtcpCorpus::twcc, RtcpHeader.PT_RTPFB, RtcpFeedback.FMT_TWCC),
    PLI(RtcpCorpus::plis, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_PLI),
    FIR(RtcpCorpus::firs, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_FIR),
    REMB(RtcpCorpus::rembs, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_AFB);

    final Supplier<List<byte[]>> corpus;
    final int packetType;
    final int fmt;

    Target(Supplier<List<byte[]>> corpus, int packetType, int fmt) {
      this.corpus = corpus;
      this.packetType = packetType;
      this.fmt = fmt;
    }
  }

  private static long digest(RtcpDigest d, Target target, byte[] buf, int off, int len) {
    return switch (target) {
      case COMPOUND -> d.compound(buf, off, len);
      case SENDER_REPORT -> d.sr(buf, off, len);
      case RECEIVER_REPORT -> d.rr(buf, off, len);
      case SDES -> d.sdes(buf, off, len);
      case BYE -> d.bye(buf, off, len);
      case NACK -> d.nack(buf, off, len);
      case TWCC -> d.twcc(buf, off, len);
      case PLI -> d.pli(buf, off, len);
      case FIR -> d.fir(buf, off, len);
      case REMB -> d.remb(buf, off, len);
    };
  }

  private static RtcpDropReason validate(Target target, byte[] buf, int off, int len) {
    return switch (target) {
      case COMPOUND -> RtcpCompoundIterator.validate(buf, off, len);
      case SENDER_REPORT -> SenderReportParser.validate(buf, off, len);
      case RECEIVER_REPORT -> ReceiverReportParser.validate(buf, off, len);
      case SDES -> SdesParser.validate(buf, off, len);
      case BYE -> ByeParser.validate(buf, off, len);
      case NACK -> NackParser.validate(buf, off, len);
      case TWCC -> TransportCcParser.validate(buf, off, len);
      case PLI -> PliParser.validate(buf, off, len);
      case FIR -> FirParser.validate(buf, off, len);
      case REMB -> RembParser.validate(buf, off, len);
    };
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Target.class)
  void parserSurvivesSeededBadInput(Target target) {
    List<byte[]> corpus = target.corpus.get();
    for (byte[] valid : corpus) {
      assertEquals(RtcpDropReason.OK, validate(target, valid, 0, valid.length), "corpus entry must be valid");
    }
    int[] accepted = {0};
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      SplittableRandom random = new SplittableRandom(0xBAD_0000L + target.ordinal());
      RtcpDigest digests = new RtcpDigest();
      for (int i = 0; i < INPUTS_PER_PARSER; i++) {
        byte[] input = mutate(random, corpus.get(random.nextInt(corpus.size())), target, i % 5);
        int n = input.length;
        // Placement A: flush with the end of the array, sentinel bytes before it.
        byte[] a = new byte[HEAD_SENTINEL_BYTES + n];
        Arrays.fill(a, 0, HEAD_SENTINEL_BYTES, (byte) 0xA5);
        System.arraycopy(input, 0, a, HEAD_SENTINEL_BYTES, n);
        // Placement B: other sentinels on both sides.
        byte[] b = new byte[3 + n + TAIL_SENTINEL_BYTES];
        Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(input, 0, b, 3, n);
        long da;
        long db;
        try {
          da = digest(digests, target, a, HEAD_SENTINEL_BYTES, n);
          db = digest(digests, target, b, 3, n);
        } catch (RuntimeException | AssertionError e) {
          throw new AssertionError(target + " failed on input #" + i + ": " + HexFormat.of().formatHex(input), e);
        }
        if (da != db) {
          fail(target + " read outside its window on input #" + i + ": " + HexFormat.of().formatHex(input));
        }
        if (validate(target, a, HEAD_SENTINEL_BYTES, n) == RtcpDropReason.OK) {
          accepted[0]++;
        }
      }
    });
    // The mutations must reach past the header checks often enough to exercise the body parsers.
    assertTrue(accepted[0] > INPUTS_PER_PARSER / 100, target + " accepted only " + accepted[0]);
  }

  /** One bad input derived from a valid packet. */
  static byte[] mutate(SplittableRandom random, byte[] valid, Target target, int kind) {
    switch (kind) {
      case 0: { // truncated, sometimes with the length field made consistent again
        byte[] out = Arrays.copyOf(valid, random.nextInt(valid.length));
        if (random.nextBoolean()) {
          fixLength(out);
        }
        return out;
      }
      case 1: { // oversized: extra bytes after the packet
        byte[] out = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(64));
        for (int i = valid.length; i < out.length; i++) {
          out[i] = (byte) (random.nextBoolean() ? 0 : random.nextInt(256));
        }
        if (random.nextBoolean()) {
          fixLength(out);
        }
        return out;
      }
      case 2: { // random body, often behind a plausible header of the target type
        byte[] out = new byte[random.nextInt(target == Target.TWCC ? 160 : 100)];
        for (int i = 0; i < out.length; i++) {
          out[i] = (byte) random.nextInt(256);
        }
        if (out.length >= 4 && random.nextInt(4) != 0) {
          int pt = target.packetType >= 0 ? target.packetType : 200 + random.nextInt(7);
          int count = target.fmt >= 0 ? target.fmt : random.nextInt(4);
          out[0] = (byte) (0x80 | (random.nextInt(8) == 0 ? 0x20 : 0) | count);
          out[1] = (byte) pt;
          if (target == Target.REMB && out.length >= 16) {
            out[12] = 'R';
            out[13] = 'E';
            out[14] = 'M';
            out[15] = 'B';
            out[16 % out.length] = (byte) random.nextInt(4);
          }
          if (target == Target.TWCC && out.length >= 16) {
            // Keep the status count small most of the time so chunks can cover it.
            out[14] = 0;
            out[15] = (byte) random.nextInt(random.nextBoolean() ? 16 : 256);
          }
          fixLength(out);
        }
        return out;
      }
      case 3: { // one to four flipped bits
        byte[] out = valid.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
          int bit = random.nextInt(out.length * 8);
          out[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return out;
      }
      default: { // random bytes overwritten past the header, length kept consistent
        byte[] out = valid.clone();
        int writes = 1 + random.nextInt(3);
        for (int w = 0; w < writes && out.length > 4; w++) {
          int pos = 4 + random.nextInt(out.length - 4);
          int pick = random.nextInt(3);
          out[pos] = (byte) (pick == 0 ? 0 : pick == 1 ? 0xFF : random.nextInt(256));
        }
        return out;
      }
    }
  }

  /** Rewrites the first header's length field to cover the whole input when that is possible. */
  private static void fixLength(byte[] out) {
    if (out.length >= 4 && out.length % 4 == 0) {
      RtcpBytes.put16(out, 2, out.length / 4 - 1);
    }
  }
}
