package io.haddns.controller.notify;

import io.haddns.controller.config.ReceiverConfig;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic JSON webhook (docs/notifications.md, "Webhook"): the payload of {@link
 * NotificationCodec#payload}, and with a secret the headers {@code X-Haddns-Timestamp} (Unix
 * seconds) and {@code X-Haddns-Signature} = lower-case hex of HMAC-SHA256(secret, timestamp + "." +
 * body).
 */
final class WebhookReceiver extends ConfiguredReceiver {
  static final String TIMESTAMP = "X-Haddns-Timestamp";
  static final String SIGNATURE = "X-Haddns-Signature";

  private final ReceiverConfig.Webhook config;
  private final String cluster;
  private final HttpDelivery http;
  private final InstantSource clock;
  private final NotificationCodec codec = new NotificationCodec();

  WebhookReceiver(ReceiverConfig.Webhook config, String cluster, InstantSource clock) {
    super(config);
    this.config = config;
    this.cluster = cluster;
    this.clock = clock;
    this.http = new HttpDelivery(config.timeout(), clock);
  }

  @Override
  public DeliveryResult deliver(List<Notification> batch) {
    byte[] body = codec.payload(cluster, batch);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        "X-Haddns-Event-Ids", String.join(",", batch.stream().map(Notification::id).toList()));
    config
        .secret()
        .ifPresent(
            secret -> {
              String ts = Long.toString(clock.instant().getEpochSecond());
              headers.put(TIMESTAMP, ts);
              headers.put(SIGNATURE, signature(secret.value(), ts, body));
            });
    return http.post(config.url(), headers, body, null);
  }

  static String signature(byte[] secret, String timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return HexFormat.of().formatHex(Hmac.sha256(secret, signed));
  }
}
