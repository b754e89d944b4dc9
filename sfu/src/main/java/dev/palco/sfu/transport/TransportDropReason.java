package dev.palco.sfu.transport;

/** Why a received datagram was not handed to the {@link PacketReceiver}. */
public enum TransportDropReason {
    /**
     * The source address is not the remote side of a candidate pair whose check succeeded. ice4j
     * routes datagrams by source address once it has seen a STUN request with our ufrag from it, even
     * if that request failed authentication; this check keeps such sources out (RFC 8445 §11: media
     * only flows on validated pairs).
     */
    UNAUTHORIZED_SOURCE,
    /** No receiver is registered yet. */
    NO_RECEIVER,
    /** The transport is closed. */
    CLOSED,
    /** The receiver threw; the exception is swallowed so the shared harvester thread survives. */
    RECEIVER_FAILED
}
