package io.haddns.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.zookeeper.ZkSecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Three {@code haddns controller} processes on one ZooKeeper, each with its own data directory, an
 * admin HTTP port, an embedded DNS server for {@link #ZONE} and a TLS update gateway, all on
 * 127.0.0.1. One line, {@link #LINE}, gets its address from agent {@link #AGENT} and is probed by
 * ICMP echo; record {@link #RECORD} points at it. Node {@code i} is {@code node-(i+1)}.
 */
final class ControllerCluster implements AutoCloseable {
  static final String CLUSTER = "agent-it";
  static final String ZONE = "example.test";
  static final String RECORD = "office." + ZONE;
  static final String LINE = "office";
  static final String AGENT = "office-gw";

  /** Asked of ZooKeeper (200 ms tick): a killed leader is replaced about this long after. */
  static final String SESSION_TIMEOUT = "3s";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<ChildProcess> nodes = new ArrayList<>();
  private final int[] httpPorts;
  private final int[] dnsPorts;
  private final int[] gatewayPorts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private ControllerCluster(int size) {
    httpPorts = new int[size];
    dnsPorts = new int[size];
    gatewayPorts = new int[size];
  }

  /** Writes each node's file and starts the processes at once; returns when all answer. */
  static ControllerCluster start(
      Path jar, Path dir, String zookeeper, Path agentPublicKey, TestPki pki, int size)
      throws Exception {
    ControllerCluster c = new ControllerCluster(size);
    List<Path> configs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      c.httpPorts[i] = freeTcpPort();
      c.dnsPorts[i] = freeTcpAndUdpPort();
      c.gatewayPorts[i] = freeTcpPort();
      Path config = dir.resolve(nodeId(i) + ".yaml");
      Files.writeString(
          config,
          yaml(zookeeper, dir.resolve("data-" + nodeId(i)), agentPublicKey, pki),
          StandardCharsets.UTF_8);
      configs.add(config);
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(size)) {
      List<CompletableFuture<Void>> ready = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        c.nodes.add(
            ChildProcess.start(
                nodeId(i),
                jar,
                dir,
                List.of(
                    "controller",
                    "--config",
                    configs.get(i).toString(),
                    "--node-id",
                    nodeId(i),
                    "--http-host",
                    "127.0.0.1",
                    "--http-port",
                    Integer.toString(c.httpPorts[i]),
                    "--dns-host",
                    "127.0.0.1",
                    "--dns-port",
                    Integer.toString(c.dnsPorts[i]),
                    "--gateway-host",
                    "127.0.0.1",
                    "--gateway-port",
                    Integer.toString(c.gatewayPorts[i]))));
        int index = i;
        ready.add(CompletableFuture.runAsync(() -> c.awaitHealthy(index), pool));
      }
      for (CompletableFuture<Void> f : ready) {
        f.join();
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      if (e instanceof CompletionException && e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static String yaml(String zookeeper, Path dataDir, Path agentPublicKey, TestPki pki) {
    return """
        cluster:
          name: %s
          zookeeper: "%s"
          zookeeperAuth: %s
          sessionTimeout: %s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: %s
            address: { agent: %s }
            probes: [ { icmp: {} } ]
            interval: 200ms
            timeout: 150ms
            fall: 3
            rise: 1
        zones:
          - name: %s
            provider: { type: embedded }
        records:
          - { name: %s, type: A, ttl: 1, lines: [%s] }
        agents:
          - { id: %s, publicKeyFile: %s, lines: [%s], allowPrivate: true }
        node:
          gateway:
            tls: { certificateFile: %s, keyFile: %s }
        """
        .formatted(
            CLUSTER,
            zookeeper,
            zkSecret(dataDir.getParent()).clusterAuthYaml(),
            SESSION_TIMEOUT,
            dataDir,
            LINE,
            AGENT,
            ZONE,
            RECORD,
            LINE,
            AGENT,
            agentPublicKey,
            LINE,
            pki.serverCertificate(),
            pki.serverKey());
  }

  /** The digest secret the nodes authenticate to ZooKeeper with, shared through {@code dir}. */
  static ZkSecretFile zkSecret(Path dir) {
    ZkSecretFile file = new ZkSecretFile(dir.resolve("zk-digest.secret"), new SecureRandom());
    try {
      file.loadOrCreate();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static String nodeId(int i) {
    return "node-" + (i + 1);
  }

  int size() {
    return nodes.size();
  }

  ChildProcess node(int i) {
    return nodes.get(i);
  }

  /** The agent's base URL for node {@code i}'s gateway. */
  String gatewayUrl(int i) {
    return "https://127.0.0.1:" + gatewayPorts[i];
  }

  private void awaitHealthy(int i) {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (System.nanoTime() < deadline) {
      if (!nodes.get(i).isAlive()) {
        throw new IllegalStateException(
            nodeId(i) + " exited while starting:\n" + nodes.get(i).logTail(40));
      }
      if (get(i, "/healthz").isPresent()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + nodeId(i), e);
      }
    }
    throw new IllegalStateException(
        nodeId(i) + " did not answer /healthz in 40 s:\n" + nodes.get(i).logTail(40));
  }

  /** A 200 answer's body, or empty (not listening, dead, or another status). */
  private Optional<String> get(int i, String path) {
    if (!nodes.get(i).isAlive()) {
      return Optional.empty();
    }
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + path))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      return res.statusCode() == 200 ? Optional.of(res.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Node {@code i}'s {@code /api/v1/status}, or empty while it does not answer. */
  Optional<JsonNode> status(int i) {
    return get(i, "/api/v1/status")
        .map(
            body -> {
              try {
                return JSON.readTree(body);
              } catch (IOException e) {
                throw new IllegalStateException(nodeId(i) + " status is not JSON: " + body, e);
              }
            });
  }

  /**
   * The index of the one live node that says it leads and sees {@code members} members, if the live
   * nodes agree on that.
   */
  Optional<Integer> settledLeader(int members) {
    List<Integer> leading = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).isAlive()) {
        continue;
      }
      Optional<JsonNode> s = status(i);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      if (s.get().path("leading").asBoolean()) {
        if (s.get().path("members").size() != members) {
          return Optional.empty();
        }
        leading.add(i);
      }
    }
    return leading.size() == 1 ? Optional.of(leading.get(0)) : Optional.empty();
  }

  /**
   * The A addresses node {@code i}'s embedded DNS server answers for {@link #RECORD}, in its order;
   * empty on NXDOMAIN/NODATA. Throws when the server does not answer.
   */
  List<String> dnsAnswer(int i) throws IOException {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, dnsPorts[i]));
    resolver.setTimeout(Duration.ofMillis(500));
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(RECORD + "."), Type.A, DClass.IN));
    Message answer = resolver.send(query);
    if (answer.getRcode() != Rcode.NOERROR && answer.getRcode() != Rcode.NXDOMAIN) {
      throw new IOException(nodeId(i) + " DNS answered " + Rcode.string(answer.getRcode()));
    }
    return answer.getSection(Section.ANSWER).stream()
        .filter(ARecord.class::isInstance)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }

  /** The last lines of every node's log, for a failure message. */
  String logTails(int lines) {
    StringBuilder out = new StringBuilder();
    for (ChildProcess n : nodes) {
      out.append(n.logTail(lines)).append('\n');
    }
    return out.toString();
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(LOOPBACK, 0));
      return s.getLocalPort();
    }
  }

  /** A port free for both TCP and UDP on loopback (the DNS server binds both). */
  private static int freeTcpAndUdpPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.bind(new InetSocketAddress(LOOPBACK, 0));
        if (udpFree(tcp.getLocalPort())) {
          return tcp.getLocalPort();
        }
      }
    }
    throw new IOException("no port free for both TCP and UDP on loopback");
  }

  private static boolean udpFree(int port) {
    try (DatagramSocket udp = new DatagramSocket(port, LOOPBACK)) {
      return udp.isBound();
    } catch (SocketException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (ChildProcess n : nodes) {
      n.close();
    }
    http.close();
  }
}
