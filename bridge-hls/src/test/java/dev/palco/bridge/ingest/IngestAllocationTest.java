package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The ingest's packet path allocates nothing per packet in steady state: jitter buffer insert and
 * poll, and H.264 / VP8 / Opus frame assembly, over reordered packets with wrap-around.
 */
class IngestAllocationTest {
  private static final int ROUNDS = 2_000;

  @Test
  void jitterBufferAndDepacketizersAllocateNothingPerPacket() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported());
    long tid = Thread.currentThread().getId();

    byte[] idr = new byte[6000];
    idr[0] = 0x65;
    byte[] au = DepacketizerTest.concat(new byte[] {0, 0, 0, 1, 0x67, 0x42, (byte) 0xC0, 0x1E},
        new byte[] {0, 0, 0, 1, 0x68, (byte) 0xCE}, new byte[] {0, 0, 0, 1}, idr);
    List<byte[]> h264 = TestPacketizer.h264(au, 1100);
    List<byte[]> vp8 = TestPacketizer.vp8(TestPacketizer.fakeVp8Frame(true, 5000, 1), 1, 1100);
    List<byte[]> opus = List.of(new byte[] {(byte) 0xFC, 1, 2, 3, 4, 5});

    Stream[] streams = {
        new Stream(new JitterBuffer(256, 100_000, false, new H264Depacketizer(), 0), h264, 102),
        new Stream(new JitterBuffer(256, 100_000, false, new Vp8Depacketizer(), 0), vp8, 96),
        new Stream(new JitterBuffer(256, 40_000, true, new OpusDepacketizer(), 0), opus, 111)};
    EncodedFrame out = new EncodedFrame();
    long checksum = 0;
    for (Stream s : streams) {
      checksum += s.run(out, ROUNDS); // warm-up: the frame buffer grows to its size here
    }
    long packets = 0;
    long before = threads.getThreadAllocatedBytes(tid);
    for (Stream s : streams) {
      checksum += s.run(out, ROUNDS);
      packets += (long) ROUNDS * s.packets.size();
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertTrue(checksum > 0);
    double perPacket = (double) allocated / packets;
    System.out.printf("ingest jitter buffer + depacketizers: %.3f B/packet over %d packets%n", perPacket, packets);
    assertTrue(perPacket < 1.0, perPacket + " B/packet");
  }

  /** One track's packets, as RTP, replayed frame after frame with the middle two swapped. */
  private static final class Stream {
    final JitterBuffer jitter;
    final List<byte[]> packets = new ArrayList<>();
    private int seq = 65_000;
    private long ts = 0xFFFF_0000L;
    private long nowUs;

    Stream(JitterBuffer jitter, List<byte[]> payloads, int pt) {
      this.jitter = jitter;
      for (int i = 0; i < payloads.size(); i++) {
        packets.add(TestPacketizer.rtp(pt, 0, 0, 1, i == payloads.size() - 1, payloads.get(i)));
      }
    }

    long run(EncodedFrame out, int rounds) {
      long sum = 0;
      int n = packets.size();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
          int k = n >= 3 && i == 1 ? 2 : n >= 3 && i == 2 ? 1 : i;
          byte[] p = packets.get(k);
          dev.palco.rtp.RtpPacket.setSequenceNumber(p, 0, (seq + k) & 0xFFFF);
          dev.palco.rtp.RtpPacket.setTimestamp(p, 0, ts & 0xFFFF_FFFFL);
          jitter.insert(p, 0, p.length, 1, ts, nowUs);
          while (jitter.poll(nowUs, out)) {
            sum += out.length();
          }
        }
        seq += n;
        ts += 3000;
        nowUs += 33_333;
      }
      return sum;
    }
  }
}
