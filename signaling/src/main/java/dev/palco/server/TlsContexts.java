package dev.palco.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds the listener's TLS context from PEM files, as certificate tools and ACME clients write
 * them: a certificate chain (leaf first) and a private key in PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}) form.
 */
public final class TlsContexts {

  private TlsContexts() {}

  /**
   * Reads the PEM files into an {@link SSLContext}.
   *
   * @throws IOException if a file cannot be read or holds no certificate or key
   * @throws GeneralSecurityException if the key or certificates are unusable
   */
  public static SSLContext fromPem(Path certificateChain, Path privateKey)
      throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain;
    try (InputStream in = Files.newInputStream(certificateChain)) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (chain.isEmpty()) {
      throw new IOException(certificateChain + " holds no certificate");
    }
    PrivateKey key = readKey(privateKey);
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("palco", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      // Bouncy Castle's provider reads SEC 1 keys, whose curve sits outside the algorithm
      // identifier (the JDK's KeyFactory refuses those); the key is then re-encoded as PKCS#8
      // for the JDK, so the JSSE signs with its own provider.
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider());
      Object object;
      while ((object = parser.readObject()) != null) {
        if (object instanceof PEMKeyPair pair) {
          // SEC 1 keys may omit the public key, so convert only the private part.
          return toJdk(converter.getPrivateKey(pair.getPrivateKeyInfo()));
        }
        if (object instanceof PrivateKeyInfo info) {
          return toJdk(converter.getPrivateKey(info));
        }
      }
    }
    throw new IOException(file + " holds no unencrypted private key");
  }

  private static PrivateKey toJdk(PrivateKey key) throws IOException {
    try {
      // Bouncy Castle names EC keys "ECDSA"; the JDK's factory is "EC".
      String algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException("unsupported private key: " + key.getAlgorithm(), e);
    }
  }
}
