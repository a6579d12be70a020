package io.haddns.controller.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code haddns controller} running as a separate JVM ({@code java -jar haddns.jar}), its
 * stdout and stderr captured to {@code <id>.stdout} / {@code <id>.stderr} in the work directory.
 * {@link #start} returns once the admin API answers; a JVM shutdown hook kills the process should
 * the test JVM die first, so no controller outlives the test run.
 *
 * <p>Benchmarks start theirs with {@link #launch}: their own JVM flags, one log file, no wait, and
 * a graceful {@link #close()}; {@link #procStatusKib} and {@link #jstatGc} read its memory.
 */
public final class ControllerProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  /** How long a benchmark's node may take to stop on SIGTERM before it is killed. */
  private static final Duration BENCH_CLOSE_GRACE = Duration.ofSeconds(20);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String nodeId;
  private final String httpHost;
  private final int httpPort;
  private final Path stdout;
  private final Path stderr;
  private final ServerProcess server;
  private final Process process;
  private final Duration closeGrace;
  private volatile String token = "";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private ControllerProcess(
      String nodeId,
      String httpHost,
      int httpPort,
      Path stdout,
      Path stderr,
      ServerProcess server,
      Duration closeGrace) {
    this.nodeId = nodeId;
    this.httpHost = httpHost;
    this.httpPort = httpPort;
    this.stdout = stdout;
    this.stderr = stderr;
    this.server = server;
    this.process = server.process();
    this.closeGrace = closeGrace;
  }

  /**
   * Starts {@code haddns controller --config config --node-id nodeId --http-host 127.0.0.1
   * --http-port httpPort --dns-source-address dnsSource} with {@code env} added to the inherited
   * environment, and waits until {@code /healthz} answers.
   *
   * @throws IOException when the process exits or does not answer within 30 s; the message holds
   *     the tail of its log
   */
  public static ControllerProcess start(
      HaddnsJar jar,
      Path dir,
      Path config,
      String nodeId,
      int httpPort,
      String dnsSource,
      Map<String, String> env)
      throws IOException {
    return start(jar, dir, config, nodeId, httpPort, dnsSource, env, List.of());
  }

  /**
   * As {@link #start(HaddnsJar, Path, Path, String, int, String, Map)}, with {@code wrapper} (e.g.
   * {@code prlimit --nofile=300:300 --}) in front of the java command.
   */
  public static ControllerProcess start(
      HaddnsJar jar,
      Path dir,
      Path config,
      String nodeId,
      int httpPort,
      String dnsSource,
      Map<String, String> env,
      List<String> wrapper)
      throws IOException {
    return start(jar, dir, config, nodeId, "127.0.0.1", httpPort, dnsSource, env, wrapper);
  }

  /**
   * As {@link #start(HaddnsJar, Path, Path, String, int, String, Map, List)}, with the admin API
   * bound to {@code httpHost} instead of 127.0.0.1 (and {@link #endpoint()} there), e.g. the
   * address of a network namespace the wrapper runs the node in.
   */
  public static ControllerProcess start(
      HaddnsJar jar,
      Path dir,
      Path config,
      String nodeId,
      String httpHost,
      int httpPort,
      String dnsSource,
      Map<String, String> env,
      List<String> wrapper)
      throws IOException {
    Path out = dir.resolve(nodeId + ".stdout");
    Path err = dir.resolve(nodeId + ".stderr");
    List<String> args = controllerArgs(config, nodeId, httpHost, httpPort);
    args.addAll(List.of("--dns-source-address", dnsSource));
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(jar.command(args.toArray(String[]::new)));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(env);
    ControllerProcess cp = spawn(pb, nodeId, httpHost, httpPort, out, err, Duration.ZERO);
    try {
      cp.awaitAdminApi();
      return cp;
    } catch (IOException | RuntimeException e) {
      cp.close();
      throw e;
    }
  }

  /**
   * Starts {@code java <jvmFlags> -jar jar controller --config config --node-id nodeId --http-host
   * 127.0.0.1 --http-port httpPort <moreArgs>} with the same {@code java} as this JVM, stdout and
   * stderr both appended to {@code log}, and returns at once (a benchmark times start-up itself).
   * The JVM flags are the caller's alone: {@link HaddnsJar}'s start-up flags would skew what a
   * benchmark measures. {@link #close()} sends SIGTERM and kills the node only if it has not exited
   * within 20 s.
   */
  public static ControllerProcess launch(
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
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(controllerArgs(config, nodeId, "127.0.0.1", httpPort));
    cmd.addAll(moreArgs);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return spawn(pb, nodeId, "127.0.0.1", httpPort, log, log, BENCH_CLOSE_GRACE);
  }

  private static List<String> controllerArgs(
      Path config, String nodeId, String httpHost, int httpPort) {
    return new ArrayList<>(
        List.of(
            "controller",
            "--config",
            config.toString(),
            "--node-id",
            nodeId,
            "--http-host",
            httpHost,
            "--http-port",
            Integer.toString(httpPort)));
  }

  private static ControllerProcess spawn(
      ProcessBuilder pb,
      String nodeId,
      String httpHost,
      int httpPort,
      Path out,
      Path err,
      Duration closeGrace)
      throws IOException {
    ServerProcess server = ServerProcess.spawn(nodeId, pb);
    return new ControllerProcess(nodeId, httpHost, httpPort, out, err, server, closeGrace);
  }

  /** The {@code java} launcher of this JVM, which runs every node too. */
  public static Path javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private void awaitAdminApi() throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            nodeId + " exited with " + process.exitValue() + " while starting:\n" + logTail(40));
      }
      if (get("/healthz").map(r -> r.statusCode() == 200).orElse(false)) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + nodeId, e);
      }
    }
    throw new IOException(
        nodeId + " did not answer /healthz within " + STARTUP + ":\n" + logTail(40));
  }

  /** The response, or empty when the node does not answer (not listening yet, or gone). */
  /**
   * Sends {@code token} with every later call of this object (status and the like): needed once the
   * configuration has operator credentials.
   */
  public void authenticateAs(String token) {
    this.token = token;
  }

  private Optional<HttpResponse<String>> get(String path) throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(endpoint() + path)).timeout(Duration.ofSeconds(2)).GET();
    String bearer = token;
    if (!bearer.isEmpty()) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    HttpRequest req = builder.build();
    try {
      return Optional.of(http.send(req, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + nodeId + path, e);
    }
  }

  public String nodeId() {
    return nodeId;
  }

  public int httpPort() {
    return httpPort;
  }

  /** {@code http://<http host>:<port>}, as {@code ctl --endpoint} takes it. */
  public String endpoint() {
    return "http://" + httpHost + ":" + httpPort;
  }

  /** This node's {@code /api/v1/status}. */
  public ClusterStatus status() throws IOException {
    HttpResponse<String> res =
        get("/api/v1/status").orElseThrow(() -> new IOException(nodeId + " does not answer"));
    if (res.statusCode() != 200) {
      throw new IOException(nodeId + " status answered HTTP " + res.statusCode());
    }
    return JSON.readValue(res.body(), ClusterStatus.class);
  }

  /** Whether the node answers and says it leads; false when it does not answer at all. */
  public boolean saysLeading() {
    try {
      return isAlive() && status().leading();
    } catch (IOException e) {
      return false;
    }
  }

  /** The process id, e.g. to read its {@code /proc/<pid>} entries. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** A field of {@code /proc/<pid>/status} in KiB, e.g. {@code VmRSS} or {@code VmHWM}. */
  public long procStatusKib(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (l.startsWith(field + ":")) {
        return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(field + " not in /proc/" + pid() + "/status");
  }

  /** {@code jstat -gc} columns (KiB for sizes), e.g. {@code EU}, {@code OU}, {@code MU}. */
  public Map<String, Double> jstatGc() throws IOException, InterruptedException {
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

  /** SIGKILL: the process dies at once, its ZooKeeper session is left to expire. */
  public void kill() {
    process.destroyForcibly();
  }

  /**
   * SIGSTOP: every thread stops where it is (ZooKeeper heartbeats, timers, probes) without the
   * process noticing, until {@link #resume()}; monotonic time keeps running meanwhile.
   */
  public void freeze() throws IOException {
    signal("STOP");
  }

  /** SIGCONT: the frozen process carries on as if no time had passed, overdue timers first. */
  public void resume() throws IOException {
    signal("CONT");
  }

  private void signal(String name) throws IOException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    try {
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IOException("kill -" + name + " " + process.pid() + " failed for " + nodeId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling " + nodeId, e);
    }
  }

  /** SIGTERM: the JVM runs haddns' shutdown hook, which stops the node gracefully. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit and returns its exit code. */
  public int awaitExit(Duration timeout) throws IOException {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(nodeId + " still running after " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + nodeId + " to exit", e);
    }
  }

  /** Everything the node logged so far (haddns logs to stderr). */
  public String log() throws IOException {
    return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
  }

  /** The last {@code n} lines of stdout and stderr, labelled. */
  public String logTail(int n) throws IOException {
    return "---- "
        + nodeId
        + " stdout (tail) ----\n"
        + tail(stdout, n)
        + "---- "
        + nodeId
        + " stderr (tail) ----\n"
        + tail(stderr, n);
  }

  private static String tail(Path file, int n) throws IOException {
    if (!Files.exists(file)) {
      return "(none)\n";
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
    return last.isEmpty() ? "(empty)\n" : String.join("\n", last) + "\n";
  }

  /**
   * Kills the process if it still runs and waits for it to be gone; a node started by {@link
   * #launch} first gets SIGTERM and 20 s to stop gracefully.
   */
  @Override
  public void close() {
    server.stop(closeGrace);
    http.close();
  }
}
