package dev.palco.sfu.transport;

import java.lang.reflect.Field;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import kotlin.Unit;
import org.ice4j.ice.Agent;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.stack.RequestListener;
import org.ice4j.stack.StunStack;
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
 *
 * <p>It also puts a listener for Binding requests ahead of an agent's own connectivity-check server
 * ({@link #addRequestListenerAheadOfChecks}), which ice4j has no public way to do.
 */
public final class Ice4jSetup {
    /** Array size of pooled buffers: an Ethernet MTU datagram plus room to spare. */
    static final int POOLED_ARRAY_SIZE_BYTES = 1500 + 64;
    /** Upper bound on idle buffers kept (about 6.4 MB). */
    private static final int POOL_CAPACITY = 4096;

    private static final ArrayBlockingQueue<Buffer> FREE = new ArrayBlockingQueue<>(POOL_CAPACITY);
    private static final Logger LOG = Logger.getLogger(Ice4jSetup.class.getName());
    /** {@code Agent}'s private field holding its connectivity-check server, or null if not found. */
    private static final Field CHECK_SERVER_FIELD = findCheckServerField();
    private static final AtomicBoolean WARNED_CHECK_SERVER = new AtomicBoolean();
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

    /**
     * Registers {@code listener} for Binding requests on {@code agent}'s STUN stack so that it runs
     * before ice4j's {@code ConnectivityCheckServer}, which processes each check and sends its
     * response. ice4j calls request listeners one after the other in registration order, on the
     * thread that handles the request, and the agent registers its check server in its constructor;
     * so the check server is taken off and put back after {@code listener}. Its instance is read
     * from the agent's private field (ice4j 3.2 offers no accessor). Call it on a new agent, before
     * any candidate or socket exists, so that no request can arrive in between.
     *
     * <p>If the field cannot be found or read (another ice4j version), {@code listener} is added
     * after the check server, which still works, only later, and a warning is logged once.
     *
     * @param agent a new agent
     * @param listener the listener; it must never throw, or ice4j skips the check server
     * @return whether {@code listener} runs ahead of the check server
     */
    static boolean addRequestListenerAheadOfChecks(Agent agent, RequestListener listener) {
        StunStack stack = agent.getStunStack();
        RequestListener checkServer = null;
        if (CHECK_SERVER_FIELD != null) {
            try {
                checkServer = (RequestListener) CHECK_SERVER_FIELD.get(agent);
            } catch (IllegalAccessException | RuntimeException e) {
                checkServer = null;
            }
        }
        if (checkServer == null) {
            stack.addRequestListener(listener);
            if (!WARNED_CHECK_SERVER.getAndSet(true) && LOG.isLoggable(Level.WARNING)) {
                LOG.warning("cannot reach ice4j's connectivity-check server: a peer's first DTLS flight "
                        + "may race the authorization of its address");
            }
            return false;
        }
        stack.removeRequestListener(checkServer);
        stack.addRequestListener(listener);
        stack.addRequestListener(checkServer);
        return true;
    }

    private static Field findCheckServerField() {
        for (Field f : Agent.class.getDeclaredFields()) {
            if (RequestListener.class.isAssignableFrom(f.getType())) {
                try {
                    f.setAccessible(true);
                    return f;
                } catch (RuntimeException e) {
                    return null; // a module or security manager refuses; the caller falls back
                }
            }
        }
        return null;
    }

    /** @return idle buffers in the pool (for tests and metrics) */
    static int idleBuffers() {
        return FREE.size();
    }
}
