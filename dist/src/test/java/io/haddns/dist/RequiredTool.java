package io.haddns.dist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * External programs the deployment checks need. When one is missing the test is skipped on a
 * developer machine but fails when {@code HADDNS_REQUIRE_ALL} is set, as in CI.
 */
final class RequiredTool {
  private RequiredTool() {}

  /**
   * The {@code helm} program: {@code $HADDNS_HELM}, then {@code ~/.cache/haddns/helm/helm} (where
   * {@code .ci/install-helm} puts it), then {@code PATH}.
   */
  static Path helm() {
    Optional<Path> found = findHelm();
    if (found.isEmpty()) {
      missing("helm ($HADDNS_HELM, ~/.cache/haddns/helm/helm, PATH; run .ci/install-helm)");
    }
    return found.orElseThrow();
  }

  /** An executable at a fixed path, e.g. {@code /usr/bin/promtool}. */
  static Path at(Path program, String debianPackage) {
    if (!Files.isExecutable(program)) {
      missing(program + " (Debian package '" + debianPackage + "')");
    }
    return program;
  }

  /**
   * A container engine Testcontainers can drive: Docker, or Podman's Docker-compatible API ({@code
   * DOCKER_HOST=unix:///run/podman/podman.sock}, deploy/README.md, "Container-level tests").
   */
  static void containerEngine() {
    String reason;
    try {
      org.testcontainers.DockerClientFactory.instance().client();
      return;
    } catch (RuntimeException e) {
      reason = e.getMessage();
    }
    String dockerHost = System.getenv("DOCKER_HOST");
    missing(
        "a container engine (Docker, or Podman's Docker API with"
            + " DOCKER_HOST=unix:///run/podman/podman.sock; deploy/README.md; DOCKER_HOST is "
            + (dockerHost == null ? "unset" : dockerHost)
            + ": "
            + reason
            + ")");
  }

  private static void missing(String what) {
    String msg = what + " not found";
    if (requireAll()) {
      throw new AssertionError(msg + " (HADDNS_REQUIRE_ALL is set, so this is a failure)");
    }
    assumeTrue(false, msg);
  }

  private static Optional<Path> findHelm() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("HADDNS_HELM");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path cacheDir =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache");
    candidates.add(cacheDir.resolve("haddns/helm/helm"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "helm"));
        }
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static boolean requireAll() {
    return isTrue(System.getenv("HADDNS_REQUIRE_ALL"))
        || isTrue(System.getProperty("haddns.requireAll"));
  }

  private static boolean isTrue(String v) {
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }
}
