package io.haddns.controller.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found while reading one configuration, in the order found. */
final class Problems {
  private final List<ConfigProblem> problems = new ArrayList<>();

  void add(String path, String value, String reason) {
    problems.add(new ConfigProblem(path, value, reason));
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<ConfigProblem> list() {
    return List.copyOf(problems);
  }
}
