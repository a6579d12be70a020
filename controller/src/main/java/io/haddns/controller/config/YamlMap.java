package io.haddns.controller.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A YAML mapping being read: typed access to its keys and reports of keys nobody asked for. */
final class YamlMap {
  private final String path;
  private final ObjectNode node;
  private final Problems problems;
  private final Set<String> refused = new HashSet<>();

  YamlMap(String path, ObjectNode node, Problems problems) {
    this.path = path;
    this.node = node;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return node.has(key);
  }

  Set<String> keys() {
    Set<String> keys = new HashSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** Reports {@code key}, when present, with a reason of its own instead of "unknown key". */
  YamlMap refuse(String key, String reason) {
    if (node.has(key)) {
      problems.add(pathOf(key), "", reason);
    }
    refused.add(key);
    return this;
  }

  /** Reports every key other than {@code known} (and refused ones), suggesting the closest. */
  YamlMap allow(String... known) {
    List<String> knownKeys = List.of(known);
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!knownKeys.contains(key) && !refused.contains(key)) {
                // Never echo the value of an unknown key: it might be a misplaced secret.
                problems.add(
                    pathOf(key),
                    "",
                    KeySuggestion.closest(key, knownKeys)
                        .map(s -> "unknown key; did you mean '" + s + "'?")
                        .orElse(
                            knownKeys.isEmpty()
                                ? "unknown key; this mapping takes no keys"
                                : "unknown key; allowed here: " + String.join(", ", knownKeys)));
              }
            });
    return this;
  }

  Optional<YamlValue> get(String key) {
    return node.has(key)
        ? Optional.of(new YamlValue(pathOf(key), node.get(key), problems))
        : Optional.empty();
  }

  /** Reports {@code key} as missing with a reason of its own. */
  void missing(String key, String reason) {
    problems.add(pathOf(key), "", reason);
  }

  Optional<YamlValue> required(String key) {
    if (!node.has(key)) {
      problems.add(pathOf(key), "", "is required");
      return Optional.empty();
    }
    return get(key);
  }
}
