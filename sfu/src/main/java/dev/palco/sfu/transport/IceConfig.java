package dev.palco.sfu.transport;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the server-side ICE layer.
 *
 * @param udpPort the one UDP port shared by every participant (0 picks a free port, for tests)
 * @param bindAddresses local addresses to bind the UDP port (and the TCP port) on; loopback allowed
 * @param natMappings 1:1 NAT mappings: the public address advertised for a local address
 * @param tcpEnabled whether to offer passive ICE-TCP candidates (RFC 6544) for UDP-blocked networks
 * @param tcpPort the ICE-TCP port (0 picks a free port, for tests)
 * @param role the ICE role of server-side agents
 * @param consentIntervalMs mean interval between consent checks, randomised ±20% (RFC 7675 §5.1: 5 s)
 * @param consentTimeoutMs consent expires this long after the last authenticated response
 *        (RFC 7675 §5.1: 30 s)
 * @param connectTimeoutMs a transport that has not connected this long after its checks started fails
 * @param restartTransitionMs after an ICE restart cuts over, the old agent keeps answering checks this long
 */
public record IceConfig(
        int udpPort,
        List<InetAddress> bindAddresses,
        List<NatMapping> natMappings,
        boolean tcpEnabled,
        int tcpPort,
        IceRole role,
        long consentIntervalMs,
        long consentTimeoutMs,
        long connectTimeoutMs,
        long restartTransitionMs) {

    /** The conventional SFU media port (Jitsi Videobridge uses the same default). */
    public static final int DEFAULT_UDP_PORT = 10000;
    /** Default ICE-TCP port. */
    public static final int DEFAULT_TCP_PORT = 4443;
    /** RFC 7675 §5.1: consent checks every 5 seconds on average. */
    public static final long DEFAULT_CONSENT_INTERVAL_MS = 5_000;
    /** RFC 7675 §5.1: consent expires 30 seconds after the last response. */
    public static final long DEFAULT_CONSENT_TIMEOUT_MS = 30_000;
    /** Browsers give up on ICE after about 30 seconds too. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
    /** Old-generation checks still in flight are answered this long after a restart cuts over. */
    public static final long DEFAULT_RESTART_TRANSITION_MS = 2_000;

    /** Validates and copies the lists. */
    public IceConfig {
        Objects.requireNonNull(role, "role");
        bindAddresses = List.copyOf(bindAddresses);
        natMappings = List.copyOf(natMappings);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is required");
        }
        checkPort(udpPort);
        checkPort(tcpPort);
        if (consentIntervalMs <= 0 || consentTimeoutMs <= consentIntervalMs) {
            throw new IllegalArgumentException(
                    "consent timeout must exceed the consent interval: " + consentTimeoutMs + " <= " + consentIntervalMs);
        }
        if (connectTimeoutMs <= 0 || restartTransitionMs < 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * @param bindAddresses the local addresses to serve on
     * @return the production defaults: UDP 10000, ICE-TCP 4443, controlled, RFC 7675 timers
     */
    public static IceConfig defaults(List<InetAddress> bindAddresses) {
        return new IceConfig(DEFAULT_UDP_PORT, bindAddresses, List.of(), true, DEFAULT_TCP_PORT,
                IceRole.CONTROLLED, DEFAULT_CONSENT_INTERVAL_MS, DEFAULT_CONSENT_TIMEOUT_MS,
                DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_RESTART_TRANSITION_MS);
    }

    /** @return a copy with other ports (0 = pick a free one) */
    public IceConfig withPorts(int newUdpPort, boolean newTcpEnabled, int newTcpPort) {
        return new IceConfig(newUdpPort, bindAddresses, natMappings, newTcpEnabled, newTcpPort, role,
                consentIntervalMs, consentTimeoutMs, connectTimeoutMs, restartTransitionMs);
    }

    /** @return a copy with other NAT mappings */
    public IceConfig withNatMappings(List<NatMapping> newMappings) {
        return new IceConfig(udpPort, bindAddresses, newMappings, tcpEnabled, tcpPort, role,
                consentIntervalMs, consentTimeoutMs, connectTimeoutMs, restartTransitionMs);
    }

    /** @return a copy with other consent and connect timers */
    public IceConfig withTimers(long newConsentIntervalMs, long newConsentTimeoutMs, long newConnectTimeoutMs,
            long newRestartTransitionMs) {
        return new IceConfig(udpPort, bindAddresses, natMappings, tcpEnabled, tcpPort, role,
                newConsentIntervalMs, newConsentTimeoutMs, newConnectTimeoutMs, newRestartTransitionMs);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
