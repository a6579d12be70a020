package io.haddns.controller.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was rejected; {@link #problems()} lists every problem found. */
public final class ConfigException extends Exception {
  private final List<ConfigProblem> problems;

  public ConfigException(String source, List<ConfigProblem> problems) {
    super(
        source
            + ": "
            + problems.size()
            + " problem(s)\n  "
            + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
