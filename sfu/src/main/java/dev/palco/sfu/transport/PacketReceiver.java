package dev.palco.sfu.transport;

/**
 * Receives every non-STUN datagram (DTLS, SRTP, SRTCP) that arrives on a transport from an address
 * ICE has validated. STUN never reaches it: ice4j consumes connectivity checks and consent responses.
 *
 * <p><b>Threading and ownership.</b> UDP packets are pushed on ice4j's harvester thread, which reads
 * the one shared UDP port for <em>every</em> participant; TCP packets come from the transport's reader
 * thread. The implementation must not block and must not keep {@code buf}: the array goes back to a
 * pool when this method returns, so copy what you need (a DTLS handshake thread reads such copies from
 * a queue).
 */
@FunctionalInterface
public interface PacketReceiver {
    /**
     * @param buf the array holding the datagram
     * @param off where the datagram starts
     * @param len its length in bytes
     */
    void onPacket(byte[] buf, int off, int len);
}
