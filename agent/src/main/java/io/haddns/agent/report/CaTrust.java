package io.haddns.agent.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS trust of the agent: the JDK's default CAs, or only the CA certificates of a PEM file (a
 * private CA). Certificate and host-name verification stay on either way.
 */
public final class CaTrust {
  private CaTrust() {}

  /**
   * @param caFile PEM file with one or more CA certificates; empty for the JDK's default CAs
   * @throws IOException if the file cannot be read or holds no certificate
   */
  public static SSLContext sslContext(Optional<Path> caFile) throws IOException {
    try {
      if (caFile.isEmpty()) {
        return SSLContext.getDefault();
      }
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(caFile.get())) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certificates.isEmpty()) {
        throw new IOException("caFile " + caFile.get() + " holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "caFile " + caFile.orElse(null) + " is not usable: " + e.getMessage(), e);
    }
  }
}
