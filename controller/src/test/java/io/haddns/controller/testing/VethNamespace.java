package io.haddns.controller.testing;

import io.haddns.probe.testing.NetnsHost;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to this one by a veth pair, for a process that must be reached over a
 * link rather than through this host's loopback: one address inside (loopback is up there too) and
 * any number on this side, all in the same /24 of a documentation range. {@link #wrapper()} runs a
 * command inside. Names carry this JVM's pid; {@link #create} first deletes namespaces of earlier
 * runs whose JVM died before {@link #close()}, and refuses a /24 that this host already uses. Needs
 * root and iproute2: skipped without them, failed under CI.
 */
public final class VethNamespace implements AutoCloseable {
  private static final String PREFIX = "hdv-";

  private final String name;
  private final String peerSide;

  private VethNamespace(String name, String peerSide) {
    this.name = name;
    this.peerSide = peerSide;
  }

  /**
   * Creates the namespace with {@code inside} on its end of the pair and {@code outside} on this
   * end (the first is the primary address, the source of connections that do not choose one).
   */
  public static VethNamespace create(String inside, List<String> outside) throws IOException {
    RequiredBinary.requireCondition(
        "root".equals(System.getProperty("user.name")), "a network namespace needs root");
    RequiredBinary.require("ip", "iproute2");
    deleteOrphans();
    String subnet = inside.substring(0, inside.lastIndexOf('.')) + ".0/24";
    String taken = run("ip", "-4", "-o", "addr", "show", "to", subnet).trim();
    if (!taken.isEmpty()) {
      throw new IOException(subnet + " is already in use on this host:\n" + taken);
    }
    long pid = ProcessHandle.current().pid();
    int n = ThreadLocalRandom.current().nextInt(1000);
    String hostSide = "vn" + pid + "x" + n;
    String peerSide = "vp" + pid + "x" + n;
    VethNamespace ns = new VethNamespace(PREFIX + pid + "-" + n, peerSide);
    run("ip", "netns", "add", ns.name);
    try {
      run(
          "ip", "link", "add", hostSide, "type", "veth", "peer", "name", peerSide, "netns",
          ns.name);
      for (String a : outside) {
        run("ip", "addr", "add", a + "/24", "dev", hostSide);
      }
      run("ip", "link", "set", hostSide, "up");
      run("ip", "-n", ns.name, "addr", "add", inside + "/24", "dev", peerSide);
      run("ip", "-n", ns.name, "link", "set", peerSide, "up");
      run("ip", "-n", ns.name, "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** {@code ip netns exec <name>}, to put in front of a command. */
  public List<String> wrapper() {
    return List.of("ip", "netns", "exec", name);
  }

  /**
   * Routes everything not on the pair's /24 to {@code outside} (an address on this end), so that a
   * process inside reaches every address of this host, those of other namespaces' pairs included.
   */
  public void routeAllVia(String outside) throws IOException {
    run("ip", "-n", name, "route", "add", "default", "via", outside);
  }

  /** Takes the inside end of the pair down: nothing goes in or out until {@link #reconnect()}. */
  public void cut() throws IOException {
    run("ip", "-n", name, "link", "set", peerSide, "down");
  }

  /** Brings the inside end up again, with its default route if {@code outside} is given. */
  public void reconnect(String outside) throws IOException {
    run("ip", "-n", name, "link", "set", peerSide, "up");
    if (outside != null) {
      run("ip", "-n", name, "route", "replace", "default", "via", outside);
    }
  }

  /** Deletes the namespace, and with it both ends of the veth pair. */
  @Override
  public void close() throws IOException {
    run("ip", "netns", "del", name);
  }

  private static void deleteOrphans() throws IOException {
    for (String line : run("ip", "netns", "list").split("\n")) {
      String ns = line.split("\\s+")[0];
      if (ns.startsWith(PREFIX)) {
        String pid = ns.substring(PREFIX.length()).split("-")[0];
        if (pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          run("ip", "netns", "del", ns);
        }
      }
    }
  }

  private static String run(String... command) throws IOException {
    return NetnsHost.run(command);
  }
}
