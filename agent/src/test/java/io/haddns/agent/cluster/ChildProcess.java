package io.haddns.agent.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by the test ({@code java <flags> -jar JAR args}), its stdout and stderr appended to
 * {@code <name>.stdout} / {@code <name>.log}. {@link #kill} is SIGKILL of the process and every
 * descendant (the agent's detector commands); a shutdown hook does the same should the test JVM die
 * first.
 */
final class ChildProcess implements AutoCloseable {
  private static final List<String> JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx192m", "-Xss512k");

  private final String name;
  private final Path log;
  private final Path stdout;
  private final Process process;
  private final Thread killOnExit;

  private ChildProcess(String name, Path log, Path stdout, Process process, Thread killOnExit) {
    this.name = name;
    this.log = log;
    this.stdout = stdout;
    this.process = process;
    this.killOnExit = killOnExit;
  }

  static ChildProcess start(String name, Path jar, Path dir, List<String> args) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar.toAbsolutePath() + " is missing: build it first (mvn package)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    Path log = dir.resolve(name + ".log");
    Path stdout = dir.resolve(name + ".stdout");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Thread hook = new Thread(() -> killTree(p.toHandle()), name + "-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    return new ChildProcess(name, log, stdout, p, hook);
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process logged so far (both haddns programs log to stderr). */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  String logTail(int lines) {
    List<String> all = log().lines().toList();
    String out = String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    String std = "";
    try {
      std = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      std = "(stdout unreadable: " + e + ")";
    }
    return "---- " + name + " (last " + lines + " log lines) ----\n" + out + "\n" + std;
  }

  /** SIGKILL of the process and its descendants; waits until the process is gone. */
  void kill() {
    killTree(process.toHandle());
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void killTree(ProcessHandle root) {
    // Descendants first: once the root is gone its children are re-parented and harder to find.
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // The test JVM is shutting down; the hook runs by itself.
      killTree(process.toHandle());
    }
  }
}
