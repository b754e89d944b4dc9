package dev.palco.sfu.transport;

/**
 * The ICE role of an agent (RFC 8445 §6.1.1).
 *
 * <p>When both sides are full ICE implementations, the offerer is controlling and the answerer is
 * controlled. Palco answers a browser's offer, so its server-side agents default to
 * {@link #CONTROLLED}; a deployment where the SFU sends the offer (as Jitsi Videobridge does through
 * Jicofo, where the bridge's agent is created controlling) configures {@link #CONTROLLING}.
 * Role conflicts are resolved by ice4j with the tie-breaker (RFC 8445 §7.3.1.1).
 */
public enum IceRole {
    /** Sends USE-CANDIDATE and so chooses the pair (RFC 8445 §8.1). */
    CONTROLLING,
    /** Lets the peer nominate; accepts the nominated pair. */
    CONTROLLED
}
