package io.haddns.controller.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.ZkTestServers;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * Three in-JVM controller nodes on a real three-server ZooKeeper quorum, writing a real DNS server,
 * probing two lines that are real TCP listeners on 127.0.0.21 and 127.0.0.22. Each node reaches
 * every ZooKeeper server through its own {@link TcpProxy}, so a test can cut one node off from
 * ZooKeeper; each node sends its DNS traffic from its own source address (127.0.0.1N), so the DNS
 * server's log tells which node wrote what.
 */
public final class ClusterHarness implements AutoCloseable {
  public static final String ZONE = "example.test";
  public static final String RECORD = "app.example.test";

  public final TestingCluster zk;
  public final DnsTestServer dns;
  public final LineListener lineA;
  public final LineListener lineB;
  private final Path dir;
  private final List<List<TcpProxy>> proxies = new ArrayList<>();
  private final List<NodeRuntime> nodes = new ArrayList<>();
  private final String sessionTimeout;
  private final boolean embedded;
  private final String extraYaml;

  private ClusterHarness(Path dir, DnsTestServer dns, String sessionTimeout, String extraYaml)
      throws Exception {
    this.dir = dir;
    this.extraYaml = extraYaml;
    this.dns = dns;
    this.sessionTimeout = sessionTimeout;
    this.embedded = dns == null;
    this.zk = ZkTestServers.cluster(3);
    InetAddress a = InetAddress.getByName("127.0.0.21");
    InetAddress b = InetAddress.getByName("127.0.0.22");
    int port = LineListener.freePort(a, b);
    lineA = new LineListener(a, port).open();
    lineB = new LineListener(b, port).open();
  }

  /** Starts the quorum, the lines and {@code nodes} controller nodes. */
  public static ClusterHarness start(Path dir, DnsTestServer dns, int nodes, String sessionTimeout)
      throws Exception {
    return start(dir, dns, nodes, sessionTimeout, "");
  }

  private static ClusterHarness start(
      Path dir, DnsTestServer dns, int nodes, String sessionTimeout, String extraYaml)
      throws Exception {
    ClusterHarness h = new ClusterHarness(dir, dns, sessionTimeout, extraYaml);
    try {
      for (int i = 0; i < nodes; i++) {
        h.startNode(i);
      }
      return h;
    } catch (Exception | Error e) {
      h.close();
      throw e;
    }
  }

  /**
   * Starts the quorum, the lines and {@code nodes} nodes serving {@link #ZONE} themselves ({@code
   * provider: { type: embedded }}, NS from the members), each node's DNS server on its own loopback
   * address {@link #embeddedDnsHost}. A second zone, {@link #BROKEN_ZONE}, points at an RFC 2136
   * server that is not there, so its applies fail.
   */
  public static ClusterHarness startEmbedded(Path dir, int nodes, String sessionTimeout)
      throws Exception {
    return start(dir, null, nodes, sessionTimeout);
  }

  /**
   * As {@link #startEmbedded(Path, int, String)}, with top-level configuration sections added to
   * every node's, e.g. an {@code operators:} section.
   */
  public static ClusterHarness startEmbedded(
      Path dir, int nodes, String sessionTimeout, String extraYaml) throws Exception {
    return start(dir, null, nodes, sessionTimeout, extraYaml);
  }

  public static final String BROKEN_ZONE = "broken.test";

  /** The address node {@code i}'s embedded DNS server binds, in embedded mode. */
  public static String embeddedDnsHost(int i) {
    return "127.0.0.3" + (i + 1);
  }

  public static String nodeId(int i) {
    return "node-" + (i + 1);
  }

  /** The source address node {@code i} uses towards the DNS server. */
  public static String dnsSource(int i) {
    return "127.0.0.1" + (i + 1);
  }

  private void startNode(int i) throws Exception {
    List<TcpProxy> mine = new ArrayList<>();
    for (InstanceSpec spec : zk.getInstances()) {
      mine.add(new TcpProxy("127.0.0.1", spec.getPort()));
    }
    proxies.add(mine);
    nodes.add(runtime(i));
  }

  private NodeRuntime runtime(int i) throws Exception {
    String connect =
        proxies.get(i).stream().map(TcpProxy::address).collect(Collectors.joining(","));
    NodeConfig node =
        embedded
            ? new NodeConfig(nodeId(i), "127.0.0.1", 0, embeddedDnsHost(i), 0)
            : new NodeConfig(nodeId(i), "127.0.0.1", 0);
    HaddnsConfig cfg = config(connect).withNode(node);
    return NodeRuntime.start(
        cfg, Optional.of(InetAddress.getByName(dnsSource(i))), InstantSource.system(), "test");
  }

  /** Stops node {@code i} gracefully (it hands over leadership at once). */
  public void stop(int i) {
    nodes.get(i).close();
  }

  /** Starts node {@code i} again after {@link #stop}, with the same configuration. */
  public void restart(int i) throws Exception {
    nodes.set(i, runtime(i));
  }

  private HaddnsConfig config(String connect) throws Exception {
    String zones;
    Map<String, String> env = new HashMap<>();
    if (embedded) {
      zones =
          """
          zones:
            - name: %s
              provider: { type: embedded }
            - name: %s
              provider:
                type: rfc2136
                server: 127.0.0.1:%d
                timeout: 1s
                tsig: { name: it, algorithm: hmac-sha256, secretEnv: HADDNS_IT_TSIG }
          records:
            - { name: %s, type: A, ttl: 30, policy: failover, lines: [a, b] }
            - { name: app.%s, type: A, ttl: 30, policy: failover, lines: [a, b] }
          """
              .formatted(
                  ZONE,
                  BROKEN_ZONE,
                  FreePorts.tcpAndUdp(InetAddress.getLoopbackAddress()),
                  RECORD,
                  BROKEN_ZONE);
      env.put("HADDNS_IT_TSIG", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=");
    } else {
      zones =
          """
          zones:
            - name: %s
              provider:
                type: rfc2136
                server: 127.0.0.1:%d
                tsig: { name: %s, algorithm: hmac-sha256, secretEnv: HADDNS_IT_TSIG }
          records:
            - { name: %s, type: A, ttl: 30, policy: failover, lines: [a, b] }
          """
              .formatted(ZONE, dns.port(), dns.tsigName(), RECORD);
      env.put("HADDNS_IT_TSIG", dns.tsigSecretBase64());
    }
    String yaml =
        """
        cluster:
          name: it
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: %s
          connectionTimeout: 2s
          resyncInterval: 30s
        %s        """
                .formatted(
                    connect,
                    ZkDigestSecret.yaml(dir),
                    sessionTimeout,
                    FastLines.yaml(
                        lineA.address().getHostAddress(),
                        lineA.port(),
                        lineB.address().getHostAddress(),
                        lineB.port()))
            + zones
            + extraYaml;
    return new ConfigLoader(env).parse(yaml, "cluster-it.yaml", dir);
  }

  public List<NodeRuntime> nodes() {
    return List.copyOf(nodes);
  }

  public NodeRuntime node(int i) {
    return nodes.get(i);
  }

  /** Indexes of the nodes that currently act as leader (term begun). */
  public List<Integer> leaders() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).node().isLeader()) {
        out.add(i);
      }
    }
    return out;
  }

  /** Waits (up to 20 s) until exactly one node leads; its index. */
  public int awaitOneLeader() {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> leaders().size() == 1);
    return leaders().get(0);
  }

  /** Waits (up to 20 s) until the DNS server answers exactly {@code addresses} for the record. */
  public void awaitAnswer(String... addresses) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(answer()).containsExactly(addresses));
  }

  /** Silences every connection of node {@code i} to ZooKeeper (a cut cable). */
  public void cutOffFromZooKeeper(int i) {
    proxies.get(i).forEach(TcpProxy::blackhole);
  }

  public void reconnectToZooKeeper(int i) {
    proxies.get(i).forEach(TcpProxy::restore);
  }

  /** The addresses the DNS server answers for the managed record. */
  public List<String> answer() throws Exception {
    return dns.query(RECORD, Type.A).stream()
        .filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .sorted()
        .toList();
  }

  /** The epoch in the zone's fence record, or -1 when there is none. */
  public long fenceEpoch() throws Exception {
    return dns.query("_haddns-fence." + ZONE, Type.TXT).stream()
        .map(r -> r.rdataToString().replace("\"", ""))
        .filter(s -> s.startsWith("epoch="))
        .mapToLong(s -> Long.parseLong(s.substring("epoch=".length())))
        .max()
        .orElse(-1);
  }

  /** Update log lines at the DNS server that came from node {@code i}'s source address. */
  public long dnsWritesFrom(int i) throws Exception {
    String marker = dnsSource(i) + "#";
    return dns.updateLogLines().stream()
        .filter(l -> l.contains(marker))
        .filter(l -> l.contains("updating zone") || l.contains("update") && l.contains("approved"))
        .count();
  }

  @Override
  public void close() throws Exception {
    for (NodeRuntime n : nodes) {
      n.close();
    }
    for (List<TcpProxy> ps : proxies) {
      for (TcpProxy p : ps) {
        p.close();
      }
    }
    lineA.close();
    lineB.close();
    zk.close();
  }
}
