package io.haddns.controller.config;

import io.haddns.controller.dns.DnsNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code zones} section. */
final class ZonesSection {

  /**
   * What was read.
   *
   * @param zones the zones that are entirely valid
   * @param names the canonical name of every zone whose name is valid, even if its provider is not
   */
  record Result(List<ZoneConfig> zones, Set<String> names) {}

  private ZonesSection() {}

  /**
   * @param dryRun the file's top-level {@code dryRun}, the default for every zone
   */
  static Result read(YamlValue value, SecretReader secrets, boolean dryRun) {
    List<ZoneConfig> zones = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Map<String, String> firstPath = new LinkedHashMap<>();
    List<YamlValue> items = value.list().orElse(List.of());
    if (value.node().isArray() && items.isEmpty()) {
      value.problem("must list at least one zone");
    }
    for (YamlValue item : items) {
      Optional<YamlMap> map = item.map();
      if (map.isEmpty()) {
        continue;
      }
      YamlMap m = map.get().allow("name", "provider", "dryRun", "verify");
      Optional<String> name = m.required("name").flatMap(v -> name(v, firstPath));
      name.ifPresent(names::add);
      Optional<ProviderConfig> provider =
          m.required("provider").flatMap(v -> ProviderReader.read(v, secrets));
      Optional<Boolean> zoneDryRun =
          m.get("dryRun").map(YamlValue::bool).orElse(Optional.of(dryRun));
      Optional<VerifyConfig> verify =
          m.get("verify").map(ZonesSection::verify).orElse(Optional.of(VerifyConfig.defaults()));
      if (name.isPresent()
          && provider.isPresent()
          && zoneDryRun.isPresent()
          && verify.isPresent()) {
        zones.add(new ZoneConfig(name.get(), provider.get(), zoneDryRun.get(), verify.get()));
      }
    }
    return new Result(zones, names);
  }

  /** {@code verify: { enabled, nameservers: [host[:port], …], timeout }}. */
  private static Optional<VerifyConfig> verify(YamlValue value) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get().allow("enabled", "nameservers", "timeout");
    Optional<Boolean> enabled = m.get("enabled").map(YamlValue::bool).orElse(Optional.of(true));
    Optional<Duration> timeout =
        m.get("timeout")
            .map(v -> v.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
            .orElse(Optional.of(VerifyConfig.DEFAULT_TIMEOUT));
    List<InetSocketAddress> servers = new ArrayList<>();
    boolean serversOk = true;
    Optional<YamlValue> list = m.get("nameservers");
    if (list.isPresent()) {
      Optional<List<YamlValue>> items = list.get().list();
      serversOk = items.isPresent();
      for (YamlValue item : items.orElse(List.of())) {
        Optional<String> text = item.string();
        if (text.isEmpty()) {
          serversOk = false;
          continue;
        }
        try {
          HostPort hp = HostPort.parse(text.get(), 53);
          servers.add(InetSocketAddress.createUnresolved(hp.host(), hp.port()));
        } catch (IllegalArgumentException e) {
          item.problem(e.getMessage() + " (expected host, host:port or [IPv6]:port)");
          serversOk = false;
        }
      }
    }
    if (enabled.isEmpty() || timeout.isEmpty() || !serversOk) {
      return Optional.empty();
    }
    return Optional.of(new VerifyConfig(enabled.get(), servers, timeout.get()));
  }

  private static Optional<String> name(YamlValue value, Map<String, String> firstPath) {
    Optional<String> written = value.string();
    if (written.isEmpty()) {
      return written;
    }
    Optional<String> problem = DnsNameSyntax.ownerNameProblem(written.get(), false);
    if (problem.isPresent()) {
      value.problem(problem.get());
      return Optional.empty();
    }
    String canonical = DnsNames.canonical(written.get());
    String first = firstPath.putIfAbsent(canonical, value.path());
    if (first != null) {
      value.problem("duplicate zone; " + canonical + " is already configured at " + first);
      return Optional.empty();
    }
    return Optional.of(canonical);
  }
}
