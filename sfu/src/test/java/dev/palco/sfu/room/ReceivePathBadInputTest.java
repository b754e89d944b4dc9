package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static dev.palco.sfu.room.MediaFixtures.VP8_RTX_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.NackEncoder;
import dev.palco.rtp.rtcp.PliEncoder;
import dev.palco.rtp.rtcp.ReceiverReportEncoder;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.SenderReportEncoder;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * 100,000 seeded inputs — valid RTP, RTX and RTCP, truncated, extended, bit-flipped or random —
 * into the receive paths of a publisher and a subscriber on plaintext transports, so that
 * malformed input reaches every node behind SRTP: routing by SSRC and mid/rid, RTX unwrapping,
 * VP8 parsing, extension rewriting on the send path, RTCP termination and NACK answering. Nothing
 * may throw (the queues count failures), and every pooled packet must come back.
 */
class ReceivePathBadInputTest {
  private static final int INPUTS = 100_000;

  @Test
  void mutatedPacketsAreDroppedOrForwardedNeverThrown() {
    try (SfuHarness h = new SfuHarness()) {
      InMemoryPlaintextTransport in = new InMemoryPlaintextTransport("alice");
      InMemoryPlaintextTransport out = new InMemoryPlaintextTransport("bob");
      Participant alice = h.room.join("alice", in);
      Participant bob = h.room.join("bob", out);
      TrackPublication cam = alice.publish(MediaFixtures.video("0", 0x10L, 0x11L));
      TrackPublication sim = alice.publish(MediaFixtures.simulcastVideo("1", "q", "f"));
      TrackSubscription sub = bob.subscribe(cam);
      bob.subscribe(sim);
      out.countOnly();

      byte[][] rtpSeeds = new byte[8][];
      for (int i = 0; i < rtpSeeds.length; i++) {
        byte[] payload = MediaFixtures.vp8Payload(i % 3 == 0, 100 + i, i, 30, i);
        rtpSeeds[i] = i < 4
            ? MediaFixtures.rtp(VP8_PT, 1000 + i, 3000L * i, 0x10L, true, "0", null, false, i, payload)
            : MediaFixtures.rtp(VP8_PT, 1000 + i, 3000L * i, 0x20L + i, true, "1", i % 2 == 0 ? "q" : "f", false,
                i, payload);
      }
      byte[][] rtxSeeds = {MediaFixtures.rtx(rtpSeeds[1], VP8_RTX_PT, 5, 0x11L),
          MediaFixtures.rtx(MediaFixtures.rtp(VP8_PT, 7, 0, 0x99L, true, "1", "f", true, -1, new byte[] {1, 2}),
              VP8_RTX_PT, 6, 0x98L)};
      byte[][] rtcpSeeds = rtcpSeeds(sub);

      SplittableRandom random = new SplittableRandom(20_240_601L);
      for (int i = 0; i < INPUTS; i++) {
        int kind = random.nextInt(10);
        boolean rtcp = kind >= 7;
        byte[] seed = rtcp ? rtcpSeeds[random.nextInt(rtcpSeeds.length)]
            : kind == 6 ? rtxSeeds[random.nextInt(rtxSeeds.length)] : rtpSeeds[random.nextInt(rtpSeeds.length)];
        byte[] input = mutate(seed, random);
        // Place the datagram inside a larger array with sentinels, and pass the exact window.
        int off = 1 + random.nextInt(16);
        byte[] framed = new byte[off + input.length + 16];
        Arrays.fill(framed, (byte) 0xA5);
        System.arraycopy(input, 0, framed, off, input.length);
        (rtcp ? out : in).deliver(framed, off, input.length, rtcp);
        if (i % 5000 == 0) {
          h.advance(7);
        }
      }
      assertEquals(0, alice.stats().internalFailures(), "a node threw on the publisher's path");
      assertEquals(0, bob.stats().internalFailures(), "a node threw on the subscriber's path");
      assertEquals(0, h.sfu.packetPool().outstanding());
      assertTrue(alice.stats().drops().size() >= 3, "drops by several reasons: " + alice.stats().drops());

      // Still working: flipped sequence numbers left the stream state anywhere, but a run of
      // consecutive packets resynchronises duplicate filter and rewriter (a sequence reset).
      long sent = out.sentCount();
      for (int i = 0; i < 40; i++) {
        byte[] next = MediaFixtures.rtp(VP8_PT, 40_000 + i, 999_000 + i * 3000L, 0x10L, true,
            MediaFixtures.vp8Payload(true, i, i, 30, i));
        in.deliver(next, 0, next.length, false);
      }
      assertTrue(out.sentCount() - sent >= 20, "forwarding resumed: " + (out.sentCount() - sent));
    }
  }

  private static byte[][] rtcpSeeds(TrackSubscription sub) {
    byte[] buf = new byte[256];
    int subSsrc = (int) sub.ssrc();
    int n = NackEncoder.write(buf, 0, 7, subSsrc, new int[] {1, 2, 3, 40, 1000}, 0, 5);
    byte[] nack = Arrays.copyOf(buf, n);
    n = PliEncoder.write(buf, 0, 7, subSsrc);
    byte[] pli = Arrays.copyOf(buf, n);
    ReportBlock block = new ReportBlock().set(subSsrc, 1, 2, 3, 4, 5, 6);
    n = ReceiverReportEncoder.write(buf, 0, 7, new ReportBlock[] {block}, 1);
    n += PliEncoder.write(buf, n, 7, subSsrc);
    byte[] compound = Arrays.copyOf(buf, n);
    n = SenderReportEncoder.write(buf, 0, 0x10, 1L << 40, 5, 6, 7, new ReportBlock[] {block}, 1);
    byte[] sr = Arrays.copyOf(buf, n);
    return new byte[][] {nack, pli, compound, sr};
  }

  /** One of: unchanged, truncated, extended with junk, a few bit flips, random bytes. */
  static byte[] mutate(byte[] seed, SplittableRandom random) {
    switch (random.nextInt(5)) {
      case 0:
        return seed.clone();
      case 1:
        return Arrays.copyOf(seed, random.nextInt(seed.length + 1));
      case 2: {
        byte[] longer = Arrays.copyOf(seed, seed.length + 1 + random.nextInt(40));
        for (int i = seed.length; i < longer.length; i++) {
          longer[i] = (byte) random.nextInt(256);
        }
        return longer;
      }
      case 3: {
        byte[] flipped = seed.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips && flipped.length > 0; f++) {
          int bit = random.nextInt(flipped.length * 8);
          flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return flipped;
      }
      default: {
        byte[] junk = new byte[random.nextInt(120)];
        random.nextBytes(junk);
        return junk;
      }
    }
  }
}
