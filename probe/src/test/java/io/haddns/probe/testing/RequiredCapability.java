package io.haddns.probe.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Guards integration tests that need root, a binary or a kernel feature: skipped on a developer
 * machine, failed when {@code HADDNS_REQUIRE_ALL} is set (as CI does), so that a green CI run never
 * hides a test that did not run. Same semantics as the controller's {@code RequiredBinary}.
 */
public final class RequiredCapability {
  private static final List<String> SEARCH =
      List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");

  private RequiredCapability() {}

  public static boolean requireAll() {
    return isTrue(System.getenv("HADDNS_REQUIRE_ALL"))
        || isTrue(System.getProperty("haddns.requireAll"));
  }

  private static boolean isTrue(String v) {
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** Skips (or fails under CI) unless the condition holds. */
  public static void require(boolean condition, String what) {
    if (!condition) {
      if (requireAll()) {
        throw new AssertionError(what + " (HADDNS_REQUIRE_ALL is set, so this is a failure)");
      }
      assumeTrue(false, what);
    }
  }

  /** Root, needed for network namespaces, raw sockets and sysctls. */
  public static void requireRoot() {
    require("root".equals(System.getProperty("user.name")), "needs root");
  }

  /** Returns the program's path; skips (or fails under CI) when it is missing. */
  public static Path requireBinary(String name, String debianPackage) {
    Path found =
        SEARCH.stream()
            .map(d -> Path.of(d, name))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    require(found != null, name + " not found: install the Debian package '" + debianPackage + "'");
    return found;
  }
}
