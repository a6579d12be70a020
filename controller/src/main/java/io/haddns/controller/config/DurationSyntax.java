package io.haddns.controller.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the configuration: a whole number and a unit, {@code 500ms}. */
public final class DurationSyntax {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  private DurationSyntax() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with the reason, when it is not a positive duration
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      if (text.trim().matches("[0-9]+")) {
        throw new IllegalArgumentException(
            "needs a unit: write e.g. " + text.trim() + "s or " + text.trim() + "ms");
      }
      throw new IllegalArgumentException(
          "must be a whole number followed by ms, s, m or h (e.g. 500ms, 6s, 1m)");
    }
    long amount = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    if (d.isZero()) {
      throw new IllegalArgumentException("must be positive");
    }
    return d;
  }

  /** The shortest exact form: {@code 1500ms}, {@code 6s}, {@code 2m}, {@code 1h}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
