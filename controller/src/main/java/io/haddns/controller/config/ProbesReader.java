package io.haddns.controller.config;

import io.haddns.probe.engine.ProbeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a line's {@code probes}: a list of {@code {icmp: {}}} and {@code {tcp: {port: N}}}. */
final class ProbesReader {
  private static final List<String> KINDS = List.of("icmp", "tcp");

  private ProbesReader() {}

  static Optional<List<ProbeSpec>> read(YamlValue value) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      value.problem("must list at least one probe, e.g. [ { icmp: {} } ]");
      return Optional.empty();
    }
    List<ProbeSpec> probes = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<ProbeSpec> probe = probe(item);
      if (probe.isPresent() && probes.contains(probe.get())) {
        item.problem("duplicate probe: the same probe is already listed for this line");
        ok = false;
      } else if (probe.isPresent()) {
        probes.add(probe.get());
      } else {
        ok = false;
      }
    }
    return ok ? Optional.of(probes) : Optional.empty();
  }

  private static Optional<ProbeSpec> probe(YamlValue item) {
    Optional<YamlMap> map = item.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get().allow(KINDS.toArray(String[]::new));
    long kinds = KINDS.stream().filter(m::has).count();
    if (kinds != 1) {
      if (m.keys().isEmpty() || kinds > 1) {
        item.problem("must hold exactly one probe kind: { icmp: {} } or { tcp: { port: N } }");
      }
      return Optional.empty();
    }
    if (m.has("icmp")) {
      YamlValue icmp = m.get("icmp").orElseThrow();
      if (isEmpty(icmp)) {
        return Optional.of(new ProbeSpec.Icmp());
      }
      Optional<YamlMap> options = icmp.map();
      options.ifPresent(o -> o.allow());
      return options.filter(o -> o.keys().isEmpty()).map(o -> new ProbeSpec.Icmp());
    }
    YamlValue tcp = m.get("tcp").orElseThrow();
    if (isEmpty(tcp)) {
      tcp.problem("needs a port: { tcp: { port: 443 } }");
      return Optional.empty();
    }
    return tcp.map()
        .map(o -> o.allow("port"))
        .flatMap(o -> o.required("port"))
        .flatMap(p -> p.integer(1, 65535))
        .map(ProbeSpec.Tcp::new);
  }

  /** {@code icmp:} in block style reads as null, {@code { icmp: }} in flow style as "". */
  private static boolean isEmpty(YamlValue value) {
    return value.isNull() || (value.node().isTextual() && value.node().textValue().isEmpty());
  }
}
