package dev.palco.sfu.client;

import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.Executor;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;

/**
 * Options of a {@link WebRtcClient}.
 *
 * @param ice ICE mode (UDP or TCP), bind address and timers
 * @param dtls DTLS timeouts and the SRTP profiles offered, most preferred first
 * @param certificate the client's DTLS certificate, or null to generate one per client (about a
 *     millisecond; a load generator shares one)
 * @param dtlsExecutor runs the short post-handshake DTLS tasks (close_notify, alerts), or null for
 *     a pool shared by all clients whose idle threads end after a second
 */
public record WebRtcClientOptions(IceClientOptions ice, DtlsSettings dtls, DtlsCertificate certificate,
        Executor dtlsExecutor) {

    /** Validates the required parts. */
    public WebRtcClientOptions {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(dtls, "dtls");
    }

    /**
     * @param mode UDP or TCP
     * @param bindAddress local address (127.0.0.1 in tests)
     * @return ICE defaults, DTLS defaults (GCM then CM), a fresh certificate, the shared executor
     */
    public static WebRtcClientOptions of(IceClientOptions.Mode mode, InetAddress bindAddress) {
        return new WebRtcClientOptions(IceClientOptions.of(mode, bindAddress), DtlsSettings.DEFAULTS, null, null);
    }

    /** @return a copy with other ICE options */
    public WebRtcClientOptions withIce(IceClientOptions newIce) {
        return new WebRtcClientOptions(newIce, dtls, certificate, dtlsExecutor);
    }

    /** @return a copy with other DTLS settings */
    public WebRtcClientOptions withDtls(DtlsSettings newDtls) {
        return new WebRtcClientOptions(ice, newDtls, certificate, dtlsExecutor);
    }

    /** @return a copy using this certificate */
    public WebRtcClientOptions withCertificate(DtlsCertificate newCertificate) {
        return new WebRtcClientOptions(ice, dtls, newCertificate, dtlsExecutor);
    }

    /** @return a copy using this executor for post-handshake DTLS tasks */
    public WebRtcClientOptions withDtlsExecutor(Executor newExecutor) {
        return new WebRtcClientOptions(ice, dtls, certificate, newExecutor);
    }
}
