package io.haddns.controller.notify;

import io.haddns.controller.config.NotificationsConfig;
import io.haddns.controller.config.ReceiverConfig;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the configured receivers; no I/O. */
public final class Receivers {
  private Receivers() {}

  /** By name, in configuration order. */
  public static Map<String, Receiver> of(
      NotificationsConfig config, String cluster, InstantSource clock) {
    Map<String, Receiver> out = new LinkedHashMap<>();
    for (ReceiverConfig r : config.receivers()) {
      out.put(r.name(), of(r, cluster, clock));
    }
    return out;
  }

  public static Receiver of(ReceiverConfig r, String cluster, InstantSource clock) {
    return switch (r) {
      case ReceiverConfig.Webhook w -> new WebhookReceiver(w, cluster, clock);
      case ReceiverConfig.Slack s -> new SlackReceiver(s, clock);
      case ReceiverConfig.DingTalk d -> new DingTalkReceiver(d, clock);
      case ReceiverConfig.Feishu f -> new FeishuReceiver(f, clock);
      case ReceiverConfig.Email e -> new EmailReceiver(e, clock);
    };
  }
}
