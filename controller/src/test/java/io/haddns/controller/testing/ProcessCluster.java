package io.haddns.controller.testing;

import static org.awaitility.Awaitility.await;

import io.haddns.controller.store.ZkTestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.test.TestingServer;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * Controller nodes as separate {@code java -jar haddns.jar controller} processes, sharing one
 * configuration file: an in-JVM ZooKeeper with a 200 ms tick (so a 3 s session is granted as
 * asked), a real DNS server, and two lines that are TCP listeners on 127.0.0.21 and 127.0.0.22.
 * Node {@code i} is {@code node-(i+1)} and sends its DNS traffic from 127.0.0.1(i+1). The TSIG
 * secret reaches the processes only through their environment.
 */
public final class ProcessCluster implements AutoCloseable {
  public static final String ZONE = "example.test";
  public static final String RECORD = "app.example.test";
  public static final String SESSION_TIMEOUT = "3s";
  private static final String TSIG_ENV = "HADDNS_IT_TSIG";

  public final TestingServer zk;
  public final DnsTestServer dns;
  public final LineListener lineA;
  public final LineListener lineB;
  private final HaddnsJar jar;
  private final Path dir;
  private final Path config;
  private final List<ControllerProcess> nodes = new ArrayList<>();
  private final int rise;
  private final String sessionTimeout;
  private final String clusterExtra;
  private final String sections;
  private final Layout layout;

  /**
   * Where the parts listen and the nodes run.
   *
   * @param serviceHost the address ZooKeeper and the DNS server are reached at
   * @param lineA line a's address, where its listener listens
   * @param lineB line b's address
   * @param nodes per node: where it runs
   */
  public record Layout(String serviceHost, String lineA, String lineB, List<Place> nodes) {
    public Layout {
      nodes = List.copyOf(nodes);
    }

    /** Everything on this host's loopback: the DNS server, ZooKeeper and the nodes at 127.0.0.1. */
    public static Layout loopback(int count) {
      List<Place> places = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        places.add(new Place("127.0.0.1", dnsSource(i), List.of()));
      }
      return new Layout("127.0.0.1", "127.0.0.21", "127.0.0.22", places);
    }
  }

  /**
   * Where one node runs.
   *
   * @param httpHost its admin API's address
   * @param dnsSource the source address of its UPDATEs, as the DNS server logs them
   * @param wrapper put in front of its java command, e.g. {@code ip netns exec NAME}
   */
  public record Place(String httpHost, String dnsSource, List<String> wrapper) {
    public Place {
      wrapper = List.copyOf(wrapper);
    }
  }

  private ProcessCluster(
      HaddnsJar jar,
      Path dir,
      DnsTestServer dns,
      int rise,
      String sessionTimeout,
      String clusterExtra,
      String sections,
      Layout layout)
      throws Exception {
    this.layout = layout;
    this.jar = jar;
    this.rise = rise;
    this.sessionTimeout = sessionTimeout;
    this.clusterExtra = clusterExtra;
    this.sections = sections;
    this.dir = dir;
    this.dns = dns;
    this.zk = ZkTestServers.server();
    InetAddress a = InetAddress.getByName(layout.lineA());
    InetAddress b = InetAddress.getByName(layout.lineB());
    int port = LineListener.freePort(a, b);
    lineA = new LineListener(a, port).open();
    lineB = new LineListener(b, port).open();
    config = dir.resolve("haddns.yaml");
    Files.writeString(config, yaml(), StandardCharsets.UTF_8);
  }

  /** Starts ZooKeeper, the lines and {@code count} controller processes, the processes at once. */
  public static ProcessCluster start(HaddnsJar jar, Path dir, DnsTestServer dns, int count)
      throws Exception {
    return start(jar, dir, dns, count, 2);
  }

  /** As {@link #start(HaddnsJar, Path, DnsTestServer, int)}, lines up after {@code rise} rounds. */
  public static ProcessCluster start(
      HaddnsJar jar, Path dir, DnsTestServer dns, int count, int rise) throws Exception {
    return start(jar, dir, dns, count, rise, SESSION_TIMEOUT, "");
  }

  /**
   * As {@link #start(HaddnsJar, Path, DnsTestServer, int, int)}, with the session timeout {@code
   * sessionTimeout} (e.g. {@code 6s}) and {@code clusterExtra}, further YAML lines of the {@code
   * cluster} section indented by two spaces (e.g. a {@code leaderLease} mapping).
   */
  public static ProcessCluster start(
      HaddnsJar jar,
      Path dir,
      DnsTestServer dns,
      int count,
      int rise,
      String sessionTimeout,
      String clusterExtra)
      throws Exception {
    return start(jar, dir, dns, rise, sessionTimeout, clusterExtra, Layout.loopback(count), "");
  }

  /**
   * As {@link #start(HaddnsJar, Path, DnsTestServer, int, int, String, String)}, with {@code
   * sections}, further top-level YAML sections (e.g. {@code operators} and {@code drills}).
   */
  public static ProcessCluster start(
      HaddnsJar jar,
      Path dir,
      DnsTestServer dns,
      int count,
      int rise,
      String sessionTimeout,
      String clusterExtra,
      String sections)
      throws Exception {
    return start(
        jar, dir, dns, rise, sessionTimeout, clusterExtra, Layout.loopback(count), sections);
  }

  /**
   * As {@link #start(HaddnsJar, Path, DnsTestServer, int, int, String, String)}, one node per place
   * of {@code layout}; the DNS server must listen on its {@code serviceHost}.
   */
  public static ProcessCluster start(
      HaddnsJar jar,
      Path dir,
      DnsTestServer dns,
      int rise,
      String sessionTimeout,
      String clusterExtra,
      Layout layout)
      throws Exception {
    return start(jar, dir, dns, rise, sessionTimeout, clusterExtra, layout, "");
  }

  /** The same, with further top-level YAML {@code sections}. */
  public static ProcessCluster start(
      HaddnsJar jar,
      Path dir,
      DnsTestServer dns,
      int rise,
      String sessionTimeout,
      String clusterExtra,
      Layout layout,
      String sections)
      throws Exception {
    int count = layout.nodes().size();
    ProcessCluster c =
        new ProcessCluster(jar, dir, dns, rise, sessionTimeout, clusterExtra, sections, layout);
    try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
      List<CompletableFuture<ControllerProcess>> starts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        starts.add(CompletableFuture.supplyAsync(() -> c.startNode(index), pool));
      }
      // Collect every started process first, so that close() kills them even if one failed.
      Exception failure = null;
      for (CompletableFuture<ControllerProcess> f : starts) {
        try {
          c.nodes.add(f.join());
        } catch (CompletionException e) {
          failure = failure == null ? (Exception) e.getCause() : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private ControllerProcess startNode(int i) {
    IOException last = null;
    // A free port can be taken by another test between asking and binding: try another one.
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Place place = layout.nodes().get(i);
        return ControllerProcess.start(
            jar,
            dir,
            config,
            nodeId(i),
            place.httpHost(),
            ZkTestServers.freePort(),
            place.dnsSource(),
            Map.of(TSIG_ENV, dns.tsigSecretBase64()),
            place.wrapper());
      } catch (IOException e) {
        last = e;
        if (!String.valueOf(e.getMessage()).contains("admin server cannot listen")) {
          break;
        }
      }
    }
    throw new CompletionException(last);
  }

  public static String nodeId(int i) {
    return "node-" + (i + 1);
  }

  public static String dnsSource(int i) {
    return "127.0.0.1" + (i + 1);
  }

  private String yaml() {
    return """
        cluster:
          name: proc-it
          zookeeper: %s:%d
          zookeeperAuth: %s
          sessionTimeout: %s
          connectionTimeout: 2s
          resyncInterval: 30s
        %slines:
          - name: a
            address: { static: [%s] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
            fall: 3
            rise: %d
          - name: b
            address: { static: [%s] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
            fall: 3
            rise: %d
        zones:
          - name: %s
            provider:
              type: rfc2136
              server: %s:%d
              tsig: { name: %s, algorithm: hmac-sha256, secretEnv: %s }
        records:
          - { name: %s, type: A, ttl: 30, policy: failover, lines: [a, b] }
        %s"""
        .formatted(
            layout.serviceHost(),
            zk.getPort(),
            ZkDigestSecret.yaml(dir),
            sessionTimeout,
            clusterExtra,
            lineA.address().getHostAddress(),
            lineA.port(),
            rise,
            lineB.address().getHostAddress(),
            lineB.port(),
            rise,
            ZONE,
            layout.serviceHost(),
            dns.port(),
            dns.tsigName(),
            TSIG_ENV,
            RECORD,
            sections);
  }

  public List<ControllerProcess> nodes() {
    return List.copyOf(nodes);
  }

  public ControllerProcess node(int i) {
    return nodes.get(i);
  }

  /** Indexes of the running nodes whose status API says {@code leading: true}. */
  public List<Integer> leaders() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).saysLeading()) {
        out.add(i);
      }
    }
    return out;
  }

  /** The addresses the DNS server answers for the managed record, sorted. */
  public List<String> answer() throws IOException {
    return dns.query(RECORD, Type.A).stream()
        .filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .sorted()
        .toList();
  }

  /** The epoch in the zone's fence record at the DNS server, or -1 when there is none. */
  public long fenceEpoch() throws IOException {
    return dns.query("_haddns-fence." + ZONE, Type.TXT).stream()
        .map(r -> r.rdataToString().replace("\"", ""))
        .filter(s -> s.startsWith("epoch="))
        .mapToLong(s -> Long.parseLong(s.substring("epoch=".length())))
        .max()
        .orElse(-1);
  }

  /**
   * Waits up to 30 s until exactly one node says it leads, its term's fence is at the DNS server
   * and the record answers {@code addresses}; returns that node's index.
   */
  public int awaitSettledLeader(String... addresses) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<Integer> leaders = leaders();
              return leaders.size() == 1
                  && fenceEpoch() == node(leaders.get(0)).status().epoch()
                  && answer().equals(List.of(addresses));
            });
    return leaders().get(0);
  }

  /**
   * DNS server update-log lines from node {@code i}'s source address, from line {@code from} on.
   */
  public List<String> updatesFrom(int i, int from) throws IOException {
    List<String> lines = dns.updateLogLines();
    String marker = " " + layout.nodes().get(i).dnsSource() + "#";
    return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
        .filter(l -> l.contains(marker))
        .toList();
  }

  /** UPDATEs from node {@code i} that BIND applied: it logs each change it makes as it makes it. */
  public long successfulUpdatesFrom(int i, int from) throws IOException {
    return updatesFrom(i, from).stream()
        .filter(l -> l.contains("updating zone") && !l.contains("update unsuccessful"))
        .filter(l -> l.contains(": adding an RR") || l.contains(": deleting"))
        .count();
  }

  /** The sum of {@code metric}'s series with label {@code reason} (any if null) over live nodes. */
  public double liveSum(String metric, String reason) throws IOException, InterruptedException {
    double sum = 0;
    for (ControllerProcess p : nodes) {
      if (p.isAlive()) {
        sum += counter(p, metric, reason);
      }
    }
    return sum;
  }

  /**
   * The sum of {@code metric}'s series with label {@code reason} (any if null) at node {@code p}.
   */
  public static double counter(ControllerProcess p, String metric, String reason)
      throws IOException, InterruptedException {
    return MetricsScrape.of(p.endpoint()).samples().stream()
        .filter(s -> s.name().equals(metric))
        .filter(s -> reason == null || reason.equals(s.labels().get("reason")))
        .mapToDouble(MetricsScrape.Sample::value)
        .sum();
  }

  /** The last {@code n} log lines of every node, for a failed test's report. */
  public String logTails(int n) {
    StringBuilder out = new StringBuilder();
    for (ControllerProcess p : nodes) {
      try {
        out.append(p.logTail(n));
      } catch (IOException e) {
        out.append("---- ").append(p.nodeId()).append(": log unreadable: ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  /** Kills every process still running, then stops the lines and ZooKeeper. */
  @Override
  public void close() throws IOException {
    for (ControllerProcess p : nodes) {
      p.close();
    }
    lineA.close();
    lineB.close();
    zk.close();
  }
}
