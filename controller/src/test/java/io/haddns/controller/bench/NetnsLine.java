package io.haddns.controller.bench;

import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A line's TCP service on a host in its own network namespace (a veth pair, 203.0.113.0/24), with a
 * {@code socat} listener inside. {@link #blackhole()} sets the host's link down with a permanent
 * neighbour entry on this side, so packets to it vanish (probes time out); {@link #restore()} sets
 * it up again. Needs root, iproute2 and socat. Adapted from the probe module's test NetnsHost.
 */
final class NetnsLine implements AutoCloseable {
  private final String namespace;
  private final String hostSide;
  private final String peerSide;
  private final InetAddress address;
  private final int port;
  private Process listener;

  private NetnsLine(String ns, String hostSide, String peerSide, InetAddress a, int port) {
    this.namespace = ns;
    this.hostSide = hostSide;
    this.peerSide = peerSide;
    this.address = a;
    this.port = port;
  }

  static NetnsLine create(int port) throws IOException {
    RequiredBinary.requireCondition(
        "root".equals(System.getProperty("user.name")), "black-hole line needs root");
    RequiredBinary.require("ip", "iproute2");
    var socat = RequiredBinary.require("socat", "socat");
    long pid = ProcessHandle.current().pid();
    int n = ThreadLocalRandom.current().nextInt(1000);
    String ns = "hdb-" + pid + "-" + n;
    int base = freeSubnet();
    NetnsLine line =
        new NetnsLine(
            ns,
            "bv" + pid + "x" + n,
            "bp" + pid + "x" + n,
            InetAddress.getByName("203.0.113." + (base + 2)),
            port);
    run("ip", "netns", "add", ns);
    try {
      run("ip", "link", "add", line.hostSide, "type", "veth", "peer", "name", line.peerSide);
      run("ip", "link", "set", line.peerSide, "netns", ns);
      run("ip", "addr", "add", "203.0.113." + (base + 1) + "/30", "dev", line.hostSide);
      run("ip", "link", "set", line.hostSide, "up");
      run("ip", "-n", ns, "addr", "add", "203.0.113." + (base + 2) + "/30", "dev", line.peerSide);
      run("ip", "-n", ns, "link", "set", line.peerSide, "up");
      run("ip", "-n", ns, "link", "set", "lo", "up");
      line.listener =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  socat.toString(),
                  "TCP-LISTEN:"
                      + port
                      + ",bind="
                      + line.address.getHostAddress()
                      + ",fork,reuseaddr",
                  "EXEC:/bin/true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException | RuntimeException e) {
      line.close();
      throw e;
    }
    return line;
  }

  InetAddress address() {
    return address;
  }

  int port() {
    return port;
  }

  /** The host's link goes down; packets to it are dropped without any answer. */
  void blackhole() throws IOException {
    String mac = run("ip", "-n", namespace, "-br", "link", "show", peerSide).split("\\s+")[2];
    run("ip", "-n", namespace, "link", "set", peerSide, "down");
    run(
        "ip",
        "neigh",
        "replace",
        address.getHostAddress(),
        "lladdr",
        mac,
        "dev",
        hostSide,
        "nud",
        "permanent");
  }

  void restore() throws IOException {
    run("ip", "-n", namespace, "link", "set", peerSide, "up");
  }

  @Override
  public void close() throws IOException {
    if (listener != null) {
      listener.destroyForcibly();
    }
    run("ip", "netns", "del", namespace);
  }

  /** A /30 in 203.0.113.0/24 that no current route overlaps (other tests may use the range). */
  private static int freeSubnet() throws IOException {
    java.util.List<int[]> used = new java.util.ArrayList<>();
    for (String l : run("ip", "-4", "route", "show", "table", "all").split("\n")) {
      String dst = l.split("\\s+")[0];
      if (dst.startsWith("203.0.113.")) {
        String[] p = dst.substring("203.0.113.".length()).split("/");
        int start = Integer.parseInt(p[0]);
        int len = p.length > 1 ? Integer.parseInt(p[1]) : 32;
        used.add(new int[] {start, start + (1 << (32 - len)) - 1});
      }
    }
    int offset = ThreadLocalRandom.current().nextInt(62);
    for (int i = 0; i < 62; i++) {
      int base = 4 * (1 + (offset + i) % 62);
      if (used.stream().noneMatch(r -> r[0] <= base + 3 && base <= r[1])) {
        return base;
      }
    }
    throw new IOException("no free /30 left in 203.0.113.0/24");
  }

  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out.trim());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", command), e);
    }
  }
}
