package dev.palco.rtp.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * Our DTLS identity: an ECDSA P-256 key pair and a self-signed certificate over it. WebRTC does
 * not chain to a CA; the peer trusts the certificate because its fingerprint (see {@link
 * #fingerprint()}) travels in the signaled SDP (RFC 5763 §5). ECDSA P-256 is what browsers
 * generate and the cheapest to sign with in the handshake.
 *
 * <p>Immutable and shareable between endpoints; a server may use one for all sessions or one per
 * session.
 */
public final class DtlsCertificate {
    /** Slack before "now" for peers whose clock is behind (browsers do not check it anyway). */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    /** Default validity: short, since a new one costs about a millisecond. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private final byte[] der;
    private final PrivateKey privateKey;
    private final AsymmetricKeyParameter signingKey;
    private final DtlsFingerprint sha256Fingerprint;

    private DtlsCertificate(byte[] der, PrivateKey privateKey) throws IOException {
        this.der = der;
        this.privateKey = privateKey;
        this.signingKey = PrivateKeyFactory.createKey(privateKey.getEncoded());
        this.sha256Fingerprint = DtlsFingerprint.of("sha-256", der);
    }

    /**
     * Generates a new key pair and a self-signed certificate valid from a day before {@code now}
     * for {@link #DEFAULT_VALIDITY}, with a random 63-bit serial number.
     *
     * @param now the current time (rtp has no clock of its own: pass {@code Instant.now()})
     */
    public static DtlsCertificate generate(Instant now) {
        return generate(now, DEFAULT_VALIDITY);
    }

    /** As {@link #generate(Instant)}, valid for {@code validity} after {@code now}. */
    public static DtlsCertificate generate(Instant now, Duration validity) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(validity, "validity");
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; random, so that two
            // certificates never share issuer+serial.
            BigInteger serial = new BigInteger(63, random).setBit(62);
            X500Name name = new X500Name("CN=palco");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), name,
                    keys.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(keys.getPrivate())).getEncoded();
            return new DtlsCertificate(der, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 certificate", e);
        }
    }

    /** The SHA-256 fingerprint we signal in SDP: {@code fingerprint().toSdp()}. */
    public DtlsFingerprint fingerprint() {
        return sha256Fingerprint;
    }

    /** The fingerprint under another RFC 8122 hash name (sha-1, sha-224, sha-384, sha-512). */
    public DtlsFingerprint fingerprint(String hashName) {
        return DtlsFingerprint.of(hashName, der);
    }

    /** The DER encoding of the certificate (a copy). */
    public byte[] derEncoded() {
        return der.clone();
    }

    /** The certificate's private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The key in Bouncy Castle's lightweight form, for the TLS signer. */
    AsymmetricKeyParameter signingKey() {
        return signingKey;
    }

    /** The one-certificate chain in Bouncy Castle TLS form. */
    org.bouncycastle.tls.Certificate tlsChain(TlsCrypto crypto) throws IOException {
        return new org.bouncycastle.tls.Certificate(
                new TlsCertificate[] {crypto.createCertificate(der)});
    }
}
