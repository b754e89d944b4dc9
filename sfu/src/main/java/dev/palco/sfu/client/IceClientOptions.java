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
 */
public record IceClientOptions(Mode mode, InetAddress bindAddress, long consentIntervalMs, long consentTimeoutMs,
        long connectTimeoutMs, long restartTransitionMs) {

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
    }

    /**
     * @param mode UDP or TCP
     * @param bindAddress local address
     * @return options with the RFC 7675 defaults
     */
    public static IceClientOptions of(Mode mode, InetAddress bindAddress) {
        return new IceClientOptions(mode, bindAddress, IceConfig.DEFAULT_CONSENT_INTERVAL_MS,
                IceConfig.DEFAULT_CONSENT_TIMEOUT_MS, IceConfig.DEFAULT_CONNECT_TIMEOUT_MS,
                IceConfig.DEFAULT_RESTART_TRANSITION_MS);
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
                newRestartTransitionMs);
    }
}
