package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.demux.PacketClassifier;
import dev.palco.rtp.demux.PacketKind;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The packet path must not allocate: classify, parse, find an extension, rewrite seq/ts/ssrc and
 * the transport-wide sequence number, unwrap, and add then remove an extension. Measured with the
 * JVM's per-thread allocation counter over many iterations, so even one small object per packet
 * would show. (JMH with {@code -prof gc} remains the benchmark; this is the regression guard.)
 */
class HotPathAllocationTest {
    private static final int ITERATIONS = 200_000;

    @Test
    void parseRewriteAndEditDoNotAllocate() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assertTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        byte[] original = RtpFixtures.chromiumOpus();
        byte[] buf = new byte[256];
        System.arraycopy(original, 0, buf, 0, original.length);
        byte[] rid = {'h', 'i'};
        RtpPacket packet = new RtpPacket();
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();

        long checksum = run(buf, original.length, rid, packet, cursor, unwrapper, ITERATIONS); // warm-up
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        checksum += run(buf, original.length, rid, packet, cursor, unwrapper, ITERATIONS);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(checksum > 0, "keeps the work observable");
        // Integer division leaves slack for the measuring calls themselves; one allocation per
        // packet would be at least 16 bytes x 200,000.
        assertEquals(0, allocated / ITERATIONS, "bytes allocated per packet (total " + allocated + ")");
    }

    private static long run(
            byte[] buf, int len, byte[] rid, RtpPacket packet, HeaderExtensionCursor cursor,
            SequenceUnwrapper unwrapper, int iterations) {
        long checksum = 0;
        for (int i = 0; i < iterations; i++) {
            if (PacketClassifier.classify(buf, 0, len) != PacketKind.RTP) {
                throw new IllegalStateException();
            }
            if (packet.parse(buf, 0, len) != RtpDropReason.OK) {
                throw new IllegalStateException();
            }
            checksum += unwrapper.unwrap(packet.sequenceNumber());
            packet.setSequenceNumber(RtpSequence.add(packet.sequenceNumber(), 1));
            packet.setTimestamp(RtpTimestamp.add(packet.timestamp(), 960));
            packet.setSsrc(0x12345678L);
            if (cursor.reset(packet) && cursor.find(RtpFixtures.TRANSPORT_CC_ID)) {
                TransportCcExtension.write(buf, cursor.dataOffset(), i);
            }
            int grown = packet.addExtension(buf.length, 10, rid, 0, rid.length);
            int shrunk = packet.removeExtension(10);
            checksum += grown + shrunk;
        }
        return checksum;
    }
}
