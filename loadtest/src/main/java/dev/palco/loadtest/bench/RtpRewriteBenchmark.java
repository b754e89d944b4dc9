package dev.palco.loadtest.bench;

import dev.palco.rtp.RtpDropReason;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.RtpSequence;
import dev.palco.rtp.RtpTimestamp;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SFU's per-subscriber header work on one forwarded packet: parse a 1200-byte Chromium VP8
 * packet once with the reusable {@link RtpPacket#parse(byte[], int, int)}, then rewrite its
 * sequence number, timestamp and SSRC in place (RFC 3550 §5.1 fields at bytes 2-11).
 *
 * <p>The packet is rewritten in the same buffer on every operation, so each parse reads the
 * previous operation's output: the sequence number advances by one and the timestamp by one 30 fps
 * frame at 90 kHz per operation, both wrapping, and the SSRC cycles through four subscribers'
 * values. That keeps every write a new value, as in a real stream, so the JIT cannot fold the
 * stores away. Run with {@code -prof gc}: the expected allocation is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class RtpRewriteBenchmark {
    /** One 30 fps frame on the 90 kHz video clock (RFC 7741 §4.1 uses 90 kHz for VP8). */
    private static final long FRAME_TICKS_90KHZ = 90_000 / 30;
    /** The SSRCs four subscribers' outgoing streams would carry; a power of two for the mask. */
    private static final long[] SUBSCRIBER_SSRCS = {0x0000_0001L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
    /**
     * The packet does not start at index 0, as in a pooled buffer with headroom, so the view's
     * offset arithmetic is part of what is measured.
     */
    private static final int OFFSET_BYTES = 16;
    /** Tailroom for the SRTP tag, as the SFU's pooled buffers leave it. */
    private static final int TAILROOM_BYTES = 16;

    private final RtpPacket packet = new RtpPacket();
    private byte[] buf;
    private int len;
    private int subscriber;

    /** Writes the fixture packet into a pooled-style buffer. */
    @Setup
    public void setUp() {
        buf = new byte[OFFSET_BYTES + ChromiumVp8Packet.LENGTH_BYTES + TAILROOM_BYTES];
        len = ChromiumVp8Packet.write(buf, OFFSET_BYTES);
        if (packet.parse(buf, OFFSET_BYTES, len) != RtpDropReason.OK) {
            throw new IllegalStateException("fixture packet does not parse");
        }
    }

    /** Parse, then rewrite sequence number, timestamp and SSRC in place. */
    @Benchmark
    public void parseAndRewrite(Blackhole blackhole) {
        if (packet.parse(buf, OFFSET_BYTES, len) != RtpDropReason.OK) {
            throw new IllegalStateException("parse failed");
        }
        int sequenceNumber = RtpSequence.add(packet.sequenceNumber(), 1);
        long timestamp = RtpTimestamp.add(packet.timestamp(), FRAME_TICKS_90KHZ);
        subscriber = (subscriber + 1) & (SUBSCRIBER_SSRCS.length - 1);
        packet.setSequenceNumber(sequenceNumber);
        packet.setTimestamp(timestamp);
        packet.setSsrc(SUBSCRIBER_SSRCS[subscriber]);
        // What the next stage (SRTP protect) needs from the parse.
        blackhole.consume(packet.payloadOffset());
        blackhole.consume(packet.length());
    }

    /** Parse alone, the baseline the rewrite adds to. */
    @Benchmark
    public void parseOnly(Blackhole blackhole) {
        blackhole.consume(packet.parse(buf, OFFSET_BYTES, len));
        blackhole.consume(packet.payloadOffset());
        blackhole.consume(packet.length());
    }
}
