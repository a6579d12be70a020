package io.haddns.controller.bench;

import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Many line addresses that are hosts of this benchmark, without one interface address each: a
 * network namespace behind a veth pair that owns the whole prefix 198.18.0.0/18, or one half of it
 * (RFC 2544's benchmarking range) through a {@code local} route, so its kernel answers ICMP echoes
 * to every address of it, and a TCP listener inside ({@code ip netns exec … java}, bound to the
 * wildcard) accepts connections to every address on one port (two threads, a 65,535-deep accept
 * queue). Our side routes the prefix into the veth: no packet leaves this machine, and there is one
 * neighbour entry, not one per address.
 */
final class NetnsPrefix implements AutoCloseable {
  private static final String LISTENER =
      """
      import java.net.*;
      class Accept {
        public static void main(String[] a) throws Exception {
          ServerSocket s = new ServerSocket();
          s.setReuseAddress(true);
          s.bind(new InetSocketAddress("0.0.0.0", Integer.parseInt(a[0])), 65535);
          Runnable loop = () -> {
            try {
              while (true) { s.accept().close(); }
            } catch (Exception e) { e.printStackTrace(); System.exit(1); }
          };
          new Thread(loop).start();
          loop.run();
        }
      }
      """;

  /** Addresses in one half of the prefix (a /19, {@link #create(int, int, Path)}). */
  static final int HALF = 8_000;

  private final String namespace;
  private final String hostVeth;
  private final String peerVeth;
  private Process listener;

  private NetnsPrefix(String namespace, String hostVeth, String peerVeth) {
    this.namespace = namespace;
    this.hostVeth = hostVeth;
    this.peerVeth = peerVeth;
  }

  /** The {@code i}-th address of the prefix (0 ≤ i < 16,000), never a .0 or .255. */
  static InetAddress address(int i) {
    try {
      return InetAddress.getByName("198.18." + (i / 250) + "." + (i % 250 + 1));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The {@code i}-th address (0 ≤ i < {@link #HALF}) of half {@code half} (0 or 1). */
  static InetAddress address(int half, int i) {
    return address(half * HALF + i);
  }

  static List<InetAddress> addresses(int count) {
    List<InetAddress> a = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      a.add(address(i));
    }
    return a;
  }

  /** Creates the namespace and starts the listener on {@code port}; waits until it accepts. */
  static NetnsPrefix create(int port, Path scratch) throws IOException, InterruptedException {
    return create("198.18.0.0/18", 255, address(0), port, scratch);
  }

  /**
   * A namespace owning only half {@code half} (0 or 1) of the prefix, 198.18.0.0/19 or
   * 198.18.32.0/19, so that two of them can stand for two groups of lines whose links fail apart.
   */
  static NetnsPrefix create(int half, int port, Path scratch)
      throws IOException, InterruptedException {
    if (half != 0 && half != 1) {
      throw new IllegalArgumentException("half is 0 or 1, not " + half);
    }
    return create("198.18." + (half * 32) + ".0/19", 255 - half, address(half, 0), port, scratch);
  }

  private static NetnsPrefix create(
      String prefix, int transfer, InetAddress first, int port, Path scratch)
      throws IOException, InterruptedException {
    RequiredBinary.requireCondition(
        "root".equals(System.getProperty("user.name")), "line addresses need root (netns)");
    RequiredBinary.require("ip", "iproute2");
    int n = ThreadLocalRandom.current().nextInt(1000);
    long pid = ProcessHandle.current().pid();
    String ns = "psb-" + pid + "-" + n;
    String host = "pv" + pid + "x" + n;
    String peer = "pp" + pid + "x" + n;
    run("ip", "netns", "add", ns);
    NetnsPrefix p = new NetnsPrefix(ns, host, peer);
    String transferNet = "198.19." + transfer + ".";
    try {
      run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
      run("ip", "link", "set", peer, "netns", ns);
      run("ip", "addr", "add", transferNet + "254/24", "dev", host);
      run("ip", "link", "set", host, "up");
      run("ip", "-n", ns, "addr", "add", transferNet + "1/24", "dev", peer);
      run("ip", "-n", ns, "link", "set", peer, "up");
      run("ip", "-n", ns, "link", "set", "lo", "up");
      run("ip", "-n", ns, "route", "add", "local", prefix, "dev", "lo");
      // A deep accept queue, so that a listener starved for a moment by the probing it serves
      // does not drop handshakes (which the prober would count as timeouts of the line).
      run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.core.somaxconn=65535");
      run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.tcp_max_syn_backlog=65535");
      run("ip", "route", "add", prefix, "via", transferNet + "1", "dev", host);
      Path source = scratch.resolve("Accept.java");
      Files.writeString(source, LISTENER, StandardCharsets.US_ASCII);
      p.listener =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  ControllerProcess.javaBinary().toString(),
                  "-Xmx32m",
                  "-XX:+UseSerialGC",
                  source.toString(),
                  String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(scratch.resolve("accept.log").toFile())
              .start();
      p.awaitListening(first, port);
    } catch (IOException | RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
    return p;
  }

  /**
   * Cuts the link at the far end (the namespace's side of the veth goes down): every address of the
   * prefix stops answering at once, the way a site's uplink fails; probes time out.
   */
  void cut() throws IOException {
    run("ip", "-n", namespace, "link", "set", peerVeth, "down");
  }

  /** Mends a {@link #cut()} link. */
  void mend() throws IOException {
    run("ip", "-n", namespace, "link", "set", peerVeth, "up");
  }

  private void awaitListening(InetAddress first, int port)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress(first, port), 1000);
        return;
      } catch (IOException e) {
        if (!listener.isAlive()) {
          throw new IOException("the listener in " + namespace + " exited", e);
        }
        Thread.sleep(200);
      }
    }
    throw new IOException("no listener on " + first + ":" + port + " after 30 s");
  }

  @Override
  public void close() throws IOException {
    if (listener != null) {
      listener.destroyForcibly();
    }
    try {
      run("ip", "link", "del", hostVeth);
    } catch (IOException e) {
      // Already gone with the namespace, or never created.
    }
    run("ip", "netns", "del", namespace);
  }

  private static void run(String... command) throws IOException {
    NetnsAddresses.run(command);
  }
}
