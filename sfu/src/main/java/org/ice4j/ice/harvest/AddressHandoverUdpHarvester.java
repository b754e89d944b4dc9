package org.ice4j.ice.harvest;

import dev.palco.rtp.stun.StunMessage;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.TransportAddress;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferHandler;
import org.ice4j.util.BufferPool;

/**
 * ice4j's single-port UDP harvester with one change: a remote address stops belonging to the ICE
 * session that first used it when another session proves it now owns it.
 *
 * <p>ice4j routes every datagram from a remote address to the session that received the first
 * Binding request from that address, for as long as that session lives. When a client goes away
 * without a word, its session lives on until consent expires (RFC 7675 §5.1: 30 s by default), and
 * a new client that happens to get the same address (a port the OS hands out again, a NAT mapping
 * that is reused) has its connectivity checks delivered to the dead session, which answers them
 * with 401 Unauthorized: the new client's ICE fails. Here a Binding request whose USERNAME names a
 * different session than the address's owner is not given to the owner. The {@link Policy} decides:
 * hand the address over to the named session, or drop the request (the client retransmits it,
 * RFC 8445 §14.3, and so tries again).
 *
 * <p>It lives in ice4j's package because the socket type ice4j routes to has a package-private
 * constructor, and it reads the private address map to register its own sockets in it, as
 * {@code addSocket} does (ice4j 3.2 offers no other way). If the map cannot be reached, the
 * harvester behaves exactly like its parent and logs a warning once.
 */
public final class AddressHandoverUdpHarvester extends SinglePortUdpHarvester {
    /** Decides what becomes of a Binding request that names another session than its address's owner. */
    public interface Policy {
        /**
         * Called on the harvester's receive thread for a Binding request from {@code remote} whose
         * USERNAME's first part is not {@code ownerUfrag}, the session {@code remote} is routed to.
         * Must not block or throw.
         *
         * @param ownerUfrag the local ufrag of the session that owns {@code remote}
         * @param remote the request's source
         * @param buf the datagram's bytes
         * @param off where the request starts
         * @param len its length
         * @return the local ufrag of the session to hand {@code remote} over to, or null to drop the request
         */
        String claimant(String ownerUfrag, InetSocketAddress remote, byte[] buf, int off, int len);

        /**
         * Called when {@code remote} is about to be taken from the session {@code ownerUfrag} and
         * given to {@code claimantUfrag}, before the owner's socket for it closes: the owner's STUN
         * stack should stop reading that socket now. On the harvester's receive thread; must not
         * block.
         *
         * @param local this harvester's address
         */
        void handingOver(String ownerUfrag, String claimantUfrag, TransportAddress local, InetSocketAddress remote);
    }

    private static final Logger LOG = Logger.getLogger(AddressHandoverUdpHarvester.class.getName());
    private static final Field SOCKETS_FIELD = findSocketsField();
    private static volatile boolean warned;

    private final Policy policy;
    private final Map<SocketAddress, MySocket> sockets;

    /**
     * Binds the shared port.
     *
     * @param localAddress the address and port to bind
     * @param policy decides hand-overs
     * @throws IOException if the port cannot be bound
     */
    @SuppressWarnings("unchecked")
    public AddressHandoverUdpHarvester(TransportAddress localAddress, Policy policy) throws IOException {
        super(localAddress);
        this.policy = policy;
        Map<SocketAddress, MySocket> map = null;
        if (SOCKETS_FIELD != null) {
            try {
                map = (Map<SocketAddress, MySocket>) SOCKETS_FIELD.get(this);
            } catch (IllegalAccessException | RuntimeException e) {
                map = null;
            }
        }
        if (map == null && !warned) {
            warned = true;
            LOG.warning("cannot reach ice4j's address map: a new client on the address of a vanished one "
                    + "fails ICE until the old session's consent expires");
        }
        this.sockets = map;
    }

    @Override
    protected MySocket addSocket(InetSocketAddress remoteAddress, String ufrag, BufferHandler handler)
            throws SocketException {
        if (sockets == null) {
            return super.addSocket(remoteAddress, ufrag, handler);
        }
        MySocket socket = new HandoverSocket(remoteAddress, ufrag, handler);
        sockets.put(remoteAddress, socket);
        return socket;
    }

    private static Field findSocketsField() {
        try {
            Field f = AbstractUdpListener.class.getDeclaredField("sockets");
            f.setAccessible(true);
            return Map.class.isAssignableFrom(f.getType()) ? f : null;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The socket of one (session, remote address): checks each STUN datagram's USERNAME before the
     * session's STUN stack sees it. Everything else is ice4j's.
     */
    private final class HandoverSocket extends MySocket {
        private final InetSocketAddress remote;
        private final String ufrag;
        private final byte[] ufragBytes;
        private boolean closeOnce;

        HandoverSocket(InetSocketAddress remote, String ufrag, BufferHandler handler) throws SocketException {
            super(remote, ufrag, handler);
            this.remote = remote;
            this.ufrag = ufrag;
            this.ufragBytes = ufrag.getBytes(StandardCharsets.US_ASCII);
        }

        /** STUN datagrams only (ice4j hands everything else to the session's handler directly). */
        @Override
        public void addBuffer(Buffer buffer) {
            byte[] buf = buffer.getBuffer();
            int off = buffer.getOffset();
            int len = buffer.getLength();
            if (!StunMessage.isBindingRequestForOtherUfrag(buf, off, len, ufragBytes)) {
                super.addBuffer(buffer);
                return;
            }
            String claimant;
            try {
                claimant = policy.claimant(ufrag, remote, buf, off, len);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "address hand-over policy failed", e);
                claimant = null;
            }
            if (claimant == null) {
                BufferPool.returnBuffer.invoke(buffer);
                return;
            }
            try {
                policy.handingOver(ufrag, claimant, AddressHandoverUdpHarvester.this.localAddress, remote);
            } catch (RuntimeException e) {
                // The owner's bookkeeping failed; the address still moves (this is ice4j's one reader).
                LOG.log(Level.WARNING, "address hand-over policy failed", e);
            }
            // Leaves ice4j's map first, so the next datagram from the address (and this one, below)
            // reaches the claimant's new socket.
            close();
            MySocket next = maybeAcceptNewSession(buffer, remote, claimant);
            if (next == null) {
                BufferPool.returnBuffer.invoke(buffer);
                return;
            }
            next.addBuffer(buffer);
        }

        /**
         * Closes once. ice4j's close removes the map entry for the remote address whatever it maps
         * to; after a hand-over that entry is the claimant's, so the owner's later close (when its
         * candidate is freed) must not run it again.
         */
        @Override
        public void close() {
            synchronized (this) {
                if (closeOnce) {
                    return;
                }
                closeOnce = true;
            }
            super.close();
        }
    }
}
