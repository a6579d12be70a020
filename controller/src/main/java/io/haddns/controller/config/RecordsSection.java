package io.haddns.controller.config;

import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code records} section and checks it against the lines and zones. */
final class RecordsSection {
  static final String FENCE_LABEL = "_haddns-fence";

  private final Map<String, Optional<LineAddress>> lines;
  private final Set<String> zones;
  private final Map<RecordKey, String> firstPath = new HashMap<>();

  /**
   * @param lines every line with a valid name, and its address source when valid
   * @param zones canonical names of the zones with a valid name
   */
  RecordsSection(Map<String, Optional<LineAddress>> lines, Set<String> zones) {
    this.lines = lines;
    this.zones = zones;
  }

  List<RecordConfig> read(YamlValue value) {
    List<RecordConfig> records = new ArrayList<>();
    for (YamlValue item : value.list().orElse(List.of())) {
      item.map().flatMap(this::record).ifPresent(records::add);
    }
    return records;
  }

  private Optional<RecordConfig> record(YamlMap m) {
    m.allow("name", "type", "ttl", "policy", "lines", "adopt");
    Optional<YamlValue> nameValue = m.required("name");
    Optional<String> name = nameValue.flatMap(RecordsSection::name);
    Optional<RecordType> type =
        m.get("type").map(RecordsSection::type).orElse(Optional.of(RecordType.A));
    Optional<Long> ttl =
        m.get("ttl")
            .map(v -> v.integer(0L, 2147483647L))
            .orElse(Optional.of(RecordConfig.DEFAULT_TTL));
    Optional<Policy> policy =
        m.get("policy").map(RecordsSection::policy).orElse(Optional.of(Policy.FAILOVER));
    Optional<String> zone = name.flatMap(n -> zone(nameValue.orElseThrow(), n));
    Optional<RecordKey> key = name.flatMap(n -> type.map(t -> new RecordKey(n, t)));
    if (key.isPresent()) {
      String first = firstPath.putIfAbsent(key.get(), nameValue.orElseThrow().path());
      if (first != null) {
        nameValue
            .orElseThrow()
            .problem("duplicate record " + key.get() + "; already defined at " + first);
        key = Optional.empty();
      }
    }
    Optional<List<String>> recordLines = m.required("lines").flatMap(v -> lines(v, type));
    Optional<Boolean> adopt = m.get("adopt").map(YamlValue::bool).orElse(Optional.of(false));
    if (key.isEmpty()
        || ttl.isEmpty()
        || policy.isEmpty()
        || zone.isEmpty()
        || recordLines.isEmpty()
        || adopt.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RecordConfig(
            key.get(), ttl.get(), policy.get(), recordLines.get(), zone.get(), adopt.get()));
  }

  private static Optional<String> name(YamlValue value) {
    Optional<String> written = value.string();
    Optional<String> problem = written.flatMap(n -> DnsNameSyntax.ownerNameProblem(n, true));
    problem.ifPresent(value::problem);
    return problem.isPresent() ? Optional.empty() : written.map(DnsNames::canonical);
  }

  private static Optional<RecordType> type(YamlValue value) {
    Optional<String> text = value.string();
    Optional<RecordType> type =
        text.flatMap(
            t -> {
              String upper = t.trim().toUpperCase(Locale.ROOT);
              return upper.equals("A") || upper.equals("AAAA")
                  ? Optional.of(RecordType.valueOf(upper))
                  : Optional.empty();
            });
    if (text.isPresent() && type.isEmpty()) {
      value.problem("unsupported record type; supported: A, AAAA");
    }
    return type;
  }

  private static Optional<Policy> policy(YamlValue value) {
    Optional<String> text = value.string();
    Optional<Policy> policy =
        text.flatMap(
            t ->
                switch (t.trim().toLowerCase(Locale.ROOT)) {
                  case "failover" -> Optional.of(Policy.FAILOVER);
                  case "multivalue" -> Optional.of(Policy.MULTIVALUE);
                  default -> Optional.empty();
                });
    if (text.isPresent() && policy.isEmpty()) {
      value.problem("unsupported policy; supported: failover, multivalue");
    }
    return policy;
  }

  /** The longest configured zone that contains {@code name}, after the fence check. */
  private Optional<String> zone(YamlValue value, String name) {
    if (zones.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> zone =
        zones.stream()
            .filter(z -> DnsNames.isInZone(name, z))
            .max(Comparator.comparingInt(String::length));
    if (zone.isEmpty()) {
      value.problem("is not inside any configured zone (zones: " + String.join(", ", zones) + ")");
      return Optional.empty();
    }
    for (String z : zones) {
      if (name.equals(FENCE_LABEL + "." + z)) {
        value.problem("is the fencing record haddns keeps in zone " + z + "; choose another name");
        return Optional.empty();
      }
    }
    return zone;
  }

  private Optional<List<String>> lines(YamlValue value, Optional<RecordType> type) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      value.problem("must list at least one line");
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<String> line = item.string();
      if (line.isEmpty()) {
        ok = false;
      } else if (!lines.containsKey(line.get())) {
        item.problem(
            KeySuggestion.closest(line.get(), lines.keySet())
                .map(s -> "unknown line; did you mean '" + s + "'?")
                .orElse("unknown line; configured lines: " + String.join(", ", lines.keySet())));
        ok = false;
      } else if (!names.add(line.get())) {
        item.problem("line listed twice");
        ok = false;
      } else if (type.isPresent() && !hasAddressOfType(line.get(), type.get())) {
        item.problem(
            "line '"
                + line.get()
                + "' has static addresses but no "
                + (type.get() == RecordType.A ? "IPv4" : "IPv6")
                + " address for this "
                + type.get()
                + " record");
        ok = false;
      }
    }
    return ok ? Optional.of(List.copyOf(names)) : Optional.empty();
  }

  private boolean hasAddressOfType(String line, RecordType type) {
    return switch (lines.get(line).orElse(null)) {
      case LineAddress.Static s -> s.addresses().stream().anyMatch(type::accepts);
      case LineAddress.Agent a -> true;
      case null -> true;
    };
  }
}
