package dev.palco.sfu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drives pipelines with no sockets: routing, counting, drops and packet ownership. */
class PacketPipelineTest {

  private final PacketInfoPool pool = new PacketInfoPool(64, 16);

  /** Keeps the sequence numbers it sees, then releases the packet as a terminal node must. */
  private static final class Sink extends ConsumerNode {
    final List<Integer> seen = new ArrayList<>();

    Sink(String name) {
      super(name);
    }

    @Override
    protected void consume(PacketInfo packet) {
      seen.add(packet.sequenceNumber);
      release(packet);
    }
  }

  private PacketInfo packet(int seq, boolean rtcp, int length) {
    PacketInfo p = pool.acquire();
    p.sequenceNumber = seq;
    p.rtcp = rtcp;
    p.setLength(length);
    return p;
  }

  @Test
  void routesCountsAndReleasesEveryPacket() {
    Sink rtpSink = new Sink("rtp-sink");
    Sink rtcpSink = new Sink("rtcp-sink");
    TransformerNode evenOnly = new TransformerNode("even-only") {
      @Override
      protected DropReason transform(PacketInfo p) {
        return (p.sequenceNumber & 1) == 0 ? null : DropReason.NOT_SELECTED;
      }
    };
    int[] observed = {0};
    ObserverNode counter = new ObserverNode("counter") {
      @Override
      protected void observe(PacketInfo p) {
        observed[0]++;
      }
    };
    FilterNode small = new FilterNode("small", DropReason.MALFORMED_RTP) {
      @Override
      protected boolean accept(PacketInfo p) {
        return p.length() <= 100;
      }
    };
    DemuxerNode byKind = new DemuxerNode("by-kind")
        .addPath("rtp", p -> !p.rtcp,
            PacketPipeline.builder("rtp", pool).then(evenOnly).end(rtpSink))
        .addPath("rtcp", p -> p.rtcp, PacketPipeline.builder("rtcp", pool).end(rtcpSink));
    PacketPipeline receive = PacketPipeline.builder("receive", pool)
        .then(counter).then(small).end(byKind);

    long outstandingBefore = pool.outstanding();
    for (int seq = 0; seq < 10; seq++) {
      receive.process(packet(seq, false, 50));
    }
    receive.process(packet(100, true, 40));
    receive.process(packet(200, false, 500));

    assertEquals(List.of(0, 2, 4, 6, 8), rtpSink.seen);
    assertEquals(List.of(100), rtcpSink.seen);
    assertEquals(12, observed[0]);
    assertEquals(outstandingBefore, pool.outstanding(), "every packet went back to the pool");

    Map<String, Node.NodeStats> stats = new java.util.HashMap<>();
    for (Node.NodeStats s : receive.stats()) {
      stats.put(s.name(), s);
    }
    assertEquals(12, stats.get("counter").packetsIn());
    assertEquals(10 * 50 + 40 + 500, stats.get("counter").bytesIn());
    assertEquals(Map.of(DropReason.MALFORMED_RTP, 1L), stats.get("small").drops());
    assertEquals(Map.of(DropReason.NOT_SELECTED, 5L), stats.get("even-only").drops());
    assertEquals(5, stats.get("even-only").packetsOut());
    assertEquals(11, stats.get("by-kind").packetsOut());
    assertEquals(
        "receive: counter → small → by-kind { rtp: even-only → rtp-sink; rtcp: rtcp-sink }",
        receive.describe());
  }

  @Test
  void demuxerDropsWhatNoPathWants() {
    Sink sink = new Sink("sink");
    DemuxerNode onlyRtcp = new DemuxerNode("only-rtcp")
        .addPath("rtcp", p -> p.rtcp, PacketPipeline.builder("rtcp", pool).end(sink));
    PacketPipeline pipeline = PacketPipeline.builder("p", pool).end(onlyRtcp);
    pipeline.process(packet(1, false, 20));
    assertEquals(Map.of(DropReason.NO_ROUTE, 1L), onlyRtcp.stats().drops());
    assertTrue(sink.seen.isEmpty());
  }

  @Test
  void builderRefusesMiswiring() {
    Sink sink = new Sink("sink");
    assertThrows(IllegalArgumentException.class, () -> PacketPipeline.builder("p", pool).then(sink));
    ObserverNode observer = new ObserverNode("o") {
      @Override
      protected void observe(PacketInfo p) {}
    };
    assertThrows(IllegalArgumentException.class, () -> PacketPipeline.builder("p", pool).end(observer));
    PacketPipeline.builder("first", pool).end(sink);
    assertThrows(IllegalStateException.class, () -> PacketPipeline.builder("second", pool).end(sink));
  }

  @Test
  void poolCatchesDoubleReleaseAndCountsMisses() {
    PacketInfoPool tiny = new PacketInfoPool(2, 1);
    PacketInfo a = tiny.acquire();
    PacketInfo b = tiny.acquire();
    assertEquals(1, tiny.misses());
    tiny.release(a);
    assertThrows(IllegalStateException.class, () -> tiny.release(a));
    tiny.release(b);
    assertEquals(0, tiny.outstanding());
    assertEquals(2, tiny.idle());
  }

  @Test
  void loadRefusesOversizeAndCopyToCarriesTheParse() {
    PacketInfo p = pool.acquire();
    byte[] big = new byte[PacketInfo.MAX_PACKET_BYTES + 1];
    assertFalse(p.load(big, 0, big.length));
    byte[] small = {1, 2, 3, 4};
    assertTrue(p.load(small, 0, 4));
    p.ssrc = 0xFFFFFFFFL;
    p.keyframe = true;
    PacketInfo copy = pool.acquire();
    p.copyTo(copy);
    assertEquals(4, copy.length());
    assertEquals(3, copy.buffer()[copy.offset() + 2]);
    assertEquals(0xFFFFFFFFL, copy.ssrc);
    assertTrue(copy.keyframe);
    assertTrue(copy.tailroom() >= PacketInfo.TAILROOM_BYTES);
    pool.release(p);
    pool.release(copy);
  }
}
