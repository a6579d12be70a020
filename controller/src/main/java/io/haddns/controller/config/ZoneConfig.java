package io.haddns.controller.config;

import java.util.Objects;

/**
 * A DNS zone haddns writes to, and the provider that holds it. Name is canonical.
 *
 * @param dryRun plan and report changes to this zone but never write them
 * @param verify how applied changes are checked at the zone's authoritative servers
 */
public record ZoneConfig(
    String name, ProviderConfig provider, boolean dryRun, VerifyConfig verify) {
  public ZoneConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(verify, "verify");
  }

  public ZoneConfig(String name, ProviderConfig provider, boolean dryRun) {
    this(name, provider, dryRun, VerifyConfig.defaults());
  }

  /** A zone that is written (not a dry run). */
  public ZoneConfig(String name, ProviderConfig provider) {
    this(name, provider, false);
  }
}
