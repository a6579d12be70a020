package io.haddns.controller.bench;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.FastLines;
import io.haddns.controller.testing.ZkDigestSecret;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingCluster;

/**
 * Three in-JVM controller nodes on a real three-server ZooKeeper quorum, one failover record over
 * two lines probed by TCP every 100 ms (timeout 80 ms, fall 3, rise 2), written to a real DNS
 * server by RFC 2136; a second failover record over the same lines lives in a zone on the embedded
 * DNS server that every node serves on 127.0.0.1 (a free port). Like the ITs' ClusterHarness, but
 * with the lines' addresses and port chosen by the benchmark (a line may live in a network
 * namespace) and no ZooKeeper proxies.
 */
final class FailoverCluster implements AutoCloseable {
  static final String ZONE = "example.test";
  static final String RECORD = "app.example.test";

  /** A second zone served by the nodes' embedded DNS servers from the replicated state. */
  static final String EMBEDDED_ZONE = "embedded.test";

  static final String EMBEDDED_RECORD = "app.embedded.test";

  private final TestingCluster zk;
  private final List<NodeRuntime> nodes = new ArrayList<>();

  private FailoverCluster(TestingCluster zk) {
    this.zk = zk;
  }

  static FailoverCluster start(
      Path dir, DnsTestServer dns, InetAddress a, InetAddress b, int port, int size)
      throws Exception {
    FailoverCluster c = new FailoverCluster(ZkTestServers.cluster(3));
    try {
      String yaml =
          """
          cluster:
            name: bench
            zookeeper: %s
            zookeeperAuth: %s
            sessionTimeout: 3s
            connectionTimeout: 2s
            resyncInterval: 60s
          %szones:
            - name: %s
              provider:
                type: rfc2136
                server: 127.0.0.1:%d
                tsig: { name: %s, algorithm: hmac-sha256, secretEnv: HADDNS_BENCH_TSIG }
            - name: %s
              provider: { type: embedded }
          records:
            - { name: %s, type: A, ttl: 30, policy: failover, lines: [a, b] }
            - { name: %s, type: A, ttl: 30, policy: failover, lines: [a, b] }
          """
              .formatted(
                  c.zk.getConnectString(),
                  ZkDigestSecret.yaml(dir),
                  FastLines.yaml(a.getHostAddress(), port, b.getHostAddress(), port),
                  ZONE,
                  dns.port(),
                  dns.tsigName(),
                  EMBEDDED_ZONE,
                  RECORD,
                  EMBEDDED_RECORD);
      HaddnsConfig cfg =
          new ConfigLoader(Map.of("HADDNS_BENCH_TSIG", dns.tsigSecretBase64()))
              .parse(yaml, "bench.yaml", dir);
      for (int i = 0; i < size; i++) {
        c.nodes.add(
            NodeRuntime.start(
                cfg.withNode(new NodeConfig("node-" + (i + 1), "127.0.0.1", 0, "127.0.0.1", 0)),
                Optional.empty(),
                InstantSource.system(),
                "bench"));
      }
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  /** Ids of the nodes acting as leader now. */
  List<String> leaders() {
    return nodes.stream().filter(n -> n.node().isLeader()).map(NodeRuntime::nodeId).toList();
  }

  /**
   * The UDP port of the embedded DNS server of a node that does not lead now (so answers there
   * include replication through ZooKeeper), with its id; waits up to 15 s for one leader.
   */
  Map.Entry<String, Integer> followerDnsPort() throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (leaders().size() != 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no single leader within 15 s: " + leaders());
      }
      Thread.sleep(20);
    }
    NodeRuntime follower =
        nodes.stream().filter(n -> !n.node().isLeader()).findFirst().orElseThrow();
    return Map.entry(follower.nodeId(), follower.dnsAddress().orElseThrow().getPort());
  }

  @Override
  public void close() throws Exception {
    for (NodeRuntime n : nodes) {
      n.close();
    }
    zk.close();
  }
}
