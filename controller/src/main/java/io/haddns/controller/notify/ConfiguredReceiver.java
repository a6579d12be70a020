package io.haddns.controller.notify;

import io.haddns.controller.config.ReceiverConfig;

/** A receiver named and typed by its configuration. */
abstract class ConfiguredReceiver implements Receiver {
  private final ReceiverConfig config;

  ConfiguredReceiver(ReceiverConfig config) {
    this.config = config;
  }

  @Override
  public final String name() {
    return config.name();
  }

  @Override
  public final String type() {
    return config.type();
  }
}
