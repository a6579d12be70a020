package io.haddns.controller.config;

import io.haddns.controller.dns.DnsNames;
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
      YamlMap m = map.get().allow("name", "provider", "dryRun");
      Optional<String> name = m.required("name").flatMap(v -> name(v, firstPath));
      name.ifPresent(names::add);
      Optional<ProviderConfig> provider =
          m.required("provider").flatMap(v -> ProviderReader.read(v, secrets));
      Optional<Boolean> zoneDryRun =
          m.get("dryRun").map(YamlValue::bool).orElse(Optional.of(dryRun));
      if (name.isPresent() && provider.isPresent() && zoneDryRun.isPresent()) {
        zones.add(new ZoneConfig(name.get(), provider.get(), zoneDryRun.get()));
      }
    }
    return new Result(zones, names);
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
