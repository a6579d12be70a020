package io.haddns.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.zookeeper.ZkSecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/**
 * Reads what the controllers committed, straight from ZooKeeper (layout: {@link ZkPaths}): the
 * agent's last committed sequence ({@code agents/<id>}) and the line's IPv4 report ({@code
 * lines/<line>/address}).
 */
final class ZkState implements AutoCloseable {
  /** The committed IPv4 report of a line. */
  record LineReport(long sequence, List<String> addresses, String receivedBy) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CuratorFramework client;
  private final ZkPaths paths = new ZkPaths(ControllerCluster.CLUSTER);

  private ZkState(CuratorFramework client) {
    this.client = client;
  }

  /** Connects with the nodes' digest identity (the secret in {@code dir}), as their nodes are. */
  static ZkState connect(String connectString, Path dir) throws InterruptedException, IOException {
    String secret = ControllerCluster.zkSecret(dir).loadOrCreate();
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(10_000)
            .connectionTimeoutMs(2_000)
            .retryPolicy(new RetryOneTime(100))
            .authorization(
                "digest", (ZkSecretFile.USER + ":" + secret).getBytes(StandardCharsets.UTF_8))
            .build();
    c.start();
    if (!c.blockUntilConnected(10, TimeUnit.SECONDS)) {
      c.close();
      throw new IOException("no ZooKeeper connection to " + connectString);
    }
    return new ZkState(c);
  }

  /** {@code agents/<id>}'s sequence; 0 when the agent never committed. */
  long agentSequence() throws Exception {
    String path = paths.agent(ControllerCluster.AGENT);
    if (client.checkExists().forPath(path) == null) {
      return 0;
    }
    return read(path).path("sequence").asLong();
  }

  /** {@code lines/<line>/address}'s IPv4 report; null when there is none. */
  LineReport lineReport() throws Exception {
    String path = paths.lineAddress(ControllerCluster.LINE);
    if (client.checkExists().forPath(path) == null) {
      return null;
    }
    JsonNode v4 = read(path).path("ipv4");
    if (v4.isMissingNode() || v4.isNull()) {
      return null;
    }
    List<String> addresses = new ArrayList<>();
    v4.path("addresses").forEach(a -> addresses.add(a.asText()));
    return new LineReport(v4.path("sequence").asLong(), addresses, v4.path("receivedBy").asText());
  }

  private JsonNode read(String path) throws Exception {
    return JSON.readTree(client.getData().forPath(path));
  }

  @Override
  public void close() {
    client.close();
  }
}
