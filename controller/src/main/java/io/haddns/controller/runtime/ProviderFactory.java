package io.haddns.controller.runtime;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.config.ZoneConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.RequestPacers;
import io.haddns.controller.provider.TermGuard;
import io.haddns.controller.provider.alidns.AlidnsDnsProvider;
import io.haddns.controller.provider.cloudflare.CloudflareDnsProvider;
import io.haddns.controller.provider.dnspod.DnspodDnsProvider;
import io.haddns.controller.provider.embedded.EmbeddedDnsProvider;
import io.haddns.controller.provider.powerdns.PowerDnsProvider;
import io.haddns.controller.provider.rfc2136.Rfc2136DnsProvider;
import io.haddns.controller.provider.route53.Route53DnsProvider;
import io.haddns.controller.store.ZkStateStore;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds each zone's DNS backend from its configuration: the one place that knows every provider
 * type. Providers that share an API's rate limit share one pacer ({@link RequestPacers}); those
 * without a fence at the server are guarded by the store's current epoch ({@link TermGuard}).
 */
final class ProviderFactory {
  private final HaddnsConfig cfg;
  private final ZkStateStore store;
  private final Optional<InetAddress> dnsSource;
  private final InstantSource clock;
  private final RequestPacers pacers;

  ProviderFactory(
      HaddnsConfig cfg, ZkStateStore store, Optional<InetAddress> dnsSource, InstantSource clock) {
    this.cfg = cfg;
    this.store = store;
    this.dnsSource = dnsSource;
    this.clock = clock;
    this.pacers = new RequestPacers(cfg.zones().stream().map(ZoneConfig::provider).toList());
  }

  /** The zone's backend, not yet wrapped for resilience or drills. */
  DnsProvider backend(ZoneConfig zone) {
    return switch (zone.provider()) {
      case ProviderConfig.Rfc2136 r -> new Rfc2136DnsProvider(zone.name(), r, dnsSource, clock);
      case ProviderConfig.Embedded e -> new EmbeddedDnsProvider(zone.name(), store);
      case ProviderConfig.PowerDns p -> new PowerDnsProvider(zone.name(), p, termGuard(zone));
      case ProviderConfig.Route53 r ->
          new Route53DnsProvider(zone.name(), r, pacers.forProvider(r).orElseThrow(), clock);
      case ProviderConfig.Cloudflare c ->
          new CloudflareDnsProvider(
              zone.name(), c, adoptedKeys(zone), pacers.forProvider(c).orElseThrow(), clock);
      case ProviderConfig.Dnspod d ->
          new DnspodDnsProvider(
              zone.name(),
              d,
              termGuard(zone),
              adoptedKeys(zone),
              clock,
              pacers.forProvider(d).orElseThrow());
      case ProviderConfig.Alidns a ->
          new AlidnsDnsProvider(
              zone.name(),
              a,
              termGuard(zone),
              adoptedKeys(zone),
              clock,
              pacers.forProvider(a).orElseThrow());
    };
  }

  /**
   * Each zone's provider type as metrics and status name it ({@code rfc2136}, {@code route53}…).
   */
  static Map<String, String> types(HaddnsConfig cfg) {
    Map<String, String> types = new LinkedHashMap<>();
    for (ZoneConfig z : cfg.zones()) {
      types.put(z.name(), type(z.provider()));
    }
    return types;
  }

  private static String type(ProviderConfig provider) {
    return switch (provider) {
      case ProviderConfig.Rfc2136 r -> "rfc2136";
      case ProviderConfig.Embedded e -> "embedded";
      case ProviderConfig.PowerDns p -> "powerdns";
      case ProviderConfig.Route53 r -> "route53";
      case ProviderConfig.Cloudflare c -> "cloudflare";
      case ProviderConfig.Dnspod d -> "dnspod";
      case ProviderConfig.Alidns a -> "alidns";
    };
  }

  private TermGuard termGuard(ZoneConfig zone) {
    return TermGuard.behind(zone.name(), store::currentEpoch);
  }

  /** The zone's records configured {@code adopt: true}: providers may take those over. */
  private Set<RecordKey> adoptedKeys(ZoneConfig zone) {
    return cfg.records().stream()
        .filter(r -> r.zone().equals(zone.name()) && r.adopt())
        .map(RecordConfig::key)
        .collect(Collectors.toUnmodifiableSet());
  }
}
