package io.haddns.controller.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds an external program a test needs. When it is missing the test is skipped on a developer
 * machine, but fails when {@code HADDNS_REQUIRE_ALL} is set (as {@code .ci/run} does), so that a
 * green CI run never hides a test that did not run.
 */
public final class RequiredBinary {
  private static final List<String> SEARCH =
      List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");

  private RequiredBinary() {}

  public static boolean requireAll() {
    String env = System.getenv("HADDNS_REQUIRE_ALL");
    String prop = System.getProperty("haddns.requireAll");
    return isTrue(env) || isTrue(prop);
  }

  private static boolean isTrue(String v) {
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  public static Optional<Path> find(String name) {
    return SEARCH.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }

  /** Returns the program's path; skips the test (or fails it under CI) when it is missing. */
  public static Path require(String name, String debianPackage) {
    Optional<Path> p = find(name);
    if (p.isEmpty()) {
      String msg = name + " not found: install the Debian package '" + debianPackage + "'";
      if (requireAll()) {
        throw new AssertionError(msg + " (HADDNS_REQUIRE_ALL is set, so this is a failure)");
      }
      assumeTrue(false, msg);
    }
    return p.get();
  }

  /** Skips (or fails under CI) unless the condition holds, e.g. running as root. */
  public static void requireCondition(boolean condition, String what) {
    if (!condition) {
      if (requireAll()) {
        throw new AssertionError(what + " (HADDNS_REQUIRE_ALL is set, so this is a failure)");
      }
      assumeTrue(false, what);
    }
  }
}
