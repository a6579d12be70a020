package io.haddns.controller.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param path field path such as {@code lines[1].probes[0].tcp.port}
 * @param value the offending value as written (never a secret), or empty
 */
public record ConfigProblem(String path, String value, String reason) {
  @Override
  public String toString() {
    return value.isEmpty() ? path + ": " + reason : path + ": " + reason + " (was '" + value + "')";
  }
}
