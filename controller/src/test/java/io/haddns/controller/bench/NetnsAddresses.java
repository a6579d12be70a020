package io.haddns.controller.bench;

import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Public-looking line addresses that are hosts of this benchmark: a network namespace behind a veth
 * pair owning the given addresses of 198.51.100.0/24 (TEST-NET-2), with nothing listening, so the
 * leader's probes of reported addresses get a TCP reset from inside this machine and no packet
 * leaves it. (Reported addresses cannot be loopback: the gateway refuses them.)
 */
final class NetnsAddresses implements AutoCloseable {
  private static final String PREFIX = "198.51.100.";

  private final String namespace;

  private NetnsAddresses(String namespace) {
    this.namespace = namespace;
  }

  static String address(int lastOctet) {
    return PREFIX + lastOctet;
  }

  /** Creates the namespace with addresses {@code 198.51.100.<o>} for each {@code o} given. */
  static NetnsAddresses create(List<Integer> lastOctets, Path scratch) throws IOException {
    RequiredBinary.requireCondition(
        "root".equals(System.getProperty("user.name")), "line addresses need root (netns)");
    RequiredBinary.require("ip", "iproute2");
    int n = ThreadLocalRandom.current().nextInt(1000);
    long pid = ProcessHandle.current().pid();
    String ns = "gwb-" + pid + "-" + n;
    String host = "gv" + pid + "x" + n;
    String peer = "gp" + pid + "x" + n;
    NetnsAddresses a = new NetnsAddresses(ns);
    run("ip", "netns", "add", ns);
    try {
      run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
      run("ip", "link", "set", peer, "netns", ns);
      run("ip", "addr", "add", PREFIX + "254/24", "dev", host);
      run("ip", "link", "set", host, "up");
      StringBuilder batch = new StringBuilder();
      for (int o : lastOctets) {
        batch.append("addr add ").append(PREFIX).append(o).append("/24 dev ").append(peer);
        batch.append('\n');
      }
      batch.append("link set ").append(peer).append(" up\nlink set lo up\n");
      Path file = scratch.resolve("netns-batch.txt");
      Files.writeString(file, batch, StandardCharsets.US_ASCII);
      run("ip", "-n", ns, "-batch", file.toString());
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
    return a;
  }

  @Override
  public void close() throws IOException {
    run("ip", "netns", "del", namespace);
  }

  /** Runs {@code command}, failing with its output unless it exits 0 within 10 s. */
  static String run(String... command) throws IOException {
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
