package dev.palco.sfu.transport;

/**
 * The datagram interface the DTLS/SRTP layer uses: send to the selected ICE pair, receive every
 * non-STUN datagram. Implemented by the server-side {@link IceTransport} and by the client-side
 * agent of the load generator, so the layers above run unchanged on both.
 */
public interface PacketTransport extends AutoCloseable {
    /**
     * Sends one datagram on the selected pair. Never blocks on the network for UDP, never throws.
     * Safe to call from several threads.
     *
     * @param buf the array holding the datagram
     * @param off where it starts
     * @param len its length
     * @return whether it was handed to the socket
     */
    SendResult send(byte[] buf, int off, int len);

    /**
     * Registers the receiver of non-STUN datagrams (replaces any previous one).
     *
     * @param receiver see {@link PacketReceiver} for its threading contract
     */
    void setReceiver(PacketReceiver receiver);

    /** @return the current state */
    IceTransportState state();

    /** @return packet counters, including drops by {@link TransportDropReason} */
    TransportCounters counters();

    /** Releases sockets, threads and harvester registrations. Idempotent. */
    @Override
    void close();
}
