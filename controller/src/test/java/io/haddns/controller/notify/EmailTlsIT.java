package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.haddns.controller.config.ReceiverConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.store.ZkTestServers;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail over TLS from the first byte (GreenMail's SMTPS) and over STARTTLS (a STARTTLS front
 * relaying to GreenMail's SMTP), with a server certificate made for this test (subject alternative
 * name 127.0.0.1): delivered when {@code trustCaFile} holds it, refused with a clear reason when it
 * is not trusted. Verification is never turned off.
 */
class EmailTlsIT {
  private static final String STORE_PASSWORD = "changeit";
  private static final String MAIL_PASSWORD = "mail-Password-7";

  @TempDir static Path certs;
  private static Path serverStore;
  private static Path serverCa;
  private static Path otherCa;

  private GreenMail mail;
  private StartTlsFront front;

  @BeforeAll
  static void makeCertificates() throws Exception {
    serverStore = certs.resolve("server.p12");
    serverCa = certs.resolve("server.pem");
    keyPair(serverStore, serverCa);
    otherCa = certs.resolve("other.pem");
    keyPair(certs.resolve("other.p12"), otherCa);
    // GreenMail's TLS servers take their key from these (read once, when TLS is first used).
    System.setProperty("greenmail.tls.keystore.file", serverStore.toString());
    System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
    System.setProperty("greenmail.tls.key.password", STORE_PASSWORD);
  }

  /**
   * A self-signed EC certificate for 127.0.0.1 in {@code store}, exported as PEM to {@code pem}.
   */
  private static void keyPair(Path store, Path pem) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "greenmail",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "greenmail",
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        pem.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @AfterEach
  void stop() throws IOException {
    if (front != null) {
      front.close();
    }
    if (mail != null) {
      mail.stop();
    }
  }

  private GreenMail mailServer(String protocol) throws IOException {
    GreenMail g =
        new GreenMail(new ServerSetup(ZkTestServers.freePort(), "127.0.0.1", protocol))
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("ops@example.net", "ops", MAIL_PASSWORD));
    g.start();
    return g;
  }

  private static SSLContext serverTls() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, STORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    return tls;
  }

  private static Receiver email(
      int port, ReceiverConfig.SmtpSecurity security, Optional<Path> trustCaFile) {
    return Receivers.of(
        new ReceiverConfig.Email(
            "mail",
            "127.0.0.1",
            port,
            security,
            Optional.of("ops"),
            Optional.of(
                new Secret(MAIL_PASSWORD.getBytes(StandardCharsets.UTF_8), "file mail.password")),
            "haddns@example.net",
            List.of("ops@example.net"),
            Duration.ofSeconds(5),
            trustCaFile),
        "prod",
        Clock.systemUTC());
  }

  @Test
  void implicitTlsDeliversWhenTrustCaFileHoldsTheServersCertificate() throws Exception {
    mail = mailServer(ServerSetup.PROTOCOL_SMTPS);

    DeliveryResult r =
        email(mail.getSmtps().getPort(), ReceiverConfig.SmtpSecurity.TLS, Optional.of(serverCa))
            .deliver(List.of(ReceiversIT.event("tls-1")));

    assertThat(r).isEqualTo(new DeliveryResult.Delivered());
    MimeMessage[] got = mail.getReceivedMessages();
    assertThat(got).hasSize(1);
    assertThat(got[0].getHeader("X-Haddns-Event-Ids")[0]).isEqualTo("tls-1");
  }

  @Test
  void implicitTlsToACertificateTheJvmDoesNotTrustIsNotSentAndSaysWhy() throws Exception {
    mail = mailServer(ServerSetup.PROTOCOL_SMTPS);

    DeliveryResult r =
        email(mail.getSmtps().getPort(), ReceiverConfig.SmtpSecurity.TLS, Optional.empty())
            .deliver(List.of(ReceiversIT.event("tls-1")));

    assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
    String reason = ((DeliveryResult.Retry) r).reason();
    assertThat(reason)
        .startsWith("SMTP 127.0.0.1: its TLS certificate is not trusted by the JVM trust store")
        .doesNotContain(MAIL_PASSWORD);
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void startTlsDeliversWhenTrustCaFileHoldsTheServersCertificate() throws Exception {
    mail = mailServer(ServerSetup.PROTOCOL_SMTP);
    front = new StartTlsFront(serverTls(), mail.getSmtp().getPort());

    DeliveryResult r =
        email(front.port(), ReceiverConfig.SmtpSecurity.STARTTLS, Optional.of(serverCa))
            .deliver(List.of(ReceiversIT.event("tls-1")));

    assertThat(r).isEqualTo(new DeliveryResult.Delivered());
    assertThat(front.upgraded()).isEqualTo(1);
    assertThat(mail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void startTlsToACertificateOutsideTrustCaFileIsNotSentAndSaysWhy() throws Exception {
    mail = mailServer(ServerSetup.PROTOCOL_SMTP);
    front = new StartTlsFront(serverTls(), mail.getSmtp().getPort());

    DeliveryResult r =
        email(front.port(), ReceiverConfig.SmtpSecurity.STARTTLS, Optional.of(otherCa))
            .deliver(List.of(ReceiversIT.event("tls-1")));

    assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
    String reason = ((DeliveryResult.Retry) r).reason();
    assertThat(reason)
        .startsWith("SMTP 127.0.0.1: its TLS certificate is not trusted by trustCaFile " + otherCa)
        .doesNotContain(MAIL_PASSWORD);
    assertThat(front.upgraded()).isZero();
    assertThat(mail.getReceivedMessages()).isEmpty();
  }
}
