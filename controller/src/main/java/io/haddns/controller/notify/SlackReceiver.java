package io.haddns.controller.notify;

import io.haddns.controller.config.ReceiverConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/** A Slack incoming webhook: {@code {"text": …}}; Slack answers errors with 4xx. */
final class SlackReceiver extends ConfiguredReceiver {
  private final ReceiverConfig.Slack config;
  private final URI url;
  private final HttpDelivery http;
  private final NotificationCodec codec = new NotificationCodec();

  SlackReceiver(ReceiverConfig.Slack config, InstantSource clock) {
    super(config);
    this.config = config;
    this.url = URI.create(new String(config.url().value(), StandardCharsets.UTF_8));
    this.http = new HttpDelivery(config.timeout(), clock);
  }

  @Override
  public DeliveryResult deliver(List<Notification> batch) {
    var body = codec.object();
    body.put("text", MessageText.body(batch));
    return http.post(url, Map.of(), codec.bytes(body), null);
  }
}
