package io.haddns.controller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.config.ReceiverConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Feishu/Lark custom bot (its "custom bot" documentation, signature verification): the JSON body
 * carries {@code timestamp} (Unix seconds, as a string) and {@code sign} = Base64 of
 * HMAC-SHA256(key = timestamp + "\n" + secret, message = empty), and a text message. Feishu answers
 * 200 with {@code code} (older bots: {@code StatusCode}): 0 is delivered, 11232 (frequency limit)
 * is retried, any other is refused.
 */
final class FeishuReceiver extends ConfiguredReceiver {
  private static final int TOO_FREQUENT = 11232;

  private final ReceiverConfig.Feishu config;
  private final URI url;
  private final HttpDelivery http;
  private final InstantSource clock;
  private final NotificationCodec codec = new NotificationCodec();

  FeishuReceiver(ReceiverConfig.Feishu config, InstantSource clock) {
    super(config);
    this.config = config;
    this.url = URI.create(new String(config.url().value(), StandardCharsets.UTF_8).strip());
    this.clock = clock;
    this.http = new HttpDelivery(config.timeout(), clock);
  }

  @Override
  public DeliveryResult deliver(List<Notification> batch) {
    var body = codec.object();
    if (config.secret().isPresent()) {
      String ts = Long.toString(clock.instant().getEpochSecond());
      body.put("timestamp", ts);
      body.put("sign", sign(config.secret().get().value(), ts));
    }
    body.put("msg_type", "text");
    body.putObject("content").put("text", MessageText.body(batch));
    return http.post(url, Map.of(), codec.bytes(body), this::answer);
  }

  /** Base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)). */
  static String sign(byte[] secret, String timestamp) {
    byte[] key =
        (timestamp + "\n" + new String(secret, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(Hmac.sha256(key, new byte[0]));
  }

  private DeliveryResult answer(String text) {
    JsonNode a;
    try {
      a = codec.tree(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return new DeliveryResult.Rejected("Feishu answered something other than JSON: " + text);
    }
    int code = a.has("code") ? a.path("code").asInt(-1) : a.path("StatusCode").asInt(-1);
    if (code == 0) {
      return new DeliveryResult.Delivered();
    }
    String reason =
        "Feishu code " + code + ": " + a.path("msg").asText(a.path("StatusMessage").asText());
    return code == TOO_FREQUENT
        ? new DeliveryResult.Retry(reason, Optional.empty())
        : new DeliveryResult.Rejected(reason);
  }
}
