package io.haddns.controller.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/**
 * In-JVM ZooKeeper servers for ITs. A short tick (200 ms) lets sessions be as short as 400 ms and
 * at most 4 s, so session-expiry tests run in seconds.
 */
public final class ZkTestServers {
  /** Where {@link #freePort()} begins looking: above the ports of well-known services. */
  private static final int FREE_PORTS_FROM = 20_000;

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

  /**
   * A started ensemble of {@code size} servers. The client, quorum and election ports of all
   * servers are reserved together, so no two of them can be the same (curator-test picks each
   * {@code -1} port on its own and may hand out one port twice).
   */
  public static TestingCluster cluster(int size) throws Exception {
    return cluster(size, TICK_MS);
  }

  /**
   * As {@link #cluster(int)}, with a tick of {@code tickMs}: ZooKeeper's own default, 2000 ms,
   * allows sessions of 4–40 s and gives a follower 10 s (its sync limit of 5 ticks) to keep up with
   * the leader, as a production ensemble does.
   */
  public static TestingCluster cluster(int size, int tickMs) throws Exception {
    int[] ports = distinctFreePorts(3 * size);
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      int base = 3 * (i - 1);
      specs.add(
          new InstanceSpec(
              null, ports[base], ports[base + 1], ports[base + 2], true, i, tickMs, -1));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  /** {@code n} different ports nothing listens on right now, held open together while chosen. */
  private static int[] distinctFreePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(0));
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /**
   * A loopback port nothing listens on, taken below the kernel's ephemeral range: a server started
   * on it later (a test that starts ZooKeeper after the node is already retrying it) cannot find it
   * taken by an outgoing connection's local port, as the node's own retries can take a port of that
   * range (a socket connected to itself), which makes the server's bind fail.
   */
  public static int freePort() throws IOException {
    int below = ephemeralLow();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FREE_PORTS_FROM, below);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port in " + FREE_PORTS_FROM + "-" + (below - 1));
  }

  /** The lowest port of the kernel's ephemeral range (Linux; 32768 where it cannot be read). */
  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > FREE_PORTS_FROM + 1000 ? low : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  public static ZkClient client(String connectString) {
    ZkClient client = new ZkClient(connectString, SESSION, CONNECT);
    client.start();
    return client;
  }
}
