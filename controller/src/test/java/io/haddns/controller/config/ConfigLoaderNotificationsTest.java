package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static io.haddns.controller.config.ConfigTesting.at;
import static io.haddns.controller.config.ConfigTesting.loader;
import static io.haddns.controller.config.ConfigTesting.parse;
import static io.haddns.controller.config.ConfigTesting.problems;
import static io.haddns.controller.config.ConfigTesting.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.notify.EventKind;
import io.haddns.controller.notify.Severity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderNotificationsTest {
  private static final Map<String, String> ENV =
      Map.of(
          "TSIG_SECRET", ConfigTesting.ENV_SECRET,
          "HOOK_KEY", "hook-signing-key",
          "SLACK_URL", "https://hooks.slack.com/services/T0/B0/abc",
          "DING_URL", "https://oapi.dingtalk.com/robot/send?access_token=tok",
          "DING_SECRET", "SECabc",
          "LARK_URL", "https://open.feishu.cn/open-apis/bot/v2/hook/xyz",
          "SMTP_PASSWORD", "mail-pw",
          "BAD_URL", "file:///etc/passwd");

  private static final String RECEIVERS =
      """
      notifications:
        maxAttempts: 5
        minBackoff: 1s
        receivers:
          - { name: hook, type: webhook, url: "https://ops.example.net/haddns", secretEnv: HOOK_KEY, timeout: 3s }
          - { name: chat, type: slack, urlEnv: SLACK_URL }
          - { name: ding, type: dingtalk, urlEnv: DING_URL, secretEnv: DING_SECRET }
          - { name: lark, type: feishu, urlEnv: LARK_URL }
          - name: mail
            type: email
            host: smtp.example.net
            username: haddns
            passwordEnv: SMTP_PASSWORD
            from: haddns@example.net
            to: [ops@example.net]
      """;

  @Test
  void readsEveryReceiverTypeAndRoutesEverythingToAllWhenNoRouteIsGiven() throws Exception {
    NotificationsConfig n = parse(loader(ENV), BASE + RECEIVERS).notifications();

    assertThat(n.receivers())
        .extracting(ReceiverConfig::type)
        .containsExactly("webhook", "slack", "dingtalk", "feishu", "email");
    var hook = (ReceiverConfig.Webhook) n.receivers().get(0);
    assertThat(hook.url()).isEqualTo(URI.create("https://ops.example.net/haddns"));
    assertThat(hook.secret().orElseThrow().value())
        .isEqualTo("hook-signing-key".getBytes(StandardCharsets.UTF_8));
    assertThat(hook.timeout()).isEqualTo(Duration.ofSeconds(3));
    var mail = (ReceiverConfig.Email) n.receivers().get(4);
    assertThat(mail.port()).isEqualTo(587);
    assertThat(mail.security()).isEqualTo(ReceiverConfig.SmtpSecurity.STARTTLS);
    assertThat(n.maxAttempts()).isEqualTo(5);
    assertThat(n.minBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(n.routes())
        .containsExactly(
            new RouteConfig(
                List.of("hook", "chat", "ding", "lark", "mail"),
                Set.of(),
                Severity.INFO,
                RouteConfig.DEFAULT_GROUP_INTERVAL));
    assertThat(parse(loader(ENV), BASE).notifications().enabled()).isFalse();
  }

  @Test
  void readsRoutesWithKindsSeverityAndGrouping() throws Exception {
    String yaml =
        BASE
            + RECEIVERS
            + """
              routes:
                - { receivers: [ding, mail], kinds: [line-health, record-changed], minSeverity: warning, groupInterval: 10m }
                - { receivers: [hook], groupInterval: 0s }
            """;

    NotificationsConfig n = parse(loader(ENV), yaml).notifications();

    assertThat(n.routes())
        .containsExactly(
            new RouteConfig(
                List.of("ding", "mail"),
                Set.of(EventKind.LINE_HEALTH, EventKind.RECORD_CHANGED),
                Severity.WARNING,
                Duration.ofMinutes(10)),
            new RouteConfig(List.of("hook"), Set.of(), Severity.INFO, Duration.ZERO));
  }

  @Test
  void refusesAReceiverUrlThatIsNotHttpWithoutEchoingATokenUrl() {
    String yaml =
        BASE
            + """
            notifications:
              receivers:
                - { name: hook, type: webhook, url: "ftp://ops.example.net/in" }
                - { name: chat, type: slack, urlEnv: BAD_URL }
            """;

    List<ConfigProblem> problems = ConfigTesting.rejection(loader(ENV), yaml).problems();

    assertThat(at(problems, "notifications.receivers[0].url").orElseThrow().reason())
        .contains("must be an http or https URL");
    ConfigProblem slack = at(problems, "notifications.receivers[1].urlEnv").orElseThrow();
    assertThat(slack.reason())
        .isEqualTo(
            "the URL in environment variable BAD_URL must be an http or https URL with a host and"
                + " without user info");
    assertThat(slack.toString()).doesNotContain("passwd");
  }

  @Test
  void refusesAMissingSecretFileNamingIt() {
    String yaml =
        BASE
            + """
            notifications:
              receivers:
                - { name: hook, type: webhook, url: "https://ops.example.net/in", secretFile: hook.key }
            """;

    ConfigProblem p = at(problems(yaml), "notifications.receivers[0].secretFile").orElseThrow();

    assertThat(p.reason()).isEqualTo("file not found (/etc/haddns/hook.key)");
  }

  @Test
  void refusesInlineCredentialsUnknownRouteReceiversAndKinds() {
    String yaml =
        BASE
            + """
            notifications:
              receivers:
                - { name: chat, type: slack, url: "https://hooks.slack.com/services/T/B/secret" }
                - { name: mail, type: email, host: smtp, password: pw, from: a@b, to: [c@d] }
                - { name: x, type: pager }
              routes:
                - { receivers: [nobody], kinds: [line-down], minSeverity: urgent }
            """;

    List<ConfigProblem> problems = rejection(loader(ENV), yaml).problems();

    assertThat(at(problems, "notifications.receivers[0].url").orElseThrow().reason())
        .startsWith("inline credentials are not accepted");
    assertThat(at(problems, "notifications.receivers[1].password").orElseThrow().reason())
        .startsWith("inline credentials are not accepted");
    assertThat(at(problems, "notifications.receivers[2].type")).isPresent();
    assertThat(at(problems, "notifications.routes[0].receivers[0]").orElseThrow().reason())
        .startsWith("no such receiver");
    assertThat(at(problems, "notifications.routes[0].kinds[0]").orElseThrow().reason())
        .startsWith("unknown kind; one of line-health");
    assertThat(at(problems, "notifications.routes[0].minSeverity")).isPresent();
    assertThat(problems.toString()).doesNotContain("secret").doesNotContain("pw)");
  }

  @Test
  void readsTheGatewayAbuseSettingsWithTheirDefaults() throws Exception {
    String yaml =
        BASE
            + """
            notifications:
              gatewayAbuse: { threshold: 3, window: 1m, publishInterval: 2s, maxSources: 5 }
              receivers:
                - { name: hook, type: webhook, url: "https://ops.example.net/in" }
            """;

    assertThat(parse(loader(ENV), yaml).notifications().gatewayAbuse())
        .isEqualTo(new GatewayAbuseConfig(3, Duration.ofMinutes(1), Duration.ofSeconds(2), 5));
    assertThat(parse(loader(ENV), BASE).notifications().gatewayAbuse())
        .isEqualTo(GatewayAbuseConfig.defaults());
    assertThat(
            at(
                    problems(yaml.replace("threshold: 3", "threshold: 0")),
                    "notifications.gatewayAbuse.threshold")
                .orElseThrow()
                .reason())
        .contains("1");
  }

  @Test
  void readsAnEmailTrustCaFileAndRefusesOneWithoutCertificates(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("smtp-ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path notPem = dir.resolve("smtp-ca.txt");
    Files.writeString(notPem, "not a certificate\n");
    String yaml =
        BASE
            + """
            notifications:
              receivers:
                - { name: mail, type: email, host: smtp.example.net, from: a@example.net, to: [b@example.net], trustCaFile: "%s" }
            """;

    var mail =
        (ReceiverConfig.Email)
            parse(loader(ENV), yaml.formatted(ca)).notifications().receivers().get(0);
    assertThat(mail.trustCaFile()).contains(ca);
    assertThat(
            at(problems(yaml.formatted(notPem)), "notifications.receivers[0].trustCaFile")
                .orElseThrow()
                .reason())
        .startsWith("must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
  }
}
