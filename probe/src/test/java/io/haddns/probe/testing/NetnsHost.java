package io.haddns.probe.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host in its own network namespace, reached from this process through a veth pair. {@link
 * #create()} gives it an IPv4 address in a free /30 of 203.0.113.0/24 and an IPv6 address in
 * 2001:db8::/32 (documentation ranges); {@link #onSubnet} puts it on a /24 the caller chooses, with
 * any number of addresses on this side, for a process that must be reached over a link rather than
 * through this host's loopback ({@link #wrapper()} runs a command inside). {@link #cutLink()} takes
 * the host's side down so it silently stops answering (a black hole), {@link #disconnect()} so that
 * it is unreachable. Needs root and iproute2 (skipped without them, failed under CI); {@link
 * #close()} deletes the namespace and with it both veth ends.
 */
public final class NetnsHost implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Namespaces made by {@link #onSubnet}: their names carry the pid of the JVM that made them. */
  private static final String SUBNET_PREFIX = "hdv-";

  private final String namespace;
  private final String hostSide;
  private final String peerSide;
  private final InetAddress address4;
  private final InetAddress address6;

  private NetnsHost(
      String namespace, String hostSide, String peerSide, InetAddress a4, InetAddress a6) {
    this.namespace = namespace;
    this.hostSide = hostSide;
    this.peerSide = peerSide;
    this.address4 = a4;
    this.address6 = a6;
  }

  /** Skips (or fails under CI) without root or iproute2. */
  public static NetnsHost create() throws IOException {
    RequiredCapability.requireRoot();
    RequiredCapability.requireBinary("ip", "iproute2");
    long pid = ProcessHandle.current().pid();
    int n = COUNTER.incrementAndGet();
    String ns = "hdp-" + pid + "-" + n;
    String hostSide = "hv" + pid + "x" + n;
    String peerSide = "hp" + pid + "x" + n;
    int base = freeSubnet();
    String v6Prefix = String.format("2001:db8:%x:%x::", pid & 0xffff, n & 0xffff);
    NetnsHost host =
        new NetnsHost(
            ns,
            hostSide,
            peerSide,
            InetAddress.getByName("203.0.113." + (base + 2)),
            InetAddress.getByName(v6Prefix + "2"));
    ip("netns", "add", ns);
    try {
      ip("link", "add", hostSide, "type", "veth", "peer", "name", peerSide, "netns", ns);
      ip("addr", "add", "203.0.113." + (base + 1) + "/30", "dev", hostSide);
      ip("-6", "addr", "add", v6Prefix + "1/64", "dev", hostSide, "nodad");
      ip("link", "set", hostSide, "up");
      ip("-n", ns, "addr", "add", "203.0.113." + (base + 2) + "/30", "dev", peerSide);
      ip("-n", ns, "-6", "addr", "add", v6Prefix + "2/64", "dev", peerSide, "nodad");
      ip("-n", ns, "link", "set", peerSide, "up");
      ip("-n", ns, "link", "set", "lo", "up");
      host.awaitOperational();
    } catch (IOException | RuntimeException e) {
      host.close();
      throw e;
    }
    return host;
  }

  public InetAddress address4() {
    return address4;
  }

  /**
   * @throws IllegalStateException for a host made by {@link #onSubnet}, which has no IPv6 address
   */
  public InetAddress address6() {
    if (address6 == null) {
      throw new IllegalStateException(namespace + " has no IPv6 address");
    }
    return address6;
  }

  public String namespace() {
    return namespace;
  }

  /**
   * Sets the host's link down. Permanent neighbour entries keep this side sending, so packets
   * vanish (a black hole: timeouts) instead of failing neighbour resolution (unreachable).
   */
  public void cutLink() throws IOException {
    String mac = output("ip", "-n", namespace, "-br", "link", "show", peerSide).split("\\s+")[2];
    ip("-n", namespace, "link", "set", peerSide, "down");
    ip(
        "neigh",
        "replace",
        address4.getHostAddress(),
        "lladdr",
        mac,
        "dev",
        hostSide,
        "nud",
        "permanent");
    ip(
        "-6",
        "neigh",
        "replace",
        address6.getHostAddress(),
        "lladdr",
        mac,
        "dev",
        hostSide,
        "nud",
        "permanent");
  }

  /**
   * Brings the host's link back up after {@link #cutLink()}. The permanent neighbour entries that
   * the cut left behind hold the host's real MAC, so they do no harm. Returns once both ends of the
   * link are operational: until the kernel's link watcher has run, each end drops what it is given
   * to send, and on a busy host that can take seconds after the link was set up.
   */
  public void restoreLink() throws IOException {
    ip("-n", namespace, "link", "set", peerSide, "up");
    awaitOperational();
  }

  private void awaitOperational() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      String here = output("ip", "-br", "link", "show", hostSide).trim();
      String there = output("ip", "-n", namespace, "-br", "link", "show", peerSide).trim();
      if (here.split("\\s+")[1].equals("UP") && there.split("\\s+")[1].equals("UP")) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("link not operational after 10 s: " + here + " / " + there);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for " + hostSide, e);
      }
    }
  }

  /**
   * Creates a namespace with {@code inside} on its end of the pair and {@code outside} on this end
   * (the first is the primary address, the source of connections that do not choose one), all in
   * the /24 of {@code inside}, with loopback up inside. First deletes the namespaces of earlier
   * runs whose JVM died before {@link #close()}, and refuses a /24 that this host already uses.
   */
  public static NetnsHost onSubnet(String inside, List<String> outside) throws IOException {
    RequiredCapability.requireRoot();
    RequiredCapability.requireBinary("ip", "iproute2");
    deleteOrphans();
    String subnet = inside.substring(0, inside.lastIndexOf('.')) + ".0/24";
    String taken = output("ip", "-4", "-o", "addr", "show", "to", subnet).trim();
    if (!taken.isEmpty()) {
      throw new IOException(subnet + " is already in use on this host:\n" + taken);
    }
    long pid = ProcessHandle.current().pid();
    int n = ThreadLocalRandom.current().nextInt(1000);
    String hostSide = "vn" + pid + "x" + n;
    String peerSide = "vp" + pid + "x" + n;
    NetnsHost host =
        new NetnsHost(
            SUBNET_PREFIX + pid + "-" + n, hostSide, peerSide, InetAddress.getByName(inside), null);
    ip("netns", "add", host.namespace);
    try {
      ip(
          "link",
          "add",
          hostSide,
          "type",
          "veth",
          "peer",
          "name",
          peerSide,
          "netns",
          host.namespace);
      for (String a : outside) {
        ip("addr", "add", a + "/24", "dev", hostSide);
      }
      ip("link", "set", hostSide, "up");
      ip("-n", host.namespace, "addr", "add", inside + "/24", "dev", peerSide);
      ip("-n", host.namespace, "link", "set", peerSide, "up");
      ip("-n", host.namespace, "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      host.close();
      throw e;
    }
    return host;
  }

  /** {@code ip netns exec <namespace>}, to put in front of a command. */
  public List<String> wrapper() {
    return List.of("ip", "netns", "exec", namespace);
  }

  /**
   * Routes everything not on the pair's subnet to {@code outside} (an address on this end), so that
   * a process inside reaches every address of this host, those of other namespaces' pairs included.
   */
  public void routeAllVia(String outside) throws IOException {
    ip("-n", namespace, "route", "add", "default", "via", outside);
  }

  /** Takes the inside end of the pair down: nothing goes in or out until {@link #reconnect}. */
  public void disconnect() throws IOException {
    ip("-n", namespace, "link", "set", peerSide, "down");
  }

  /** Brings the inside end up again, with its default route if {@code outside} is given. */
  public void reconnect(String outside) throws IOException {
    ip("-n", namespace, "link", "set", peerSide, "up");
    if (outside != null) {
      ip("-n", namespace, "route", "replace", "default", "via", outside);
    }
  }

  private static void deleteOrphans() throws IOException {
    for (String line : output("ip", "netns", "list").split("\n")) {
      String ns = line.split("\\s+")[0];
      if (ns.startsWith(SUBNET_PREFIX)) {
        String pid = ns.substring(SUBNET_PREFIX.length()).split("-")[0];
        if (pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          ip("netns", "del", ns);
        }
      }
    }
  }

  /**
   * Starts a TCP listener on {@code port} of the host's IPv4 address, inside its namespace (a Java
   * process run there, accepting and closing connections); returns once it listens. Closing the
   * returned handle stops it.
   */
  public AutoCloseable listen(int port) throws IOException {
    Path source = Files.createTempFile("netns-listener", ".java");
    Files.writeString(source, LISTENER_SOURCE);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespace,
                java.toString(),
                source.toString(),
                address4.getHostAddress(),
                Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    AutoCloseable stop =
        () -> {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          Files.deleteIfExists(source);
        };
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"listening".equals(first)) {
      try {
        stop.close();
      } catch (Exception e) {
        first += " (and stopping it failed: " + e + ")";
      }
      throw new IOException("listener in " + namespace + " did not start: " + first);
    }
    return stop;
  }

  private static final String LISTENER_SOURCE =
      """
      import java.net.*;

      class NetnsListener {
        public static void main(String[] args) throws Exception {
          try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
            System.out.println("listening");
            System.out.flush();
            while (true) {
              s.accept().close();
            }
          }
        }
      }
      """;

  @Override
  public void close() throws IOException {
    ip("netns", "del", namespace);
  }

  // A /30 in 203.0.113.0/24 no current route overlaps (other tests may be using the range too).
  private static int freeSubnet() throws IOException {
    List<int[]> used = new ArrayList<>();
    for (String line : output("ip", "-4", "route", "show", "table", "all").split("\n")) {
      String dst = line.split("\\s+")[0];
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

  private static void ip(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "ip";
    System.arraycopy(args, 0, command, 1, args.length);
    output(command);
  }

  private static String output(String... command) throws IOException {
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

  /** Runs a command, for tests that need sysctl or ss; fails on a non-zero exit. */
  public static String run(String... command) throws IOException {
    return output(command);
  }
}
