package io.haddns.controller.notify;

import io.haddns.controller.config.ReceiverConfig;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mail over SMTP with Jakarta Mail (Eclipse Angus): STARTTLS required, TLS from the first byte, or
 * none; the server's certificate is checked against the JDK's trust store, or the configured {@code
 * trustCaFile}, and the host name. SMTP AUTH when a username is configured. A refused login or
 * refused recipients are refused for good; no connection or a temporary (4xx) answer is retried.
 * The headers {@code X-Haddns-Event-Ids} and {@code X-Haddns-Severity} carry the event ids and the
 * worst severity.
 */
final class EmailReceiver extends ConfiguredReceiver {
  private final ReceiverConfig.Email config;
  private final InstantSource clock;

  EmailReceiver(ReceiverConfig.Email config, InstantSource clock) {
    super(config);
    this.config = config;
    this.clock = clock;
  }

  Session session() {
    Properties p = new Properties();
    String timeout = Long.toString(config.timeout().toMillis());
    String proto = config.security() == ReceiverConfig.SmtpSecurity.TLS ? "smtps" : "smtp";
    p.put("mail.transport.protocol", proto);
    p.put("mail." + proto + ".host", config.host());
    p.put("mail." + proto + ".port", Integer.toString(config.port()));
    p.put("mail." + proto + ".connectiontimeout", timeout);
    p.put("mail." + proto + ".timeout", timeout);
    p.put("mail." + proto + ".writetimeout", timeout);
    p.put("mail." + proto + ".auth", Boolean.toString(config.username().isPresent()));
    if (config.security() == ReceiverConfig.SmtpSecurity.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (config.security() != ReceiverConfig.SmtpSecurity.NONE) {
      p.put("mail." + proto + ".ssl.checkserveridentity", "true");
      // An object, not a string: put, not setProperty. Used for STARTTLS and for smtps.
      config
          .trustCaFile()
          .ifPresent(f -> p.put("mail." + proto + ".ssl.socketFactory", trusting(f)));
    }
    return Session.getInstance(p);
  }

  /** TLS sockets trusting exactly the certificates in {@code caFile} (read at every send). */
  private static SSLSocketFactory trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new UntrustedException("no certificate in trustCaFile " + caFile);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return tls.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new UntrustedException("trustCaFile " + caFile + " unusable: " + e.getMessage());
    }
  }

  /** The configured trust could not be read: nothing can be sent until it is fixed. */
  private static final class UntrustedException extends RuntimeException {
    UntrustedException(String message) {
      super(message);
    }
  }

  @Override
  public DeliveryResult deliver(List<Notification> batch) {
    Session session;
    try {
      session = session();
    } catch (UntrustedException e) {
      return new DeliveryResult.Retry(
          "SMTP " + config.host() + ": " + e.getMessage(), Optional.empty());
    }
    String proto = config.security() == ReceiverConfig.SmtpSecurity.TLS ? "smtps" : "smtp";
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(config.from()));
      Address[] to = new Address[config.to().size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(config.to().get(i));
      }
      m.setRecipients(Message.RecipientType.TO, to);
      m.setSubject(MessageText.title(batch), StandardCharsets.UTF_8.name());
      m.setText(MessageText.body(batch), StandardCharsets.UTF_8.name());
      m.setSentDate(Date.from(clock.instant()));
      m.setHeader(
          "X-Haddns-Event-Ids", String.join(" ", batch.stream().map(Notification::id).toList()));
      m.setHeader("X-Haddns-Severity", MessageText.worst(batch).label());
      try (Transport t = session.getTransport(proto)) {
        if (config.username().isPresent()) {
          t.connect(
              config.host(),
              config.port(),
              config.username().get(),
              new String(config.password().orElseThrow().value(), StandardCharsets.UTF_8));
        } else {
          t.connect();
        }
        t.sendMessage(m, m.getAllRecipients());
      }
      return new DeliveryResult.Delivered();
    } catch (AuthenticationFailedException e) {
      return new DeliveryResult.Rejected(
          "SMTP server " + config.host() + " refused the login of " + config.username().orElse(""));
    } catch (SendFailedException e) {
      return permanent(e)
          ? new DeliveryResult.Rejected("SMTP server refused the message: " + oneLine(e))
          : new DeliveryResult.Retry("SMTP send failed: " + oneLine(e), Optional.empty());
    } catch (MessagingException e) {
      if (untrusted(e)) {
        return new DeliveryResult.Retry(
            "SMTP "
                + config.host()
                + ": its TLS certificate is not trusted"
                + config
                    .trustCaFile()
                    .map(f -> " by trustCaFile " + f)
                    .orElse(" by the JVM trust store")
                + " or does not name the host: "
                + oneLine(e),
            Optional.empty());
      }
      return permanent(e)
          ? new DeliveryResult.Rejected("SMTP: " + oneLine(e))
          : new DeliveryResult.Retry("SMTP " + config.host() + ": " + oneLine(e), Optional.empty());
    }
  }

  /** A 5xx SMTP reply is permanent (RFC 5321, section 4.2.1); no reply or 4xx is not. */
  private static boolean permanent(MessagingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s) {
        return s.getReturnCode() >= 500;
      }
      if (t instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a) {
        return a.getReturnCode() >= 500;
      }
    }
    return false;
  }

  private static boolean untrusted(MessagingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(Exception e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      text += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
    }
    return HttpDelivery.shown(text.getBytes(StandardCharsets.UTF_8));
  }
}
