package io.haddns.controller.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One value of the YAML tree and its path. Typed reads report a problem and return empty instead of
 * throwing, so that one pass finds every problem.
 */
final class YamlValue {
  private final String path;
  private final JsonNode node;
  private final Problems problems;

  YamlValue(String path, JsonNode node, Problems problems) {
    this.path = path;
    this.node = node;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  JsonNode node() {
    return node;
  }

  Problems problems() {
    return problems;
  }

  boolean isNull() {
    return node.isNull() || node.isMissingNode();
  }

  /** The value as written, for reports; empty for null, mappings and lists. */
  String written() {
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
  }

  void problem(String reason) {
    problems.add(path, written(), reason);
  }

  /** Reports without echoing the value, for values that might be secrets. */
  void problemHidingValue(String reason) {
    problems.add(path, "", reason);
  }

  Optional<String> string() {
    if (node.isTextual()) {
      return Optional.of(node.textValue());
    }
    problem(typeError("a string"));
    return Optional.empty();
  }

  /**
   * {@code true} or {@code false}; YAML 1.1 spellings such as {@code yes} are not booleans here.
   */
  Optional<Boolean> bool() {
    if (node.isBoolean()) {
      return Optional.of(node.booleanValue());
    }
    problem(typeError("true or false"));
    return Optional.empty();
  }

  Optional<Long> integer(long min, long max) {
    if (!node.isIntegralNumber()) {
      problem(node.isNumber() ? "must be a whole number" : typeError("an integer"));
      return Optional.empty();
    }
    if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
      problem("must be between " + min + " and " + max);
      return Optional.empty();
    }
    return Optional.of(node.longValue());
  }

  Optional<Integer> integer(int min, int max) {
    return integer((long) min, (long) max).map(Long::intValue);
  }

  /** A duration of at least {@code min}. */
  Optional<Duration> duration(Duration min) {
    return duration(min, Optional.empty());
  }

  /** A duration of at least {@code min} and at most {@code max}. */
  Optional<Duration> duration(Duration min, Duration max) {
    return duration(min, Optional.of(max));
  }

  private Optional<Duration> duration(Duration min, Optional<Duration> max) {
    if (node.isNumber()) {
      problem("needs a unit: write e.g. " + written() + "s or " + written() + "ms");
      return Optional.empty();
    }
    Optional<String> text = string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = DurationSyntax.parse(text.get());
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return Optional.empty();
    }
    if (d.compareTo(min) < 0 || max.map(m -> d.compareTo(m) > 0).orElse(false)) {
      problem(
          max.map(
                  m ->
                      "must be between "
                          + DurationSyntax.format(min)
                          + " and "
                          + DurationSyntax.format(m))
              .orElse("must be at least " + DurationSyntax.format(min)));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  Optional<YamlMap> map() {
    if (node instanceof ObjectNode object) {
      return Optional.of(new YamlMap(path, object, problems));
    }
    problem(typeError("a mapping (key: value)"));
    return Optional.empty();
  }

  Optional<List<YamlValue>> list() {
    if (!node.isArray()) {
      problem(typeError("a list"));
      return Optional.empty();
    }
    List<YamlValue> items = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      items.add(new YamlValue(path + "[" + i + "]", node.get(i), problems));
    }
    return Optional.of(items);
  }

  private String typeError(String expected) {
    if (isNull()) {
      return "has no value; expected " + expected;
    }
    if (node.isBoolean()) {
      return "must be "
          + expected
          + ", not a boolean (YAML reads unquoted yes/no/on/off/true/false as booleans: quote it)";
    }
    if (node.isTextual()) {
      return "must be " + expected + ", not a string" + quotedHint(expected, node.asText());
    }
    if (node.isNumber()) {
      return "must be "
          + expected
          + ", not a number"
          + (expected.equals("a string") ? ": quote it" : "");
    }
    return "must be " + expected + ", not " + (node.isArray() ? "a list" : "a mapping");
  }

  /**
   * Advice for a string where another type was expected: "remove the quotes" only when the text
   * without quotes would be that type ({@code '443'} for an integer); for other text ({@code fall:
   * three}) the value itself is wrong, and the text is not repeated (it may be a misplaced secret).
   */
  private static String quotedHint(String expected, String text) {
    String t = text.strip();
    boolean wouldFit =
        switch (expected) {
          case "an integer" -> t.matches("[-+]?\\d+");
          case "true or false" -> t.equals("true") || t.equals("false");
          default -> false;
        };
    if (wouldFit) {
      return " (remove the quotes)";
    }
    return expected.equals("an integer") ? " (write it in digits)" : "";
  }
}
