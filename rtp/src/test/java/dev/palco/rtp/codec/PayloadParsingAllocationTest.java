package dev.palco.rtp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The packet-path helpers must not allocate per packet. Measured with the JVM's per-thread
 * allocation counter over many parses: anything per packet would show up as megabytes, so the
 * small tolerance only absorbs the counter's own bookkeeping.
 */
class PayloadParsingAllocationTest {

    private static final int ITERATIONS = 100_000;
    private static final long TOLERANCE_BYTES = 1024;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static final class CountingConsumer implements H264Payload.NalUnitConsumer {
        int units;

        @Override
        public void accept(int nalType, byte[] buf, int nalOff, int nalLen) {
            units++;
        }
    }

    @Test
    void parsingAndRewritingDoNotAllocate() {
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        H264Payload h264 = new H264Payload();
        OpusPayload opus = new OpusPayload();
        RedPayload red = new RedPayload();
        CountingConsumer consumer = new CountingConsumer();
        byte[] vp8Packet = Vp8PayloadDescriptorTest.KEYFRAME_ALL_FIELDS.clone();
        byte[] stapA = H264PayloadTest.STAP_A_SPS_PPS_IDR;
        byte[] fuA = H264PayloadTest.FU_A_IDR_START;
        byte[] opusPacket = OpusPayloadTest.CODE3_VBR_PADDED;
        byte[] redPacket = RedPayloadTest.WEBRTC_OPUS_TWO;
        byte[] redCopy = new byte[redPacket.length];
        byte[] spsCopy = new byte[64];

        long checksum = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up, round 1 is measured
            long before = allocatedBytes();
            for (int i = 0; i < ITERATIONS; i++) {
                checksum += vp8.parse(vp8Packet, 0, vp8Packet.length).ordinal();
                vp8.rewritePictureId(vp8.pictureId() + 1);
                vp8.rewriteTl0PicIdx(vp8.tl0PicIdx() + 1);
                checksum += h264.parse(stapA, 0, stapA.length).ordinal();
                checksum += h264.forEachNalUnit(consumer);
                checksum += h264.copySps(spsCopy, 0);
                checksum += h264.parse(fuA, 0, fuA.length).ordinal();
                checksum += opus.parse(opusPacket, 0, opusPacket.length).ordinal();
                checksum += opus.hasInbandFec() ? 1 : 0;
                checksum += opus.mode().ordinal() + opus.bandwidth().ordinal();
                System.arraycopy(redPacket, 0, redCopy, 0, redPacket.length);
                checksum += red.parse(redCopy, 0, redCopy.length).ordinal();
                red.rewritePayloadTypes(redCopy, 111, 109);
                checksum += red.redundantBlocks();
                checksum += red.stripToPrimary(redCopy);
            }
            long allocated = allocatedBytes() - before;
            if (round == 1) {
                assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes in "
                        + ITERATIONS + " iterations");
            }
        }
        // Per iteration: 3 STAP-A units, a 25-byte SPS, SILK (0) + WIDEBAND (2), 2 RED redundant blocks
        // and a 16-byte RED primary; every parse returned OK (0).
        assertEquals(2L * ITERATIONS * (3 + 25 + 2 + 2 + 16), checksum);
    }
}
