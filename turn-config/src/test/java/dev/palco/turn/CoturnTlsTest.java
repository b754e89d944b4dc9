package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.turn.testing.CoturnProcess;
import dev.palco.turn.testing.TurnTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURNS: with {@code cert}/{@code pkey} from the generated file, coturn answers TURN over TLS on
 * its TLS port, takes a fresh credential there and refuses a forged one.
 */
class CoturnTlsTest {

  private static final Path WORK = Path.of("target", "coturn", "tls");
  private static final String SECRET = "coturn-tls-test-secret-3e8d1a";
  private static final char[] STORE_PASSWORD = "palco-test".toCharArray();

  private static CoturnProcess coturn;
  private static SSLContext trusting;
  private static InetSocketAddress tlsAddress;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(WORK);
    Path store = WORK.resolve("turn.p12");
    Files.deleteIfExists(store);
    // A self-signed P-256 certificate for 127.0.0.1, made by the JDK's keytool.
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "turn", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("keytool.out").toFile())
            .start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, Files.readString(WORK.resolve("keytool.out")));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, STORE_PASSWORD);
    }
    X509Certificate cert = (X509Certificate) keys.getCertificate("turn");
    PrivateKey key = (PrivateKey) keys.getKey("turn", STORE_PASSWORD);
    Path certPem = WORK.resolve("cert.pem");
    Path keyPem = WORK.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("turn", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);

    int tlsPort = freeTcpPort();
    coturn =
        CoturnProcess.start(WORK, TurnSecrets.of(SECRET), Instant.now(),
            b -> b.tls(certPem.toAbsolutePath().toString(), keyPem.toAbsolutePath().toString()).tlsPort(tlsPort));
    tlsAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort);
  }

  @AfterAll
  static void stop() {
    if (coturn != null) {
      coturn.close();
    }
  }

  @Test
  void aFreshCredentialAllocatesOverTls() {
    TurnCredential credential = TurnCredentials.issue(TurnSecrets.of(SECRET), "room-3/p-tls", Instant.now(), Duration.ofHours(1));
    try (TurnTestClient.Session session = TurnTestClient.Session.openTls(tlsAddress, trusting)) {
      TurnTestClient.Allocation allocation = session.allocate(credential.username(), credential.password());
      assertTrue(allocation.granted(), "error " + allocation.errorCode() + "\n" + coturn.log());
      assertTrue(allocation.responseSigned());
    }
  }

  @Test
  void aForgedCredentialIsRefusedOverTls() {
    TurnCredential credential = TurnCredentials.issue(TurnSecrets.of(SECRET), "room-3/p-tls", Instant.now(), Duration.ofHours(1));
    try (TurnTestClient.Session session = TurnTestClient.Session.openTls(tlsAddress, trusting)) {
      assertEquals(401, session.allocate(credential.username(), "AAAAAAAAAAAAAAAAAAAAAAAAAAA=").errorCode());
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
