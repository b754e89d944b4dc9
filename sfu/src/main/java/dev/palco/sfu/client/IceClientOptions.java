package dev.palco.sfu.client;

import dev.palco.sfu.transport.IceConfig;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Options of an {@link IceClientAgent}.
 *
 * @param mode UDP host candidate, or active ICE-TCP only
 * @param bindAddress local address of the client's sockets (127.0.0.1 in tests)
 * @param consentIntervalMs RFC 7675 mean interval between consent checks
 * @param consentTimeoutMs RFC 7675 consent lifetime
 * @param connectTimeoutMs fail if not connected this long after checks start
 * @param restartTransitionMs how long the replaced agent keeps receiving after a restart connects
 * @param localPort UDP port of the first socket, 0 for one the OS picks (restarts always take a new one)
 */
public record IceClientOptions(Mode mode, InetAddress bindAddress, long consentIntervalMs, long consentTimeoutMs,
        long connectTimeoutMs, long restartTransitionMs, int localPort) {

    /** Which candidates the client offers. */
    public enum Mode {
        /** One UDP host candidate on {@code bindAddress}. */
        UDP,
        /** Active ICE-TCP only (RFC 6544), as from a network that blocks UDP. */
        TCP
    }

    /** Validates the values. */
    public IceClientOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (consentIntervalMs <= 0 || consentTimeoutMs <= consentIntervalMs || connectTimeoutMs <= 0
                || restartTransitionMs < 0) {
            throw new IllegalArgumentException("bad timers");
        }
        if (localPort < 0 || localPort > 0xFFFF) {
            throw new IllegalArgumentException("bad local port " + localPort);
        }
    }

    /**
     * @param mode UDP or TCP
     * @param bindAddress local address
     * @return options with the RFC 7675 defaults
     */
    public static IceClientOptions of(Mode mode, InetAddress bindAddress) {
        return new IceClientOptions(mode, bindAddress, IceConfig.DEFAULT_CONSENT_INTERVAL_MS,
                IceConfig.DEFAULT_CONSENT_TIMEOUT_MS, IceConfig.DEFAULT_CONNECT_TIMEOUT_MS,
                IceConfig.DEFAULT_RESTART_TRANSITION_MS, 0);
    }

    /**
     * @param newConsentIntervalMs consent interval
     * @param newConsentTimeoutMs consent lifetime
     * @param newConnectTimeoutMs connect timeout
     * @param newRestartTransitionMs restart transition
     * @return a copy with other timers
     */
    public IceClientOptions withTimers(long newConsentIntervalMs, long newConsentTimeoutMs, long newConnectTimeoutMs,
            long newRestartTransitionMs) {
        return new IceClientOptions(mode, bindAddress, newConsentIntervalMs, newConsentTimeoutMs, newConnectTimeoutMs,
                newRestartTransitionMs, localPort);
    }

    /**
     * @param port UDP port for the client's first socket (a client that comes back on the port it
     *     used before, as behind a NAT that reuses a mapping), 0 for any
     * @return a copy with that port
     */
    public IceClientOptions withLocalPort(int port) {
        return new IceClientOptions(mode, bindAddress, consentIntervalMs, consentTimeoutMs, connectTimeoutMs,
                restartTransitionMs, port);
    }
}
