package dev.palco.sfu.transport;

import dev.palco.rtp.stun.StunDropReason;
import dev.palco.rtp.stun.StunMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AddressHandoverUdpHarvester;

/**
 * Who owns a remote address on the shared UDP port when two ICE sessions want it.
 *
 * <p>A client that vanishes leaves its session alive until consent expires; a new client can get
 * the same address meanwhile (the OS reuses the port, a NAT reuses the mapping). Its checks name
 * its own session's ufrag but arrive at the old session, which owns the address. The address is
 * handed over only when both hold:
 * <ol>
 *   <li>the request authenticates against the named session: its MESSAGE-INTEGRITY matches that
 *       session's password (RFC 8445 §7.2.2, RFC 5389 §15.4), so only the client that received
 *       the password through signaling can take an address;</li>
 *   <li>the owner's peer has been silent for {@code staleAfterMs}: no authenticated request and no
 *       consent response from it (RFC 7675 §5.1). A live peer answers every consent check, so a
 *       live owner never loses its address, even to a client that can spoof its source.</li>
 * </ol>
 * Otherwise the request is dropped (and counted); the client retransmits it (RFC 8445 §14.3) and
 * gets the address once the owner is found silent, or once the owner is gone. The owner, having
 * lost its peer's address, loses consent on it at once.
 */
final class AddressHandover implements AddressHandoverUdpHarvester.Policy {
    private final ConcurrentHashMap<String, IceAgentSession> sessionsByUfrag = new ConcurrentHashMap<>();
    private final long staleAfterNanos;
    private final LongAdder handovers = new LongAdder();
    private final LongAdder droppedOwnerAlive = new LongAdder();
    private final LongAdder droppedUnknownSession = new LongAdder();
    private final LongAdder droppedUnauthenticated = new LongAdder();

    /** @param staleAfterMs how long an owner's peer must have been silent before its address may go */
    AddressHandover(long staleAfterMs) {
        this.staleAfterNanos = TimeUnit.MILLISECONDS.toNanos(staleAfterMs);
    }

    /** Makes {@code session} reachable by its local ufrag until it is freed. */
    void register(IceAgentSession session) {
        String ufrag = session.localCredentials().ufrag();
        sessionsByUfrag.put(ufrag, session);
        session.closeOnFree(() -> sessionsByUfrag.remove(ufrag, session));
    }

    @Override
    public String claimant(String ownerUfrag, InetSocketAddress remote, byte[] buf, int off, int len) {
        StunMessage request = new StunMessage();
        if (request.parse(buf, off, len) != StunDropReason.NONE || !request.hasIntegrity()) {
            droppedUnauthenticated.increment();
            return null;
        }
        String claimantUfrag = receiverUfrag(request);
        IceAgentSession claimant = sessionsByUfrag.get(claimantUfrag);
        if (claimant == null || claimant.isFreed()) {
            droppedUnknownSession.increment();
            return null;
        }
        IceAgentSession owner = sessionsByUfrag.get(ownerUfrag);
        if (owner != null && !owner.isFreed() && owner.nanosSincePeerHeard() < staleAfterNanos) {
            droppedOwnerAlive.increment();
            return null;
        }
        if (!integrityMatches(request, claimant.localCredentials().pwd())) {
            droppedUnauthenticated.increment();
            return null;
        }
        return claimantUfrag;
    }

    @Override
    public void handingOver(String ownerUfrag, String claimantUfrag, TransportAddress local, InetSocketAddress remote) {
        handovers.increment();
        IceAgentSession owner = sessionsByUfrag.get(ownerUfrag);
        if (owner != null) {
            owner.addressTakenOver(local, remote);
        }
    }

    /** USERNAME is "RFRAG:LFRAG" (RFC 8445 §7.2.2): the receiver's ufrag comes first. */
    private static String receiverUfrag(StunMessage request) {
        byte[] buf = request.buffer();
        int start = request.usernameOffset();
        int end = start + request.usernameLength();
        int colon = start;
        while (colon < end && buf[colon] != ':') {
            colon++;
        }
        return new String(buf, start, colon - start, StandardCharsets.US_ASCII);
    }

    private static boolean integrityMatches(StunMessage request, String password) {
        try {
            // Short-term credentials: the key is the password itself (RFC 5389 §15.4); ICE passwords
            // are ASCII, which SASLprep leaves as it is.
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return request.integrityMatches(mac, new byte[StunMessage.HMAC_SHA1_SIZE_BYTES]);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** @return addresses handed from a silent session to one that authenticated from them */
    long handovers() {
        return handovers.sum();
    }

    /** @return requests for another session dropped because the address's owner is still heard from */
    long droppedOwnerAlive() {
        return droppedOwnerAlive.sum();
    }

    /** @return requests for another session dropped because no such session exists */
    long droppedUnknownSession() {
        return droppedUnknownSession.sum();
    }

    /** @return requests for another session dropped as malformed or failing its MESSAGE-INTEGRITY */
    long droppedUnauthenticated() {
        return droppedUnauthenticated.sum();
    }
}
