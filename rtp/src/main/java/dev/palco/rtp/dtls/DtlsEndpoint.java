package dev.palco.rtp.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Objects;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;

/**
 * One DTLS-SRTP association (RFC 5764) in the client or server role, over a datagram transport
 * the caller supplies.
 *
 * <p>Usage: build it with our certificate and the fingerprint the peer signaled, call {@link
 * #handshake} once, use the returned {@link SrtpSession} on the media path, keep feeding DTLS
 * records to {@link #serviceIncoming} while the session lives, and {@link #close()} at the end
 * (sends close_notify).
 *
 * <p>The handshake is DTLS 1.2 with ECDHE_ECDSA suites. Both sides must present a certificate
 * (the server sends a CertificateRequest), and the peer's must match the signaled fingerprint
 * (RFC 5763 §5), else the handshake fails with {@link FingerprintMismatchException}. use_srtp
 * (RFC 5764 §4.1.1) must be negotiated to a profile in {@link DtlsSettings#srtpProfiles()}; the
 * server picks the first of ours the client offers. Keys come from the RFC 5705 exporter with
 * label "EXTRACTOR-dtls_srtp" and are split as in RFC 5764 §4.2.
 *
 * <p>Threading: no threads of our own. {@link #handshake}, {@link #serviceIncoming} and {@link
 * #close} block the calling thread (Bouncy Castle reads from the transport on it and handles
 * retransmission, RFC 6347 §4.2.4, while it waits) and must not run concurrently with each other.
 * The transport's {@code receive} must honour its {@code waitMillis} and return -1 (or throw
 * {@link java.net.SocketTimeoutException}) when nothing arrived.
 */
public final class DtlsEndpoint implements AutoCloseable {
    /**
     * ECDHE_ECDSA suites only: our certificate is ECDSA. AEAD suites first; the CBC suite is for
     * older stacks. Filtered by what the crypto provider supports.
     */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final DtlsRole role;
    private final DtlsCertificate localCertificate;
    private final DtlsFingerprint remoteFingerprint;
    private final DtlsSettings settings;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    // Handshake outcome, written by Bouncy Castle callbacks on the handshaking thread.
    private DtlsException failure;
    private SrtpProfile selectedProfile;
    private byte[] keyingMaterial;
    private short receivedAlert = -1;
    private volatile boolean closedByPeer;

    private DTLSTransport dtls;
    private boolean handshakeStarted;
    private byte[] receiveBuffer;

    /**
     * @param role our side of the handshake (from a=setup)
     * @param localCertificate our certificate; its fingerprint is what we signaled
     * @param remoteFingerprint what the peer signaled; its certificate must match
     * @param settings timeouts, SRTP profiles and SSRC bound
     */
    public DtlsEndpoint(DtlsRole role, DtlsCertificate localCertificate,
            DtlsFingerprint remoteFingerprint, DtlsSettings settings) {
        this.role = Objects.requireNonNull(role, "role");
        this.localCertificate = Objects.requireNonNull(localCertificate, "localCertificate");
        this.remoteFingerprint = Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Our role. */
    public DtlsRole role() {
        return role;
    }

    /**
     * Runs the handshake to completion on the calling thread and returns the keyed SRTP session
     * (our keys on the send side, the peer's on the receive side). Call once.
     *
     * @param transport the datagram path to the peer (ICE socket, or a UDP socket in tests)
     * @throws FingerprintMismatchException the peer's certificate is missing or not the signaled one
     * @throws SrtpNegotiationException use_srtp was not negotiated to one of our profiles
     * @throws DtlsTimeoutException no complete handshake within the configured timeout
     * @throws DtlsException any other failure, including an alert from the peer
     */
    public SrtpSession handshake(DatagramTransport transport) throws DtlsException {
        Objects.requireNonNull(transport, "transport");
        if (handshakeStarted) {
            throw new IllegalStateException("handshake already run");
        }
        handshakeStarted = true;
        try {
            if (role == DtlsRole.CLIENT) {
                dtls = new DTLSClientProtocol().connect(new Client(), transport);
            } else {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // No HelloVerifyRequest cookie round trip: ICE connectivity checks have already
                // proved the peer owns its address, which is what the cookie exists to prove.
                protocol.setVerifyRequests(false);
                dtls = protocol.accept(new Server(), transport);
            }
        } catch (TlsTimeoutException e) {
            throw new DtlsTimeoutException("DTLS handshake (" + role + ") did not complete within "
                    + settings.handshakeTimeoutMs() + " ms", e);
        } catch (IOException | RuntimeException e) {
            throw mapFailure(e);
        }
        if (selectedProfile == null || keyingMaterial == null) {
            throw new IllegalStateException("handshake completed without SRTP keys");
        }
        try {
            return SrtpSession.fromDtlsKeyingMaterial(selectedProfile, keyingMaterial,
                    role == DtlsRole.CLIENT, settings.maxSsrcs());
        } finally {
            Arrays.fill(keyingMaterial, (byte) 0);
            keyingMaterial = null;
        }
    }

    private DtlsException mapFailure(Exception e) {
        if (failure != null) {
            failure.initCause(e);
            return failure;
        }
        if (receivedAlert >= 0) {
            return new DtlsException("DTLS handshake (" + role + ") refused by the peer: "
                    + AlertDescription.getText(receivedAlert), e);
        }
        String detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new DtlsException("DTLS handshake (" + role + ") failed: " + detail, e);
    }

    /** The negotiated SRTP profile, or null before a successful handshake. */
    public SrtpProfile srtpProfile() {
        return dtls == null ? null : selectedProfile;
    }

    /**
     * After the handshake, reads DTLS records for up to {@code waitMillis} and lets Bouncy Castle
     * act on them: answering a retransmitted final flight when ours was lost (RFC 6347 §4.2.4),
     * and noting the peer's close_notify. Application data (we have no data channels) is
     * discarded. The SFU calls this with every DTLS datagram it demultiplexes (RFC 7983).
     *
     * @return false once the peer has closed the association (or it failed), true otherwise
     */
    public boolean serviceIncoming(int waitMillis) {
        if (dtls == null) {
            throw new IllegalStateException("no completed handshake");
        }
        if (closedByPeer) {
            return false;
        }
        try {
            if (receiveBuffer == null) {
                receiveBuffer = new byte[dtls.getReceiveLimit()];
            }
            dtls.receive(receiveBuffer, 0, receiveBuffer.length, waitMillis);
        } catch (IOException e) {
            closedByPeer = true;
        }
        return !closedByPeer;
    }

    /** True once the peer has sent close_notify or a fatal alert after the handshake. */
    public boolean isClosedByPeer() {
        return closedByPeer;
    }

    /** Sends close_notify (RFC 5246 §7.2.1) if the handshake completed. Idempotent. */
    @Override
    public void close() {
        DTLSTransport t = dtls;
        if (t != null) {
            try {
                t.close();
            } catch (IOException e) {
                // The transport is going away either way; nothing to report to the caller.
            }
        }
    }

    // ---- Bouncy Castle peers: the shared parts ----

    private TlsCredentialedSigner signer(TlsContext context) throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                localCertificate.signingKey(), localCertificate.tlsChain(crypto), ECDSA_SHA256);
    }

    private void verifyPeer(org.bouncycastle.tls.Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            failure = new FingerprintMismatchException(
                    "the peer presented no certificate; expected " + remoteFingerprint.toSdp());
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!remoteFingerprint.matches(der)) {
            failure = new FingerprintMismatchException("the peer's certificate has fingerprint "
                    + DtlsFingerprint.of(remoteFingerprint.hashName(), der).toSdp()
                    + " but the signaled one is " + remoteFingerprint.toSdp());
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    private int[] offeredProfileIds() {
        int[] ids = new int[settings.srtpProfiles().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = settings.srtpProfiles().get(i).protectionProfileId();
        }
        return ids;
    }

    private void exportKeys(TlsContext context) {
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                selectedProfile.keyingMaterialLengthBytes());
    }

    private void onAlertReceived(short alertLevel, short alertDescription) {
        if (dtls == null) {
            receivedAlert = alertDescription;
        } else if (alertDescription == AlertDescription.close_notify
                || alertLevel == AlertLevel.fatal) {
            closedByPeer = true;
        }
    }

    private final class Client extends DefaultTlsClient {
        Client() {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return settings.handshakeTimeoutMs();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return settings.initialRetransmitMs();
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions,
                    new UseSRTPData(offeredProfileIds(), TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData data = serverExtensions == null ? null
                    : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (data == null) {
                failure = new SrtpNegotiationException("the DTLS server did not negotiate use_srtp");
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
            int[] chosen = data.getProtectionProfiles();
            SrtpProfile profile = chosen.length == 1
                    ? SrtpProfile.fromProtectionProfileId(chosen[0]) : null;
            // RFC 5764 §4.1.1: exactly one profile, and one we offered.
            if (profile == null || !settings.srtpProfiles().contains(profile)) {
                failure = new SrtpNegotiationException("the DTLS server selected SRTP profile(s) "
                        + Arrays.toString(chosen) + ", not one we offered");
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            }
            selectedProfile = profile;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate)
                        throws IOException {
                    verifyPeer(serverCertificate.getCertificate());
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request)
                        throws IOException {
                    return signer(context);
                }
            };
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            onAlertReceived(alertLevel, alertDescription);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exportKeys(context);
        }
    }

    private final class Server extends DefaultTlsServer {
        Server() {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return settings.handshakeTimeoutMs();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return settings.initialRetransmitMs();
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return signer(context);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData data = clientExtensions == null ? null
                    : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (data == null) {
                failure = new SrtpNegotiationException("the DTLS client did not offer use_srtp");
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
            int[] offered = data.getProtectionProfiles();
            for (SrtpProfile ours : settings.srtpProfiles()) {
                for (int id : offered) {
                    if (id == ours.protectionProfileId()) {
                        selectedProfile = ours;
                        return;
                    }
                }
            }
            failure = new SrtpNegotiationException("no SRTP profile in common: the client offered "
                    + Arrays.toString(offered) + ", we accept " + settings.srtpProfiles());
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
            // We never use an MKI (RFC 5764 §4.1.1 lets the server leave srtp_mki empty).
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                    new int[] {selectedProfile.protectionProfileId()}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            // RFC 5763 §5: both endpoints authenticate with their signaled certificate, so the
            // server always asks the client for one.
            Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
            algorithms.add(ECDSA_SHA256);
            algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384,
                    SignatureAlgorithm.ecdsa));
            algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256,
                    SignatureAlgorithm.rsa));
            algorithms.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
            return new CertificateRequest(
                    new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    algorithms, null);
        }

        @Override
        public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate)
                throws IOException {
            verifyPeer(clientCertificate);
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            onAlertReceived(alertLevel, alertDescription);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exportKeys(context);
        }
    }
}
