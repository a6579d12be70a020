package io.haddns.controller.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One notification receiver (docs/notifications.md). Credentials, and URLs that carry a token
 * (Slack, DingTalk, Feishu), come only from files or environment variables.
 */
public sealed interface ReceiverConfig {
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  String name();

  /** Bounds every call to the receiver: connect, send and answer. */
  Duration timeout();

  /** The type as written in configuration. */
  String type();

  /**
   * A generic JSON webhook.
   *
   * @param secret signs each request ({@code X-Haddns-Signature}); none: unsigned
   */
  record Webhook(String name, URI url, Optional<Secret> secret, Duration timeout)
      implements ReceiverConfig {
    public Webhook {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String type() {
      return "webhook";
    }
  }

  /** A Slack incoming webhook; its URL is the credential. */
  record Slack(String name, Secret url, Duration timeout) implements ReceiverConfig {
    @Override
    public String type() {
      return "slack";
    }
  }

  /**
   * A DingTalk custom robot: its webhook URL (with the access token) and, when the robot's security
   * setting is "sign", its secret ({@code SEC…}).
   */
  record DingTalk(String name, Secret url, Optional<Secret> secret, Duration timeout)
      implements ReceiverConfig {
    @Override
    public String type() {
      return "dingtalk";
    }
  }

  /** A Feishu/Lark custom bot: its webhook URL and, when signature checks are on, its secret. */
  record Feishu(String name, Secret url, Optional<Secret> secret, Duration timeout)
      implements ReceiverConfig {
    @Override
    public String type() {
      return "feishu";
    }
  }

  /** How the SMTP connection is protected. */
  enum SmtpSecurity {
    /** Plain connection upgraded with STARTTLS, refused if the server does not offer it. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, usually port 465). */
    TLS,
    /** No protection: only for a relay on the same host. */
    NONE
  }

  /**
   * Mail over SMTP.
   *
   * @param username with {@code password}: SMTP AUTH; none: no authentication
   * @param trustCaFile PEM certificates the server's certificate must chain to instead of the JVM's
   *     trust store (the host name is checked either way)
   */
  record Email(
      String name,
      String host,
      int port,
      SmtpSecurity security,
      Optional<String> username,
      Optional<Secret> password,
      String from,
      List<String> to,
      Duration timeout,
      Optional<Path> trustCaFile)
      implements ReceiverConfig {
    public Email {
      to = List.copyOf(to);
      Objects.requireNonNull(security, "security");
      Objects.requireNonNull(trustCaFile, "trustCaFile");
    }

    /** Trusting the JVM's trust store. */
    public Email(
        String name,
        String host,
        int port,
        SmtpSecurity security,
        Optional<String> username,
        Optional<Secret> password,
        String from,
        List<String> to,
        Duration timeout) {
      this(name, host, port, security, username, password, from, to, timeout, Optional.empty());
    }

    @Override
    public String type() {
      return "email";
    }
  }
}
