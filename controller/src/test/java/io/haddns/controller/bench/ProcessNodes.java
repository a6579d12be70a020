package io.haddns.controller.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Controller nodes as {@code java -jar haddns.jar controller} processes sharing one configuration
 * file, each node restartable under its id; node {@code i} is {@code node-(i+1)}, logging to {@code
 * node-(i+1).log}. Leadership is read from each node's {@code /api/v1/status}.
 */
final class ProcessNodes implements AutoCloseable {
  static final String ZONE = "example.test";
  static final String RECORD = "app.example.test";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path jar;
  private final List<String> jvmFlags;
  private final Path config;
  private final Path dir;
  private final ControllerProcess[] processes;
  private final int[] httpPorts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private ProcessNodes(Path jar, List<String> jvmFlags, Path config, Path dir, int size) {
    this.jar = jar;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.config = config;
    this.dir = dir;
    this.processes = new ControllerProcess[size];
    this.httpPorts = new int[size];
  }

  /** Starts {@code size} nodes at once; they join the election as they come up. */
  static ProcessNodes start(Path jar, List<String> jvmFlags, Path config, Path dir, int size)
      throws IOException, InterruptedException {
    ProcessNodes n = new ProcessNodes(jar, jvmFlags, config, dir, size);
    try {
      for (int i = 0; i < size; i++) {
        n.launch(i);
      }
      return n;
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  static String nodeId(int i) {
    return "node-" + (i + 1);
  }

  private void launch(int i) throws IOException {
    httpPorts[i] = FreePorts.tcpAndUdp(InetAddress.getByName("127.0.0.1"));
    processes[i] =
        ControllerProcess.launch(
            jar,
            jvmFlags,
            config,
            nodeId(i),
            httpPorts[i],
            dir.resolve(nodeId(i) + ".log"),
            List.of());
  }

  ControllerProcess process(int i) {
    return processes[i];
  }

  /** Starts node {@code i} again (its previous process must have exited). */
  void restart(int i) throws IOException, InterruptedException {
    processes[i].close();
    launch(i);
  }

  /** The node's status, or empty while it does not answer. */
  Optional<ClusterStatus> status(int i) {
    if (!processes[i].isAlive()) {
      return Optional.empty();
    }
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + "/api/v1/status"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      return res.statusCode() == 200
          ? Optional.of(JSON.readValue(res.body(), ClusterStatus.class))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Waits until every node answers, exactly one says it leads, it sees all nodes as members, and
   * its epoch is what {@code fence} reads at the DNS server; returns that node's index.
   */
  int awaitSettledLeader(LongSupplier fence, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      List<ClusterStatus> all = new ArrayList<>();
      for (int i = 0; i < processes.length; i++) {
        status(i).ifPresent(all::add);
      }
      List<ClusterStatus> leading = all.stream().filter(ClusterStatus::leading).toList();
      if (all.size() == processes.length
          && leading.size() == 1
          && leading.get(0).members().size() == processes.length
          && leading.get(0).epoch() == fence.getAsLong()) {
        return Integer.parseInt(leading.get(0).node().substring("node-".length())) - 1;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no settled leader within " + atMost + logTails());
  }

  /** The last lines of every node's log, for a failure message. */
  String logTails() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < processes.length; i++) {
      Path log = dir.resolve(nodeId(i) + ".log");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        out.append("\n---- ").append(nodeId(i)).append(" ----\n");
        out.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      } catch (IOException e) {
        out.append("\n---- ").append(nodeId(i)).append(": log unreadable: ").append(e);
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (ControllerProcess p : processes) {
      if (p != null) {
        p.close();
      }
    }
    http.close();
  }
}
