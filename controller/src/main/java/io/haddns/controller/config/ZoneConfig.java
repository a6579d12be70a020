package io.haddns.controller.config;

import java.util.Objects;

/** A DNS zone haddns writes to, and the provider that holds it. Name is canonical. */
public record ZoneConfig(String name, ProviderConfig provider) {
  public ZoneConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
  }
}
