package io.haddns.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The shaded {@code haddns.jar} built in the {@code package} phase, run with the JDK that runs the
 * tests. When the jar is missing (a test started from an IDE without {@code mvn package}) the test
 * is skipped, or fails under {@code HADDNS_REQUIRE_ALL}.
 *
 * <pre>{@code
 * HaddnsJar jar = HaddnsJar.require();
 * HaddnsJar.Result r = jar.run(workDir, Duration.ofSeconds(20), "ctl", "status", "--endpoint", url);
 * }</pre>
 */
public final class HaddnsJar {
  /** Where failsafe finds the jar: its working directory is the module's base directory. */
  private static final List<Path> CANDIDATES =
      List.of(Path.of("target", "haddns.jar"), Path.of("controller", "target", "haddns.jar"));

  /**
   * Flags that make a short-lived test JVM start faster and use less of a 2-core machine: C1 only,
   * the serial collector, a small heap. They do not change what haddns does.
   */
  private static final List<String> JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k");

  private final Path jar;

  private HaddnsJar(Path jar) {
    this.jar = jar;
  }

  /** The jar from {@code -Dhaddns.jar=…}, else {@code target/haddns.jar}. */
  public static HaddnsJar require() {
    Optional<Path> found =
        Optional.ofNullable(System.getProperty("haddns.jar"))
            .map(Path::of)
            .or(() -> CANDIDATES.stream().filter(Files::isRegularFile).findFirst());
    RequiredBinary.requireCondition(
        found.isPresent() && Files.isRegularFile(found.get()),
        "haddns.jar not found (run 'mvn package' first); looked at " + CANDIDATES);
    return new HaddnsJar(found.get().toAbsolutePath());
  }

  public Path path() {
    return jar;
  }

  /** {@code <java.home>/bin/java <flags> -jar haddns.jar <args>}. */
  public List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_FLAGS);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** What a one-shot command printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs a one-shot command (e.g. {@code ctl status}) to completion; its output goes through files
   * in {@code dir}, so a chatty command can never block on a full pipe.
   */
  public Result run(Path dir, Duration timeout, String... args) throws IOException {
    return run(dir, timeout, List.of(), args);
  }

  /**
   * Like {@link #run(Path, Duration, String...)}, with {@code wrapper} (e.g. {@code setpriv …}) in
   * front of the java command.
   */
  public Result run(Path dir, Duration timeout, List<String> wrapper, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.addAll(command(args));
    Path out = Files.createTempFile(dir, "cli-", ".stdout");
    Path err = Files.createTempFile(dir, "cli-", ".stderr");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IOException("haddns " + String.join(" ", args) + " ran longer than " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running haddns " + String.join(" ", args), e);
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
