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
 * The anchor of {@link LeaderFailoverBenchmark}: two keepalived (VRRPv3) instances in two network
 * namespaces joined by a veth pair, sharing one virtual address (in a documentation range, only
 * inside those namespaces). Instance A has the higher priority and holds the address; {@link
 * #killMaster()} SIGKILLs it, and {@link #backupHolds()} tells when B has taken the address over.
 * Names carry this JVM's pid. Needs root, iproute2 and keepalived.
 */
final class KeepalivedPair implements AutoCloseable {
  static final String VIP = "192.0.2.200";
  private final String nsA;
  private final String nsB;
  private final Path dir;
  private final String advertInt;
  private Process a;
  private Process b;
  private int starts;

  private KeepalivedPair(String nsA, String nsB, Path dir, String advertInt) {
    this.nsA = nsA;
    this.nsB = nsB;
    this.dir = dir;
    this.advertInt = advertInt;
  }

  /** Two namespaces, the link and both instances; returns once A holds the address. */
  static KeepalivedPair start(Path dir, String advertInt) throws IOException, InterruptedException {
    RequiredBinary.requireCondition(
        "root".equals(System.getProperty("user.name")), "network namespaces need root");
    RequiredBinary.require("ip", "iproute2");
    RequiredBinary.require("keepalived", "keepalived");
    long pid = ProcessHandle.current().pid();
    int n = ThreadLocalRandom.current().nextInt(1000);
    KeepalivedPair p =
        new KeepalivedPair("hdka-" + pid + "-" + n, "hdkb-" + pid + "-" + n, dir, advertInt);
    try {
      run("ip", "netns", "add", p.nsA);
      run("ip", "netns", "add", p.nsB);
      run(
          "ip", "-n", p.nsA, "link", "add", "vka", "type", "veth", "peer", "name", "vkb", "netns",
          p.nsB);
      run("ip", "-n", p.nsA, "addr", "add", "192.0.2.1/24", "dev", "vka");
      run("ip", "-n", p.nsB, "addr", "add", "192.0.2.2/24", "dev", "vkb");
      for (String ns : List.of(p.nsA, p.nsB)) {
        run("ip", "-n", ns, "link", "set", "lo", "up");
      }
      run("ip", "-n", p.nsA, "link", "set", "vka", "up");
      run("ip", "-n", p.nsB, "link", "set", "vkb", "up");
      p.a = p.instance("a", p.nsA, "vka", 200);
      p.b = p.instance("b", p.nsB, "vkb", 100);
      p.awaitMaster();
      return p;
    } catch (IOException | RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
  }

  private Process instance(String id, String ns, String dev, int priority) throws IOException {
    // Fresh pid files per start: a killed instance's VRRP child may linger unreaped a moment, and
    // keepalived would take its pid file for a daemon still running.
    String gen = id + "-" + ++starts;
    Path conf = dir.resolve("keepalived-" + id + ".conf");
    Files.writeString(
        conf,
        """
        global_defs {
          router_id haddns_bench_%s
          vrrp_version 3
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface %s
          virtual_router_id 51
          priority %d
          advert_int %s
          virtual_ipaddress {
            %s/24
          }
        }
        """
            .formatted(id, dev, priority, advertInt, VIP),
        StandardCharsets.UTF_8);
    return new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            ns,
            "keepalived",
            "--dont-fork",
            "--vrrp",
            "--log-console",
            "--use-file",
            conf.toString(),
            "--pid",
            dir.resolve("ka-" + gen + ".pid").toString(),
            "--vrrp_pid",
            dir.resolve("ka-vrrp-" + gen + ".pid").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("keepalived-" + id + ".log").toFile())
        .start();
  }

  /** Waits up to 30 s until A holds the address (B does not), e.g. after a restart of A. */
  void awaitMaster() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(holds(nsA) && !holds(nsB))) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "keepalived A never became master; log: "
                + Files.readString(dir.resolve("keepalived-a.log")));
      }
      Thread.sleep(20);
    }
  }

  /** SIGKILL of A's keepalived: no goodbye advertisement (priority 0) is sent. */
  void killMaster() {
    a.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    a.destroyForcibly();
  }

  /** Starts A again; it takes the address back (it preempts). */
  void restartMaster() throws IOException, InterruptedException {
    a.waitFor(10, TimeUnit.SECONDS);
    // A killed instance leaves its address configured: remove it, as a rebooted host would not have
    // it.
    runQuietly("ip", "-n", nsA, "addr", "del", VIP + "/24", "dev", "vka");
    a = instance("a", nsA, "vka", 200);
    awaitMaster();
  }

  boolean backupHolds() throws IOException {
    return holds(nsB);
  }

  private boolean holds(String ns) throws IOException {
    return run("ip", "-n", ns, "-4", "-o", "addr", "show").contains(" " + VIP + "/");
  }

  @Override
  public void close() {
    for (Process p : new Process[] {a, b}) {
      if (p != null) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
    runQuietly("ip", "netns", "del", nsA);
    runQuietly("ip", "netns", "del", nsB);
  }

  private static void runQuietly(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      // best effort: nothing left to clean up
    }
  }

  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
