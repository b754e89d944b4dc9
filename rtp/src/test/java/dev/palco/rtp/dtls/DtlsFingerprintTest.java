package dev.palco.rtp.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8122 §5 fingerprints and the generated certificate. */
class DtlsFingerprintTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void certificateIsSelfSignedEcdsaP256WithSha256Fingerprint() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate(NOW);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert.derEncoded()));
        x509.verify(x509.getPublicKey()); // self-signed
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField()
                .getFieldSize());
        x509.checkValidity(java.util.Date.from(NOW));
        assertTrue(x509.getSerialNumber().signum() > 0);
        assertEquals("EC", cert.privateKey().getAlgorithm());

        String sdp = cert.fingerprint().toSdp();
        // "sha-256 " + 32 bytes as upper-case hex pairs joined by ':'
        assertTrue(sdp.matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), sdp);
        assertTrue(cert.fingerprint().matches(cert.derEncoded()));
    }

    @Test
    void twoCertificatesDifferInKeySerialAndFingerprint() throws Exception {
        DtlsCertificate a = DtlsCertificate.generate(NOW);
        DtlsCertificate b = DtlsCertificate.generate(NOW);
        assertNotEquals(a.fingerprint(), b.fingerprint());
        assertFalse(a.fingerprint().matches(b.derEncoded()));
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        assertNotEquals(
                ((X509Certificate) f.generateCertificate(new ByteArrayInputStream(a.derEncoded())))
                        .getSerialNumber(),
                ((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.derEncoded())))
                        .getSerialNumber());
    }

    @Test
    void parseIsCaseInsensitiveAndRoundTrips() {
        DtlsCertificate cert = DtlsCertificate.generate(NOW);
        String sdp = cert.fingerprint().toSdp();
        assertEquals(cert.fingerprint(), DtlsFingerprint.parse(sdp));
        assertEquals(cert.fingerprint(), DtlsFingerprint.parse(sdp.toLowerCase(Locale.ROOT)));
        assertEquals(cert.fingerprint(), DtlsFingerprint.parse(
                "SHA-256 " + sdp.substring(8).toLowerCase(Locale.ROOT)));
        assertEquals(cert.fingerprint(), DtlsFingerprint.parse("  " + sdp + "\r\n"));
        assertTrue(DtlsFingerprint.parse(sdp.toLowerCase(Locale.ROOT)).matches(cert.derEncoded()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-1", "sha-224", "sha-256", "sha-384", "sha-512"})
    void otherHashFunctionsAreComputedAccordingly(String hash) {
        DtlsCertificate cert = DtlsCertificate.generate(NOW);
        DtlsFingerprint fp = cert.fingerprint(hash);
        assertEquals(hash, fp.hashName());
        DtlsFingerprint parsed = DtlsFingerprint.parse(fp.toSdp().toUpperCase(Locale.ROOT));
        assertEquals(fp, parsed);
        assertTrue(parsed.matches(cert.derEncoded()));
        assertFalse(parsed.matches(DtlsCertificate.generate(NOW).derEncoded()));
    }

    @Test
    void knownSha256OfEmptyInputFormatsAsInSdp() {
        // SHA-256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 649b934c a495991b 7852b855
        assertEquals("sha-256 E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:"
                + "93:4C:A4:95:99:1B:78:52:B8:55", DtlsFingerprint.of("sha-256", new byte[0]).toSdp());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", // empty
        "sha-256", // no value
        "md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", // refused by RFC 8122
        "sha-999 00:11", // unknown hash
        "sha-1 00:11:22", // too short for sha-1
        "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44", // too long
        "sha-1 00-11-22-33-44-55-66-77-88-99-AA-BB-CC-DD-EE-FF-00-11-22-33", // wrong separator
        "sha-1 0G:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33", // not hex
    })
    void malformedFingerprintsAreRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse(value));
    }
}
