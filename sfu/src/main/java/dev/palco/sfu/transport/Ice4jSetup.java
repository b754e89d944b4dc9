package dev.palco.sfu.transport;

import java.util.concurrent.ArrayBlockingQueue;
import kotlin.Unit;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * Process-wide ice4j settings that must be in place before the first ice4j {@code Agent} or harvester
 * is created. ice4j keeps them in static fields, so they are set once per JVM.
 *
 * <ul>
 *   <li>{@code ice4j.harvest.mapping.aws.enabled=false} unless already set: otherwise the first Agent
 *       probes the EC2 metadata address 169.254.169.254 and waits for it to time out.</li>
 *   <li>{@link AbstractUdpListener#USE_PUSH_API}: the single-port harvester then hands non-STUN
 *       datagrams straight to {@code Component.handleBuffer} on its own thread, instead of queueing
 *       them for a reader thread per participant (the mode Jitsi Videobridge runs in).</li>
 *   <li>ice4j's {@link BufferPool} hooks: by default the push path allocates a new array for every
 *       datagram; this pool recycles them.</li>
 * </ul>
 */
public final class Ice4jSetup {
    /** Array size of pooled buffers: an Ethernet MTU datagram plus room to spare. */
    static final int POOLED_ARRAY_SIZE_BYTES = 1500 + 64;
    /** Upper bound on idle buffers kept (about 6.4 MB). */
    private static final int POOL_CAPACITY = 4096;

    private static final ArrayBlockingQueue<Buffer> FREE = new ArrayBlockingQueue<>(POOL_CAPACITY);
    private static boolean applied;

    private Ice4jSetup() {
    }

    /** Applies the settings once. Call before creating any ice4j object. */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        applied = true;
        if (System.getProperty("ice4j.harvest.mapping.aws.enabled") == null) {
            System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        }
        AbstractUdpListener.USE_PUSH_API = true;
        BufferPool.getBuffer = size -> take(size);
        BufferPool.returnBuffer = buffer -> {
            give(buffer);
            return Unit.INSTANCE;
        };
    }

    private static Buffer take(int sizeBytes) {
        if (sizeBytes > POOLED_ARRAY_SIZE_BYTES) {
            // Larger than any datagram ice4j reads on the single port; not worth pooling.
            return new Buffer(new byte[sizeBytes], 0, sizeBytes);
        }
        Buffer b = FREE.poll();
        if (b == null) {
            return new Buffer(new byte[POOLED_ARRAY_SIZE_BYTES], 0, sizeBytes);
        }
        b.setOffset(0);
        b.setLength(sizeBytes);
        return b;
    }

    private static void give(Buffer buffer) {
        if (buffer != null && buffer.getBuffer().length == POOLED_ARRAY_SIZE_BYTES) {
            buffer.setRemoteAddress(null);
            buffer.setLocalAddress(null);
            buffer.setReceivedTime(null);
            FREE.offer(buffer);
        }
    }

    /** @return idle buffers in the pool (for tests and metrics) */
    static int idleBuffers() {
        return FREE.size();
    }
}
