package io.haddns.agent.config;

import java.util.List;

/** A configuration file that cannot be used, with every problem found ({@code path: why}). */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid agent configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
