package io.haddns.controller.config;

import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes read from a file or an environment variable. Never printed: {@link #toString()}
 * names only where it came from.
 */
public final class Secret {
  private final byte[] value;
  private final String source;

  public Secret(byte[] value, String source) {
    this.value = Objects.requireNonNull(value, "value").clone();
    this.source = Objects.requireNonNull(source, "source");
  }

  public byte[] value() {
    return value.clone();
  }

  /** Where the secret was read from, e.g. {@code file /run/secrets/tsig}; safe to log. */
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Secret[" + source + "]";
  }
}
