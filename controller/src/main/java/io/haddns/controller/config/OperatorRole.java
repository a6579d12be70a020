package io.haddns.controller.config;

import java.util.Locale;
import java.util.Optional;

/**
 * What an operator credential may do on the admin API, each role including the ones before it:
 * {@code viewer} reads, {@code operator} also overrides lines, pauses zones, runs drills and steps
 * the leader down, {@code admin} may do everything.
 */
public enum OperatorRole {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether this role includes {@code required}. */
  public boolean allows(OperatorRole required) {
    return compareTo(required) >= 0;
  }

  /** The name used in the configuration and in answers ({@code viewer}, …). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<OperatorRole> parse(String label) {
    for (OperatorRole r : values()) {
      if (r.label().equals(label)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
