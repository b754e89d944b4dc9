package dev.palco.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.feedback.DuplicateFilter;
import dev.palco.sfu.feedback.KeyframeRequester;
import dev.palco.sfu.feedback.NackGenerator;
import dev.palco.sfu.feedback.PacketCache;
import dev.palco.sfu.stats.ReceiveStatistics;
import dev.palco.sfu.stats.ReportBlockFields;
import dev.palco.sfu.util.BufferPool;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/**
 * Drives every per-packet operation of the forwarding and repair logic in a loop and checks, with
 * the JVM's per-thread allocation counter, that steady state allocates nothing per packet.
 */
class PacketPathAllocationTest {

    private static final int PACKETS = 200_000;

    private final BufferPool pool = BufferPool.ofDefaultSize(1100);
    private final PacketCache cache = new PacketCache(pool, 1024, 1000);
    private final NackGenerator nacks = NackGenerator.withDefaults();
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private final ReceiveStatistics stats = new ReceiveStatistics(0xAAAAL, 90_000);
    private final ReportBlockFields block = new ReportBlockFields();
    private final KeyframeRequester keyframes = KeyframeRequester.withDefaults();
    private final RtpRewriter rewriter = new RtpRewriter(0xBBBBL, 90_000, 1, 1);
    private final RewriteOutput out = new RewriteOutput();
    private final byte[] packet = new byte[1200];
    private final byte[] retransmission = new byte[BufferPool.DEFAULT_BUFFER_SIZE_BYTES];
    private final int[] due = new int[64];
    private long sink;

    private void run(int first, int count) {
        for (int i = first; i < first + count; i++) {
            long nowMs = i;
            int seq = i & 0xFFFF;
            long ssrc = (i / 50_000) % 2 == 0 ? 0xAAAAL : 0xCCCCL; // a source switch now and then
            if (i % 97 == 0) {
                continue; // lost
            }
            if (duplicates.accept(seq)) {
                nacks.onPacket(seq, nowMs);
                stats.onPacket(seq, i * 3000L, packet.length, nowMs * 1000, false);
                cache.put(seq, packet, 0, packet.length, nowMs);
                if (i % 13 == 0) {
                    rewriter.drop(ssrc, seq, i / 3, nowMs * 1000);
                } else {
                    rewriter.rewrite(ssrc, seq, i * 3000L, i / 3, i / 9, nowMs * 1000, out);
                    sink += out.sequenceNumber();
                }
            }
            if (i % 10 == 0) {
                int n = nacks.collectDue(nowMs, due);
                for (int k = 0; k < n; k++) {
                    sink += cache.copyOut(due[k], nowMs, retransmission, 0);
                }
                long original = rewriter.originalOf((out.sequenceNumber() - 5) & 0xFFFF);
                sink += original;
                if (rewriter.rewriteRetransmission((out.sequenceNumber() - 5) & 0xFFFF, 0, 1, 1, out)) {
                    sink++;
                }
            }
            if (i % 100 == 0) {
                keyframes.request(nowMs);
                sink += keyframes.pollDue(nowMs).ordinal();
                stats.fillReportBlock(block);
                sink += block.fractionLost();
            }
            if (i % 1000 == 0) {
                keyframes.onKeyframe(nowMs);
            }
        }
    }

    @Test
    void steadyStateAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Warm up: fills the pool, the cache and the JIT.
        run(0, PACKETS);
        run(PACKETS, PACKETS);
        long before = threads.getCurrentThreadAllocatedBytes();
        run(2 * PACKETS, PACKETS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, allocated + " bytes allocated for " + PACKETS + " packets");
        assertEquals(0, pool.misses());
        assertTrue(nacks.recovered() + nacks.givenUp() > 0);
        assertTrue(sink != 0);
    }
}
