package io.haddns.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code java -jar haddns.jar controller} process, with the JVM flags given, and what {@code
 * /proc} and {@code jstat} say about its memory.
 */
final class ControllerProcess implements AutoCloseable {
  private final Process process;
  private final Thread killOnExit;

  private ControllerProcess(Process process) {
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, "bench-controller-kill");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts the jar with the same {@code java} as this JVM; output goes to {@code log}. */
  static ControllerProcess start(
      Path jar, List<String> jvmFlags, Path config, String nodeId, int httpPort, Path log)
      throws IOException {
    return start(jar, jvmFlags, config, nodeId, httpPort, log, List.of());
  }

  /** As above, with more {@code controller} options, e.g. {@code --dns-port 5353}. */
  static ControllerProcess start(
      Path jar,
      List<String> jvmFlags,
      Path config,
      String nodeId,
      int httpPort,
      Path log,
      List<String> moreArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary().toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "controller",
            "--config",
            config.toString(),
            "--node-id",
            nodeId,
            "--http-host",
            "127.0.0.1",
            "--http-port",
            String.valueOf(httpPort)));
    cmd.addAll(moreArgs);
    return new ControllerProcess(
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start());
  }

  static Path javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** A field of {@code /proc/<pid>/status} in KiB, e.g. {@code VmRSS} or {@code VmHWM}. */
  long procStatusKib(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (l.startsWith(field + ":")) {
        return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(field + " not in /proc/" + pid() + "/status");
  }

  /** {@code jstat -gc} columns (KiB for sizes), e.g. {@code EU}, {@code OU}, {@code MU}. */
  Map<String, Double> jstatGc() throws IOException, InterruptedException {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    Process p = new ProcessBuilder(jstat.toString(), "-gc", String.valueOf(pid())).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jstat -gc failed: " + out);
    }
    String[] lines = out.split("\n");
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[1].trim().split("\\s+");
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i].equals("-") ? 0 : Double.parseDouble(values[i]));
    }
    return m;
  }

  /** SIGKILL: the JVM dies at once, its ZooKeeper session is left to expire. */
  void kill() {
    process.destroyForcibly();
  }

  /** SIGSTOP: every thread stops where it is, until {@link #resume()}. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: the frozen process carries on, its timers overdue. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM: haddns' shutdown hook stops the node gracefully. */
  void terminate() {
    process.destroy();
  }

  /** Waits up to {@code seconds} for the process to exit; whether it did. */
  boolean awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      process.destroyForcibly();
    }
  }
}
