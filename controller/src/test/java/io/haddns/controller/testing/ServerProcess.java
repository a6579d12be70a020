package io.haddns.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process a test or benchmark runs (BIND, Knot, PowerDNS): its output appended to a log
 * file, a JVM shutdown hook that kills it should the test JVM die first (so no server outlives the
 * run), {@link #start} returning only once a readiness check passes, and {@link #close()} stopping
 * it with SIGTERM, then SIGKILL after 10 s. The DNS-server fixtures wrap one of these each, and
 * {@link ControllerProcess} its controller.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  /** Whether the server serves yet; false (or an exception) means ask again. */
  @FunctionalInterface
  public interface Readiness {
    boolean ready() throws IOException;
  }

  private final String name;
  private final Process process;
  private final Thread killOnExit;

  private ServerProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, name + "-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Runs {@code command} in {@code dir}, stdout and stderr appended to {@code logs.get(0)}, and
   * waits up to {@code startup} for {@code ready}. When the process exits first, or is not ready in
   * time, it is stopped and the IOException holds the last lines of every file of {@code logs} (the
   * output, then the server's own log files).
   */
  public static ServerProcess start(
      String name,
      List<String> command,
      Path dir,
      List<Path> logs,
      Duration startup,
      Readiness ready)
      throws IOException {
    ServerProcess server =
        spawn(
            name,
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.get(0).toFile())));
    try {
      server.awaitReady(startup, ready, logs);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Starts {@code pb} as it is, with the kill-on-exit hook, and returns at once. */
  public static ServerProcess spawn(String name, ProcessBuilder pb) throws IOException {
    return new ServerProcess(name, pb.start());
  }

  private void awaitReady(Duration startup, Readiness ready, List<Path> logs) throws IOException {
    long deadline = System.nanoTime() + startup.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + ":\n" + tails(logs));
      }
      try {
        if (ready.ready()) {
          return;
        }
      } catch (IOException e) {
        // not serving yet: ask again
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + name, e);
      }
    }
    throw new IOException(name + " was not ready within " + startup + ":\n" + tails(logs));
  }

  private static String tails(List<Path> logs) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Path log : logs) {
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        b.append("---- ").append(log.getFileName()).append(" (tail) ----\n");
        b.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        b.append('\n');
      }
    }
    return b.toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** The process itself, for signals and its exit code. */
  public Process process() {
    return process;
  }

  /** SIGTERM, SIGKILL if the process has not exited after 10 s; returns once it is gone. */
  @Override
  public void close() {
    stop(CLOSE_GRACE);
  }

  /**
   * SIGTERM and up to {@code grace} to exit (none: SIGKILL at once), then SIGKILL; returns once the
   * process is gone (at most 10 s after the SIGKILL).
   */
  public void stop(Duration grace) {
    try {
      if (!grace.isZero()) {
        process.destroy();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and runs the hook itself.
      process.destroyForcibly();
    }
  }
}
