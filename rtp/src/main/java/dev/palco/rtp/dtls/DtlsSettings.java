package dev.palco.rtp.dtls;

import java.util.List;
import java.util.Objects;

import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;

/**
 * Tunables of a DTLS-SRTP endpoint. Immutable; start from {@link #DEFAULTS} and use the
 * {@code with*} methods.
 *
 * @param handshakeTimeoutMs overall time the handshake may take before it fails with {@link
 *     DtlsTimeoutException}
 * @param initialRetransmitMs first retransmission timeout of a flight; Bouncy Castle doubles it
 *     after each loss (RFC 6347 §4.2.4.1)
 * @param srtpProfiles the use_srtp profiles we offer (client) or accept (server), most preferred
 *     first
 * @param maxSsrcs the SSRC context bound of the resulting {@link SrtpSession}
 */
public record DtlsSettings(int handshakeTimeoutMs, int initialRetransmitMs,
        List<SrtpProfile> srtpProfiles, int maxSsrcs) {

    /**
     * 10 s overall; 500 ms initial retransmission (RFC 6347 suggests 1 s, but ICE has just proved
     * the path and measured a small RTT, and a lost first flight should not cost a full second of
     * join time); GCM preferred over CM (RFC 7714: a full 128-bit tag; and on OpenSSL through
     * jitsi-srtp it is faster than our allocation-free AES-CM, whose AES runs one block at a time
     * in the JDK's ECB mode: see {@code docs/benchmarks.md}, "rtp: SRTP").
     */
    public static final DtlsSettings DEFAULTS = new DtlsSettings(10_000, 500,
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80),
            SrtpSession.DEFAULT_MAX_SSRCS);

    /** Validates and copies. */
    public DtlsSettings {
        if (handshakeTimeoutMs <= 0 || initialRetransmitMs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        Objects.requireNonNull(srtpProfiles, "srtpProfiles");
        if (srtpProfiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile");
        }
        srtpProfiles = List.copyOf(srtpProfiles);
        if (maxSsrcs < 1) {
            throw new IllegalArgumentException("maxSsrcs must be positive");
        }
    }

    /** A copy with another overall handshake timeout. */
    public DtlsSettings withHandshakeTimeoutMs(int ms) {
        return new DtlsSettings(ms, initialRetransmitMs, srtpProfiles, maxSsrcs);
    }

    /** A copy with another initial retransmission timeout. */
    public DtlsSettings withInitialRetransmitMs(int ms) {
        return new DtlsSettings(handshakeTimeoutMs, ms, srtpProfiles, maxSsrcs);
    }

    /** A copy offering or accepting only these profiles, in this order of preference. */
    public DtlsSettings withSrtpProfiles(SrtpProfile... profiles) {
        return new DtlsSettings(handshakeTimeoutMs, initialRetransmitMs, List.of(profiles),
                maxSsrcs);
    }

    /** A copy with another SSRC context bound. */
    public DtlsSettings withMaxSsrcs(int max) {
        return new DtlsSettings(handshakeTimeoutMs, initialRetransmitMs, srtpProfiles, max);
    }
}
