package io.haddns.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real BIND 9 {@code named} serving test zones as a {@link DnsTestServer}. Updates are kept in
 * each zone's journal ({@code <zone>.zone.jnl} in the work directory), so a restart keeps them. The
 * {@code update} and {@code update-security} log categories go to {@code update.log}.
 *
 * <pre>{@code
 * try (BindServer bind = BindServer.start(tempDir, "example.com")) { ... bind.port() ... }
 * }</pre>
 */
public final class BindServer extends DnsServerProcess {
  private final Path named;

  private final List<String> listenOn;

  private BindServer(Path named, Path workDir, List<String> zones, List<String> listenOn)
      throws IOException {
    super(workDir, zones);
    this.named = named;
    this.listenOn = List.copyOf(listenOn);
  }

  /**
   * Starts {@code named} on a free 127.0.0.1 port; skips the test (fails under CI) when BIND is not
   * installed.
   */
  public static BindServer start(Path workDir, String... zones) throws IOException {
    return start(workDir, List.of(), zones);
  }

  /** As {@link #start(Path, String...)}, listening on {@code alsoOn} (IPv4 addresses) too. */
  public static BindServer start(Path workDir, List<String> alsoOn, String... zones)
      throws IOException {
    Path named = RequiredBinary.require("named", "bind9");
    List<String> listenOn = new ArrayList<>(List.of("127.0.0.1"));
    listenOn.addAll(alsoOn);
    BindServer server = new BindServer(named, workDir, List.of(zones), listenOn);
    server.firstStart();
    return server;
  }

  @Override
  public String kind() {
    return "bind";
  }

  @Override
  Path logFile() {
    return workDir.resolve("named.log");
  }

  private Path updateLog() {
    return workDir.resolve("update.log");
  }

  @Override
  List<String> command() {
    // -f: foreground with logging as configured (-g would force everything to stderr).
    return List.of(
        named.toString(), "-f", "-4", "-n", "1", "-c", workDir.resolve("named.conf").toString());
  }

  @Override
  void writeConfig(int port) throws IOException {
    String dir = workDir.toString();
    StringBuilder conf = new StringBuilder();
    conf.append("options {\n")
        .append("  directory \"")
        .append(dir)
        .append("\";\n")
        .append("  pid-file none;\n")
        .append("  listen-on port ")
        .append(port)
        .append(" { ")
        .append(String.join("; ", listenOn))
        .append("; };\n")
        .append("  listen-on-v6 { none; };\n")
        .append("  recursion no;\n  notify no;\n  dnssec-validation no;\n")
        .append("  session-keyfile none;\n")
        .append("};\n")
        .append("controls { };\n")
        .append(key(tsigName(), tsigSecretBase64()))
        .append(key(deniedTsigName(), deniedTsigSecretBase64()))
        .append("logging {\n")
        .append("  channel updates { file \"")
        .append(updateLog())
        .append("\"; severity info;")
        .append(" print-time yes; print-category yes; };\n")
        .append("  channel main { file \"")
        .append(logFile())
        .append("\"; severity info;")
        .append(" print-time yes; print-category yes; };\n")
        .append("  category update { updates; };\n")
        .append("  category update-security { updates; };\n")
        .append("  category default { main; };\n")
        .append("};\n");
    for (String zone : zones()) {
      conf.append("zone \"")
          .append(zone)
          .append("\" {\n")
          .append("  type primary;\n")
          .append("  file \"")
          .append(zoneFile(zone))
          .append("\";\n")
          .append("  update-policy { deny ")
          .append(tsigName())
          .append(" name ")
          .append(refusedName(zone))
          .append(" ANY; grant ")
          .append(tsigName())
          .append(" zonesub A AAAA TXT; };\n")
          .append("  allow-transfer { key ")
          .append(tsigName())
          .append("; };\n")
          .append("};\n");
    }
    Files.writeString(workDir.resolve("named.conf"), conf, StandardCharsets.UTF_8);
  }

  /**
   * A name in {@code zone} that the update key may not change: an UPDATE touching it is REFUSED.
   */
  public static String refusedName(String zone) {
    return "refused." + zone;
  }

  private static String key(String name, String secret) {
    return "key \""
        + name
        + "\" { algorithm "
        + TSIG_ALGORITHM
        + "; secret \""
        + secret
        + "\"; };\n";
  }

  /**
   * Lines of the {@code update} and {@code update-security} categories, e.g. {@code client @0x..
   * 127.0.0.2#40001/key haddns: updating zone ...}.
   */
  @Override
  public List<String> updateLogLines() throws IOException {
    Path log = updateLog();
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }
}
