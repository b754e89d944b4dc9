package dev.palco.sfu.transport;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A 1:1 NAT mapping: packets sent to {@code publicAddress} reach this host on {@code localAddress},
 * with the port unchanged (as on cloud hosts with an elastic / floating IP).
 *
 * <p>For each UDP host candidate on {@code localAddress} the server also advertises a server-reflexive
 * candidate on {@code publicAddress} with the host candidate as its related address, which is what
 * Jitsi Videobridge does with ice4j's static mapping harvester. For ICE-TCP, ice4j's TCP harvester
 * likewise adds a server-reflexive passive candidate on the public address and the TCP port.
 *
 * @param localAddress an address this host binds to
 * @param publicAddress the address peers must use to reach it
 */
public record NatMapping(InetAddress localAddress, InetAddress publicAddress) {
    /** Validates that both addresses are present. */
    public NatMapping {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(publicAddress, "publicAddress");
    }
}
