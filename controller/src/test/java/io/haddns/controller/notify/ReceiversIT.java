package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.haddns.controller.config.ReceiverConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.store.ZkTestServers;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each receiver against a local server: the payload and the signature exactly as the vendor
 * documents them, recomputed here without the production code; bad answers bounded and classified.
 */
class ReceiversIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final String SECRET = "SECd8f1a2b3c4e5f60718293a4b5c6d7e8f";
  private final NotificationCodec codec = new NotificationCodec();
  private ReceiverServer server;
  private GreenMail mail;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (mail != null) {
      mail.stop();
    }
  }

  static Notification event(String id) {
    return new Notification(
        id,
        EventKind.LINE_HEALTH,
        Severity.CRITICAL,
        Instant.parse("2026-12-06T10:00:00Z"),
        "prod",
        "n1",
        7,
        "isp-a",
        "line isp-a up -> down (3 probes failed)",
        Map.of("line", "isp-a", "from", "up", "to", "down"));
  }

  private static Secret secret(String text) {
    return new Secret(text.getBytes(StandardCharsets.UTF_8), "test");
  }

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void webhookPostsTheEventsSignedOverTimestampDotBody() throws Exception {
    server = ReceiverServer.ok();
    Receiver hook =
        Receivers.of(
            new ReceiverConfig.Webhook(
                "hook", server.url("/in"), Optional.of(secret("s3cret")), TIMEOUT),
            "prod",
            Clock.systemUTC());

    assertThat(hook.deliver(List.of(event("e-1"), event("e-2"))))
        .isEqualTo(new DeliveryResult.Delivered());

    ReceiverServer.Request got = server.requests().get(0);
    String ts = got.header("X-Haddns-Timestamp");
    assertThat(Long.parseLong(ts))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
    byte[] signed = (ts + "." + got.text()).getBytes(StandardCharsets.UTF_8);
    assertThat(got.header("X-Haddns-Signature"))
        .isEqualTo(
            HexFormat.of().formatHex(hmac("s3cret".getBytes(StandardCharsets.UTF_8), signed)));
    assertThat(got.header("Content-Type")).startsWith("application/json");
    JsonNode body = codec.tree(got.body());
    assertThat(body.path("cluster").asText()).isEqualTo("prod");
    assertThat(body.path("events")).hasSize(2);
    JsonNode first = body.path("events").get(0);
    assertThat(first.path("id").asText()).isEqualTo("e-1");
    assertThat(first.path("kind").asText()).isEqualTo("line-health");
    assertThat(first.path("severity").asText()).isEqualTo("critical");
    assertThat(first.path("details").path("to").asText()).isEqualTo("down");
  }

  @Test
  void slackGetsTheSummaryAsText() throws Exception {
    server = ReceiverServer.ok();
    Receiver slack =
        Receivers.of(
            new ReceiverConfig.Slack(
                "chat", secret(server.url("/services/T0/B0/xyz").toString()), TIMEOUT),
            "prod",
            Clock.systemUTC());

    assertThat(slack.deliver(List.of(event("e-1")))).isEqualTo(new DeliveryResult.Delivered());

    ReceiverServer.Request got = server.requests().get(0);
    assertThat(got.path()).isEqualTo("/services/T0/B0/xyz");
    String text = codec.tree(got.body()).path("text").asText();
    assertThat(text).contains("CRITICAL line isp-a up -> down").contains("e-1");
  }

  @Test
  void dingTalkSignsTimestampNewlineSecretIntoTheQuery() throws Exception {
    server = ReceiverServer.ok();
    server.answer(ReceiverServer.Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
    Receiver ding =
        Receivers.of(
            new ReceiverConfig.DingTalk(
                "ding",
                secret(server.url("/robot/send?access_token=tok123").toString()),
                Optional.of(secret(SECRET)),
                TIMEOUT),
            "prod",
            Clock.systemUTC());

    assertThat(ding.deliver(List.of(event("e-1")))).isEqualTo(new DeliveryResult.Delivered());

    ReceiverServer.Request got = server.requests().get(0);
    Map<String, String> q = query(got.query());
    assertThat(q).containsEntry("access_token", "tok123");
    long ts = Long.parseLong(q.get("timestamp"));
    assertThat(ts)
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    String expected =
        Base64.getEncoder()
            .encodeToString(
                hmac(
                    SECRET.getBytes(StandardCharsets.UTF_8),
                    (ts + "\n" + SECRET).getBytes(StandardCharsets.UTF_8)));
    assertThat(q.get("sign")).isEqualTo(expected);
    // On the wire the sign is URL-encoded: Base64's '+', '/' and '=' never appear raw.
    assertThat(got.query().substring(got.query().indexOf("sign=") + 5))
        .doesNotContain("+", "/", "=");
    JsonNode body = codec.tree(got.body());
    assertThat(body.path("msgtype").asText()).isEqualTo("text");
    assertThat(body.path("text").path("content").asText()).contains("isp-a").contains("e-1");
  }

  @Test
  void dingTalkErrcodeOtherThanZeroIsRefusedAndTooFastIsRetried() throws Exception {
    server = ReceiverServer.ok();
    server.script(
        ReceiverServer.Reply.of(200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}"),
        ReceiverServer.Reply.of(200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}"));
    Receiver ding =
        Receivers.of(
            new ReceiverConfig.DingTalk(
                "ding",
                secret(server.url("/robot/send?access_token=t").toString()),
                Optional.of(secret(SECRET)),
                TIMEOUT),
            "prod",
            Clock.systemUTC());

    assertThat(ding.deliver(List.of(event("e-1"))))
        .isEqualTo(new DeliveryResult.Rejected("DingTalk errcode 310000: sign not match"));
    assertThat(ding.deliver(List.of(event("e-1")))).isInstanceOf(DeliveryResult.Retry.class);
  }

  @Test
  void feishuSignsWithTimestampNewlineSecretAsTheKeyOfAnEmptyMessage() throws Exception {
    server = ReceiverServer.ok();
    server.answer(ReceiverServer.Reply.of(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}"));
    Receiver feishu =
        Receivers.of(
            new ReceiverConfig.Feishu(
                "lark",
                secret(server.url("/open-apis/bot/v2/hook/abc-def").toString()),
                Optional.of(secret("feishu-secret")),
                TIMEOUT),
            "prod",
            Clock.systemUTC());

    assertThat(feishu.deliver(List.of(event("e-1")))).isEqualTo(new DeliveryResult.Delivered());

    JsonNode body = codec.tree(server.requests().get(0).body());
    String ts = body.path("timestamp").asText();
    assertThat(Long.parseLong(ts))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    String expected =
        Base64.getEncoder()
            .encodeToString(
                hmac((ts + "\nfeishu-secret").getBytes(StandardCharsets.UTF_8), new byte[0]));
    assertThat(body.path("sign").asText()).isEqualTo(expected);
    assertThat(body.path("msg_type").asText()).isEqualTo("text");
    assertThat(body.path("content").path("text").asText()).contains("isp-a").contains("e-1");

    server.answer(ReceiverServer.Reply.of(200, "{\"code\":19021,\"msg\":\"sign match fail\"}"));
    assertThat(feishu.deliver(List.of(event("e-2"))))
        .isEqualTo(new DeliveryResult.Rejected("Feishu code 19021: sign match fail"));
  }

  @Test
  void aHugeAnswerIsReadOnlyInPartAndASlowOneTimesOut() throws Exception {
    server = ReceiverServer.ok();
    server.script(
        ReceiverServer.Reply.of(400, "x".repeat(5_000_000)),
        new ReceiverServer.Reply(200, "ok", Map.of(), 3_000));
    Receiver hook =
        Receivers.of(
            new ReceiverConfig.Webhook(
                "hook", server.url("/in"), Optional.empty(), Duration.ofMillis(500)),
            "prod",
            Clock.systemUTC());

    DeliveryResult huge = hook.deliver(List.of(event("e-1")));
    assertThat(huge).isInstanceOf(DeliveryResult.Rejected.class);
    assertThat(((DeliveryResult.Rejected) huge).reason())
        .startsWith("HTTP 400: xxx")
        .hasSizeLessThan(320);

    long start = System.nanoTime();
    DeliveryResult slow = hook.deliver(List.of(event("e-2")));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    assertThat(slow)
        .isEqualTo(new DeliveryResult.Retry("no answer within 500ms", Optional.empty()));
  }

  @Test
  void aReceiverThatIsNotListeningIsRetriedWithoutItsUrlInTheReason() throws Exception {
    int port = ZkTestServers.freePort();
    URI url = URI.create("http://127.0.0.1:" + port + "/robot/send?access_token=topsecret");
    Receiver ding =
        Receivers.of(
            new ReceiverConfig.DingTalk("ding", secret(url.toString()), Optional.empty(), TIMEOUT),
            "prod",
            Clock.systemUTC());

    DeliveryResult r = ding.deliver(List.of(event("e-1")));
    assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
    assertThat(((DeliveryResult.Retry) r).reason()).doesNotContain("topsecret");
  }

  private GreenMail mailServer() {
    int port;
    try {
      port = ZkTestServers.freePort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    GreenMail g =
        new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("ops@example.net", "ops", "mailpw"));
    g.start();
    return g;
  }

  private ReceiverConfig.Email emailConfig(String password) {
    return new ReceiverConfig.Email(
        "mail",
        "127.0.0.1",
        mail.getSmtp().getPort(),
        ReceiverConfig.SmtpSecurity.NONE,
        Optional.of("ops"),
        Optional.of(secret(password)),
        "haddns@example.net",
        List.of("ops@example.net", "oncall@example.net"),
        TIMEOUT);
  }

  @Test
  void emailIsSentWithAuthAndCarriesTheEventIdsInItsHeaders() throws Exception {
    mail = mailServer();
    Receiver email = Receivers.of(emailConfig("mailpw"), "prod", Clock.systemUTC());

    assertThat(email.deliver(List.of(event("e-1"), event("e-2"))))
        .isEqualTo(new DeliveryResult.Delivered());

    MimeMessage[] got = mail.getReceivedMessages();
    assertThat(got).hasSize(2); // one copy per recipient
    MimeMessage m = got[0];
    assertThat(m.getSubject())
        .startsWith("[haddns prod] CRITICAL 2 line-health events about isp-a");
    assertThat(m.getFrom()[0].toString()).isEqualTo("haddns@example.net");
    assertThat(m.getHeader("X-Haddns-Event-Ids")[0]).isEqualTo("e-1 e-2");
    assertThat(m.getHeader("X-Haddns-Severity")[0]).isEqualTo("critical");
    assertThat(m.getHeader("To")[0]).contains("ops@example.net").contains("oncall@example.net");
    assertThat((String) m.getContent()).contains("line isp-a up -> down");
  }

  @Test
  void anSmtpServerRefusingTheLoginIsRefusedWithoutThePassword() {
    mail = mailServer();
    Receiver email = Receivers.of(emailConfig("wrong-password"), "prod", Clock.systemUTC());

    DeliveryResult r = email.deliver(List.of(event("e-1")));

    assertThat(r)
        .isEqualTo(new DeliveryResult.Rejected("SMTP server 127.0.0.1 refused the login of ops"));
    assertThat(mail.getReceivedMessages()).isEmpty();
  }
}
