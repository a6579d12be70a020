package io.haddns.agent.metrics;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample's value out of Prometheus text exposition, labels in any order. */
public final class Scrape {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  private Scrape() {}

  /** The sample named {@code name} with exactly {@code labels}, if exposed. */
  public static Optional<Double> value(String text, String name, Map<String, String> labels) {
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          found.put(l.group(1), l.group(2));
        }
      }
      if (found.equals(new TreeMap<>(labels))) {
        return Optional.of(Double.parseDouble(m.group(3)));
      }
    }
    return Optional.empty();
  }
}
