package dev.palco.sfu.transport;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.bouncycastle.tls.DatagramTransport;

import dev.palco.rtp.dtls.DtlsEndpoint;
import dev.palco.rtp.dtls.DtlsException;
import dev.palco.rtp.srtp.SrtpSession;

/**
 * The DTLS side of one ICE transport (RFC 5764 §3, with RFC 7983 demultiplexing done by the
 * caller): Bouncy Castle's blocking {@link DatagramTransport} on top of a push-driven ICE receive
 * path, and the life of the {@link DtlsEndpoint} after its handshake.
 *
 * <pre>
 *   ICE receive thread                      handshake / service thread
 *   ------------------                      --------------------------
 *   offer(buf,off,len) --copy--> [bounded queue] --poll(waitMillis)--> BC record layer
 *                                                                       |
 *   PacketTransport.send  <------------------------------------------- send
 * </pre>
 *
 * <p><b>Before and during the handshake</b> every DTLS datagram the ICE thread sees is copied
 * (its buffer goes back to a pool) into a bounded queue; {@link #handshake()} runs Bouncy Castle on
 * the calling thread, whose {@code receive} polls that queue with the timeout Bouncy Castle asks for
 * (returning -1 when it elapses, as {@link DatagramTransport#receive} requires). The handshake
 * therefore ends on success, failure, Bouncy Castle's overall handshake timeout, or {@link #close()}
 * (which wakes a blocked {@code receive} with an exception), and never leaves a thread behind.
 *
 * <p><b>After the handshake</b> DTLS records still arrive: the peer's repeated final flight when
 * our last flight was lost (RFC 6347 §4.2.4: the side that sent the last flight must answer a
 * retransmission of the peer's flight with its own, which Bouncy Castle does from inside {@code
 * DTLSTransport.receive} for four minutes after the handshake), close_notify, and alerts. Each one
 * schedules a short service task on the given executor that calls {@link
 * DtlsEndpoint#serviceIncoming} until the queue is empty; no thread waits for records that may
 * never come. A peer's close_notify (or fatal alert) is reported once through the {@code
 * onPeerClosed} callback, on the executor.
 *
 * <p><b>Threading.</b> {@link #offer} is called by the ICE receive thread and never blocks.
 * {@link #handshake()} is called once, on a thread that may block for up to the handshake timeout.
 * {@link #close()} may be called from any thread. The endpoint's handshake, service and close never
 * overlap (the endpoint requires it).
 */
public final class DtlsChannel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DtlsChannel.class.getName());

    /** Datagrams waiting for the DTLS thread; a browser's largest flight is about 6. */
    public static final int QUEUE_CAPACITY_DATAGRAMS = 64;
    /**
     * The largest datagram we send: Bouncy Castle fragments handshake messages to fit. 1200 bytes
     * stays under the path MTU of practically every network, tunnels included, as browsers assume.
     */
    public static final int SEND_LIMIT_BYTES = 1200;
    /** The largest datagram we accept from the peer (an Ethernet MTU). */
    public static final int RECEIVE_LIMIT_BYTES = 1500;
    /**
     * How long one post-handshake service call waits for a further record. Short, because it only
     * runs when a record is already queued; Bouncy Castle keeps reading until this much time has
     * passed after the last record, so it is also the cost of one service call.
     */
    static final int SERVICE_WAIT_MS = 1;

    /** Put in the queue on close to wake a blocked receive; never handed to Bouncy Castle. */
    private static final byte[] CLOSED_MARKER = new byte[0];

    /** What became of a datagram given to {@link #offer}. */
    public enum OfferResult {
        /** Copied into the queue for the DTLS thread. */
        QUEUED,
        /** The queue was full (a flood, or a stalled handshake): dropped. */
        QUEUE_FULL,
        /** The channel is closed: dropped. */
        CLOSED
    }

    private final PacketTransport ice;
    private final DtlsEndpoint endpoint;
    private final Executor serviceExecutor;
    private final Runnable onPeerClosed;
    // One slot more than we fill, so that close() always finds room for the marker.
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY_DATAGRAMS + 1);
    private final Object endpointLock = new Object();
    private final AtomicBoolean serviceScheduled = new AtomicBoolean();
    private final AtomicBoolean handshakeCalled = new AtomicBoolean();
    private final Runnable serviceTask = this::service;
    private final Adapter adapter = new Adapter();
    private volatile boolean closed;
    /** Set under {@link #endpointLock} once the endpoint holds a completed association. */
    private volatile boolean established;
    private volatile boolean closedByPeer;

    /**
     * @param ice the selected ICE pair's datagram path
     * @param endpoint the DTLS endpoint, not yet handshaken
     * @param serviceExecutor runs the short post-handshake service tasks
     * @param onPeerClosed called once, on {@code serviceExecutor}, when the peer sends close_notify
     *     or a fatal alert after the handshake
     */
    public DtlsChannel(PacketTransport ice, DtlsEndpoint endpoint, Executor serviceExecutor,
            Runnable onPeerClosed) {
        this.ice = ice;
        this.endpoint = endpoint;
        this.serviceExecutor = serviceExecutor;
        this.onPeerClosed = onPeerClosed;
    }

    /**
     * Hands a DTLS datagram that the RFC 7983 demux found to {@code channel} and counts what became
     * of it: {@link DemuxCounters#dtls()} when queued, otherwise the drop reason. Every endpoint
     * that demuxes (the SFU's transports and the client stacks) delivers through here.
     *
     * @param channel the channel, or null while no DTLS is expected (counted as such)
     */
    public static void deliver(DtlsChannel channel, byte[] buf, int off, int len, DemuxCounters counters) {
        if (channel == null) {
            counters.drop(DemuxDropReason.DTLS_NOT_EXPECTED);
            return;
        }
        switch (channel.offer(buf, off, len)) {
            case QUEUED:
                counters.dtls();
                break;
            case QUEUE_FULL:
                counters.drop(DemuxDropReason.DTLS_QUEUE_FULL);
                break;
            default:
                counters.drop(DemuxDropReason.CLOSED);
                break;
        }
    }

    /**
     * Hands one received DTLS datagram to the channel: copies it (the caller's buffer is recycled)
     * and, once the handshake is done, schedules a service task. Never blocks, never throws.
     */
    public OfferResult offer(byte[] buf, int off, int len) {
        if (closed) {
            return OfferResult.CLOSED;
        }
        if (queue.size() >= QUEUE_CAPACITY_DATAGRAMS) {
            return OfferResult.QUEUE_FULL;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        if (!queue.offer(copy)) {
            return OfferResult.QUEUE_FULL;
        }
        // Read after the enqueue: handshake() sets the flag before it looks at the queue, so one
        // of the two always sees the other and no record is left waiting.
        if (established) {
            scheduleService();
        }
        return OfferResult.QUEUED;
    }

    /**
     * Runs the handshake on the calling thread (blocking) and returns the keyed SRTP session.
     * Call once.
     *
     * @throws DtlsException as {@link DtlsEndpoint#handshake}; also if the channel was closed
     *     while the handshake ran
     */
    public SrtpSession handshake() throws DtlsException {
        if (!handshakeCalled.compareAndSet(false, true)) {
            throw new IllegalStateException("handshake already run");
        }
        SrtpSession session = endpoint.handshake(adapter);
        synchronized (endpointLock) {
            if (closed) {
                session.close();
                endpoint.close();
                throw new DtlsException("the transport was closed as the DTLS handshake completed");
            }
            established = true;
        }
        // Records that arrived between Bouncy Castle's last read and now (e.g. the peer repeating
        // its final flight) would otherwise wait for the next one.
        if (!queue.isEmpty()) {
            scheduleService();
        }
        return session;
    }

    /** True once the handshake has completed (and until close). */
    public boolean isEstablished() {
        return established && !closed;
    }

    /** True once the peer has closed the association after the handshake. */
    public boolean isClosedByPeer() {
        return closedByPeer;
    }

    /**
     * Sends close_notify if the handshake completed (RFC 5246 §7.2.1), wakes a handshake blocked
     * in receive, and drops queued records. Idempotent; never blocks for long (it may wait for a
     * service call in progress, about {@link #SERVICE_WAIT_MS}).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(CLOSED_MARKER);
        synchronized (endpointLock) {
            if (established) {
                endpoint.close();
            }
        }
    }

    private void scheduleService() {
        if (serviceScheduled.compareAndSet(false, true)) {
            try {
                serviceExecutor.execute(serviceTask);
            } catch (RejectedExecutionException e) {
                // The owner is shutting down: nobody will read these records.
                serviceScheduled.set(false);
                queue.clear();
            }
        }
    }

    private void service() {
        boolean peerClosedNow = false;
        try {
            synchronized (endpointLock) {
                while (!closed && !queue.isEmpty()) {
                    if (!endpoint.serviceIncoming(SERVICE_WAIT_MS)) {
                        peerClosedNow = true;
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "DTLS service failed", e);
        } finally {
            serviceScheduled.set(false);
        }
        if (peerClosedNow) {
            if (!closed) {
                closedByPeer = true;
                onPeerClosed.run();
            }
            return;
        }
        // A record that arrived after our last look but before the flag was cleared.
        if (!closed && !queue.isEmpty()) {
            scheduleService();
        }
    }

    /** Bouncy Castle's view of the ICE path. */
    private final class Adapter implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return RECEIVE_LIMIT_BYTES;
        }

        @Override
        public int getSendLimit() {
            return SEND_LIMIT_BYTES;
        }

        /**
         * Waits up to {@code waitMillis} (0: until something arrives, as for a socket timeout of 0)
         * and returns -1 when nothing came; throws once the channel is closed so that a handshake
         * in progress ends at once.
         */
        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            byte[] datagram;
            try {
                datagram = waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for DTLS records", e);
            }
            if (datagram == null) {
                return -1;
            }
            if (datagram == CLOSED_MARKER) {
                queue.offer(CLOSED_MARKER); // for any later receive
                throw new IOException("DTLS channel closed");
            }
            int n = Math.min(len, datagram.length);
            System.arraycopy(datagram, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            SendResult result = ice.send(buf, off, len);
            if (result == SendResult.CLOSED) {
                throw new IOException("ICE transport closed");
            }
            // NOT_CONNECTED and IO_ERROR lose the datagram like the network would; DTLS
            // retransmits its flights (RFC 6347 §4.2.4).
        }

        @Override
        public void close() {
            // Bouncy Castle calls this after close_notify; the channel's close() owns the state.
        }
    }
}
