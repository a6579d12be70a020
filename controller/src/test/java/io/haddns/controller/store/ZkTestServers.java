package io.haddns.controller.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/**
 * In-JVM ZooKeeper servers for ITs. A short tick (200 ms) lets sessions be as short as 400 ms and
 * at most 4 s, so session-expiry tests run in seconds.
 */
public final class ZkTestServers {
  public static final int TICK_MS = 200;
  public static final Duration SESSION = Duration.ofMillis(2500);
  public static final Duration CONNECT = Duration.ofMillis(1000);

  private ZkTestServers() {}

  public static TestingServer server() throws Exception {
    return server(-1);
  }

  /** A standalone server on {@code port} (-1: any free one), started. */
  public static TestingServer server(int port) throws Exception {
    return new TestingServer(new InstanceSpec(null, port, -1, -1, true, -1, TICK_MS, -1), true);
  }

  /** A started ensemble of {@code size} servers. */
  public static TestingCluster cluster(int size) throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      specs.add(new InstanceSpec(null, -1, -1, -1, true, i, TICK_MS, -1));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  /** A loopback port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  public static ZkClient client(String connectString) {
    ZkClient client = new ZkClient(connectString, SESSION, CONNECT);
    client.start();
    return client;
  }
}
