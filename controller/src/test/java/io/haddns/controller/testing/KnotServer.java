package io.haddns.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Knot DNS {@code knotd} serving test zones as a {@link DnsTestServer}. Zone files, journal
 * and timers live in the work directory and every update is flushed to the zone file, so a restart
 * keeps them. The log goes to {@code knot.log} at debug level, where ACL decisions name the client
 * address.
 *
 * <pre>{@code
 * try (KnotServer knot = KnotServer.start(tempDir, "example.com")) { ... knot.port() ... }
 * }</pre>
 */
public final class KnotServer extends DnsServerProcess {
  private final Path knotd;

  private KnotServer(Path knotd, Path workDir, List<String> zones) throws IOException {
    super(workDir, zones);
    this.knotd = knotd;
  }

  /**
   * Starts {@code knotd} on a free 127.0.0.1 port; skips the test (fails under CI) when Knot is not
   * installed.
   */
  public static KnotServer start(Path workDir, String... zones) throws IOException {
    Path knotd = RequiredBinary.require("knotd", "knot");
    KnotServer server = new KnotServer(knotd, workDir, List.of(zones));
    server.firstStart();
    return server;
  }

  @Override
  public String kind() {
    return "knot";
  }

  @Override
  Path logFile() {
    return workDir.resolve("knot.log");
  }

  @Override
  List<String> command() {
    return List.of(knotd.toString(), "-c", workDir.resolve("knot.conf").toString());
  }

  @Override
  void writeConfig(int port) throws IOException {
    String dir = workDir.toString();
    StringBuilder conf = new StringBuilder();
    conf.append("server:\n")
        .append("  rundir: \"")
        .append(dir)
        .append("\"\n")
        .append("  pidfile: \"")
        .append(dir)
        .append("/knot.pid\"\n")
        .append("  listen: 127.0.0.1@")
        .append(port)
        .append("\n")
        .append("  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n")
        .append("log:\n")
        .append("  - target: \"")
        .append(logFile())
        .append("\"\n")
        .append("    any: debug\n")
        .append("database:\n")
        .append("  storage: \"")
        .append(dir)
        .append("\"\n")
        .append("key:\n")
        .append(key(tsigName(), tsigSecretBase64()))
        .append(key(deniedTsigName(), deniedTsigSecretBase64()))
        .append("acl:\n")
        .append("  - id: haddns_update\n")
        .append("    key: ")
        .append(tsigName())
        .append("\n")
        .append("    action: [update, transfer]\n")
        .append("    update-type: [A, AAAA, TXT]\n")
        .append("template:\n")
        .append("  - id: default\n")
        .append("    storage: \"")
        .append(dir)
        .append("\"\n")
        .append("    file: \"%s.zone\"\n")
        .append("    zonefile-sync: 0\n")
        .append("zone:\n");
    for (String zone : zones()) {
      conf.append("  - domain: ").append(zone).append("\n").append("    acl: haddns_update\n");
    }
    Files.writeString(workDir.resolve("knot.conf"), conf, StandardCharsets.UTF_8);
  }

  private static String key(String name, String secret) {
    return "  - id: "
        + name
        + "\n    algorithm: "
        + TSIG_ALGORITHM
        + "\n    secret: "
        + secret
        + "\n";
  }

  /**
   * Lines about updates: ACL decisions for action update (naming {@code remote <address>@<port>}
   * and the key), TSIG failures, and the DDNS processing results.
   */
  @Override
  public List<String> updateLogLines() throws IOException {
    Path log = logFile();
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains("DDNS") || l.contains("action update") || l.contains("TSIG"))
        .toList();
  }
}
