package io.haddns.controller.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How urgent a notification is; routes send those at or above their minimum. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Severity> fromLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
  }
}
