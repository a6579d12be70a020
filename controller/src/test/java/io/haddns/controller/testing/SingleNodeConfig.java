package io.haddns.controller.testing;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the YAML of a one-node cluster writing one zone of a {@link DnsTestServer}, with one
 * failover record {@code app.<zone>} over the lines added, and loads it through the real {@link
 * ConfigLoader}. The node's admin server listens on 127.0.0.1, on port 0 unless told otherwise.
 */
public final class SingleNodeConfig {
  public static final String NODE_ID = "node-1";
  private static final String SECRET_ENV = "HADDNS_IT_TSIG";

  private final String zookeeper;
  private final DnsTestServer dns;
  private final List<String> lines = new ArrayList<>();
  private final List<String> lineNames = new ArrayList<>();
  private String tsigSecret;
  private String resyncInterval = "30s";
  private int httpPort;

  public SingleNodeConfig(String zookeeper, DnsTestServer dns) {
    this.zookeeper = zookeeper;
    this.dns = dns;
    this.tsigSecret = dns.tsigSecretBase64();
  }

  public String record() {
    return "app." + dns.zone();
  }

  /**
   * Adds a line probed every 100 ms, fall 3, rise 2.
   *
   * @param probe a probe list item, e.g. {@code { icmp: {} }} or {@code { tcp: { port: 80 } }}
   */
  public SingleNodeConfig line(String name, String address, String probe) {
    lines.add(
        """
          - name: %s
            address: { static: [%s] }
            probes: [ %s ]
            interval: 100ms
            fall: 3
            rise: 2
        """
            .formatted(name, address, probe));
    lineNames.add(name);
    return this;
  }

  /** The base64 TSIG secret the node signs with (default: the server's own). */
  public SingleNodeConfig tsigSecret(String base64) {
    this.tsigSecret = base64;
    return this;
  }

  public SingleNodeConfig resyncInterval(String duration) {
    this.resyncInterval = duration;
    return this;
  }

  public SingleNodeConfig httpPort(int port) {
    this.httpPort = port;
    return this;
  }

  /** The configuration; the ZooKeeper digest secret lives in {@code dir}. */
  public String yaml(Path dir) {
    return """
        cluster:
          name: single
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: 3s
          connectionTimeout: 1s
          resyncInterval: %s
        lines:
        %s
        zones:
          - name: %s
            provider:
              type: rfc2136
              server: 127.0.0.1:%d
              timeout: 1s
              tsig: { name: %s, algorithm: hmac-sha256, secretEnv: %s }
        records:
          - { name: %s, type: A, ttl: 30, policy: failover, lines: [%s] }
        node:
          id: %s
          http: { host: 127.0.0.1, port: %d }
        """
        .formatted(
            zookeeper,
            ZkDigestSecret.yaml(dir),
            resyncInterval,
            String.join("", lines).stripTrailing(),
            dns.zone(),
            dns.port(),
            dns.tsigName(),
            SECRET_ENV,
            record(),
            String.join(", ", lineNames),
            NODE_ID,
            httpPort);
  }

  public HaddnsConfig load(Path dir) throws Exception {
    return new ConfigLoader(Map.of(SECRET_ENV, tsigSecret))
        .parse(yaml(dir), "single-node.yaml", dir);
  }
}
