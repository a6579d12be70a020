package io.haddns.controller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.config.ReceiverConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DingTalk custom robot (its "custom robot" documentation, security setting "sign"): the query
 * gets {@code timestamp} (Unix milliseconds) and {@code sign} = URL-encoded Base64 of
 * HMAC-SHA256(key = secret, timestamp + "\n" + secret); the body is a text message. DingTalk
 * answers 200 with {@code errcode}: 0 is delivered, 130101 (sending too fast) is retried, any other
 * is refused.
 */
final class DingTalkReceiver extends ConfiguredReceiver {
  private static final int TOO_FAST = 130101;

  private final ReceiverConfig.DingTalk config;
  private final String url;
  private final HttpDelivery http;
  private final InstantSource clock;
  private final NotificationCodec codec = new NotificationCodec();

  DingTalkReceiver(ReceiverConfig.DingTalk config, InstantSource clock) {
    super(config);
    this.config = config;
    this.url = new String(config.url().value(), StandardCharsets.UTF_8).strip();
    this.clock = clock;
    this.http = new HttpDelivery(config.timeout(), clock);
  }

  @Override
  public DeliveryResult deliver(List<Notification> batch) {
    String target = url;
    if (config.secret().isPresent()) {
      String ts = Long.toString(clock.millis());
      String sign = sign(config.secret().get().value(), ts);
      target +=
          (url.contains("?") ? "&" : "?")
              + "timestamp="
              + ts
              + "&sign="
              + URLEncoder.encode(sign, StandardCharsets.UTF_8);
    }
    var body = codec.object();
    body.put("msgtype", "text");
    body.putObject("text").put("content", MessageText.body(batch));
    return http.post(URI.create(target), Map.of(), codec.bytes(body), this::answer);
  }

  /** Base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)), before URL encoding. */
  static String sign(byte[] secret, String timestamp) {
    String secretText = new String(secret, StandardCharsets.UTF_8);
    byte[] toSign = (timestamp + "\n" + secretText).getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(Hmac.sha256(secret, toSign));
  }

  private DeliveryResult answer(String text) {
    JsonNode a;
    try {
      a = codec.tree(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return new DeliveryResult.Rejected("DingTalk answered something other than JSON: " + text);
    }
    int code = a.path("errcode").asInt(-1);
    if (code == 0) {
      return new DeliveryResult.Delivered();
    }
    String reason = "DingTalk errcode " + code + ": " + a.path("errmsg").asText();
    return code == TOO_FAST
        ? new DeliveryResult.Retry(reason, Optional.empty())
        : new DeliveryResult.Rejected(reason);
  }
}
