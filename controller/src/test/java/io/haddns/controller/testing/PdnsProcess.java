package io.haddns.controller.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real PowerDNS Authoritative server ({@code pdns_server}, the {@code gsqlite3} backend) in its
 * own directory: its own config, SQLite database, control socket, a free 127.0.0.1 DNS port and a
 * free webserver port with the HTTP API on ({@code api=yes}, a random {@code api-key}), and RFC
 * 2136 UPDATE accepted from 127.0.0.0/8 for zones whose {@code TSIG-ALLOW-DNSUPDATE} metadata names
 * the key. Zones are created with {@code pdnsutil create-zone}. It can be stopped and started again
 * on the same ports with its data kept. Skips the test (fails under {@code HADDNS_REQUIRE_ALL})
 * when {@code pdns_server}, {@code pdnsutil} or {@code sqlite3} is missing.
 */
public final class PdnsProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final List<Path> SCHEMAS =
      List.of(
          Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"),
          Path.of("/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql"));

  private final Path dir;
  private final Path pdnsServer;
  private final Path pdnsutil;
  private final String apiKey;
  private final int dnsPort;
  private final int webPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private ServerProcess server;

  private PdnsProcess(Path dir, Path pdnsServer, Path pdnsutil, int dnsPort, int webPort) {
    this.dir = dir;
    this.pdnsServer = pdnsServer;
    this.pdnsutil = pdnsutil;
    this.dnsPort = dnsPort;
    this.webPort = webPort;
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    this.apiKey = HexFormat.of().formatHex(key);
  }

  /**
   * Creates the database, writes the config, creates {@code zones} and starts the server. The ports
   * are found free, then handed to pdns_server: when it cannot bind them (taken meanwhile), it is
   * started again on others.
   */
  public static PdnsProcess start(Path dir, String... zones) throws IOException {
    Path server = RequiredBinary.require("pdns_server", "pdns-server");
    Path util = RequiredBinary.require("pdnsutil", "pdns-server");
    Path sqlite = RequiredBinary.require("sqlite3", "sqlite3");
    Path schema = SCHEMAS.stream().filter(Files::isReadable).findFirst().orElse(null);
    RequiredBinary.requireCondition(
        schema != null, "PowerDNS SQLite schema not found: install 'pdns-backend-sqlite3'");
    Files.createDirectories(dir);
    Path abs = dir.toAbsolutePath();
    run(List.of(sqlite.toString(), abs.resolve("pdns.sqlite3").toString(), ".read " + schema), abs);
    PdnsProcess p = onFreshPorts(abs, server, util);
    for (String zone : zones) {
      p.pdnsutil("create-zone", zone, "ns1." + zone);
    }
    IOException failed = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        p = attempt == 0 ? p : onFreshPorts(abs, server, util);
        p.start();
        return p;
      } catch (IOException e) {
        failed = e;
      }
    }
    throw failed;
  }

  private static PdnsProcess onFreshPorts(Path dir, Path server, Path util) throws IOException {
    PdnsProcess p =
        new PdnsProcess(
            dir, server, util, FreePorts.tcpAndUdp(InetAddress.getLoopbackAddress()), freeTcp());
    p.writeConfig();
    return p;
  }

  private static int freeTcp() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void writeConfig() throws IOException {
    Files.writeString(
        dir.resolve("pdns.conf"),
        String.join(
            "\n",
            "launch=gsqlite3",
            "gsqlite3-database=" + dir.resolve("pdns.sqlite3"),
            "local-address=127.0.0.1",
            "local-port=" + dnsPort,
            "socket-dir=" + dir,
            "api=yes",
            "api-key=" + apiKey,
            "webserver=yes",
            "webserver-address=127.0.0.1",
            "webserver-port=" + webPort,
            "webserver-allow-from=127.0.0.0/8",
            "dnsupdate=yes",
            "allow-dnsupdate-from=127.0.0.0/8",
            "allow-axfr-ips=127.0.0.0/8",
            "daemon=no",
            "guardian=no",
            "disable-syslog=yes",
            "loglevel=5",
            ""),
        StandardCharsets.UTF_8);
  }

  /** Runs {@code pdnsutil --config-dir <dir> args…}; returns its output. */
  public String pdnsutil(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(pdnsutil.toString(), "--config-dir=" + dir));
    cmd.addAll(List.of(args));
    return run(cmd, dir);
  }

  /**
   * Imports a hmac-sha256 TSIG key and allows it to UPDATE and transfer {@code zone}; returns its
   * base64 secret.
   */
  public String allowDnsUpdate(String zone, String keyName) throws IOException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String b64 = Base64.getEncoder().encodeToString(secret);
    pdnsutil("import-tsig-key", keyName, "hmac-sha256", b64);
    pdnsutil("set-meta", zone, "TSIG-ALLOW-DNSUPDATE", keyName);
    pdnsutil("set-meta", zone, "TSIG-ALLOW-AXFR", keyName);
    return b64;
  }

  private static String run(List<String> cmd, Path dir) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + " " + cmd.subList(1, cmd.size()) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /** Starts the (stopped) server; returns once the API answers. */
  public synchronized void start() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("pdns_server is already running");
    }
    stop();
    server =
        ServerProcess.start(
            "pdns_server",
            List.of(pdnsServer.toString(), "--config-dir=" + dir),
            dir,
            List.of(dir.resolve("pdns.log")),
            STARTUP,
            this::apiAnswers);
  }

  private boolean apiAnswers() throws IOException {
    return api("GET", "/api/v1/servers/localhost", null).statusCode() == 200;
  }

  /** Stops the process and waits until it has exited. */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public synchronized boolean isRunning() {
    return server != null && server.isAlive();
  }

  @Override
  public void close() {
    stop();
    http.close();
  }

  /** The webserver's base URL, e.g. {@code http://127.0.0.1:8081}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + webPort);
  }

  public String apiKey() {
    return apiKey;
  }

  public int dnsPort() {
    return dnsPort;
  }

  /** A raw API call with the right key, for arranging state the provider must find. */
  public HttpResponse<String> api(String method, String path, String jsonBody) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url().resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("X-API-Key", apiKey);
    b =
        jsonBody == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Answer records for {@code name}/{@code type}, asked over UDP on the DNS port. */
  public List<Record> query(String name, int type) throws IOException {
    SimpleResolver resolver =
        new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dnsPort));
    resolver.setTimeout(Duration.ofSeconds(2));
    Message answer =
        resolver.send(
            Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
    int rcode = answer.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new IOException(
          "pdns answered " + name + "/" + Type.string(type) + " with " + Rcode.string(rcode));
    }
    return answer.getSection(Section.ANSWER);
  }
}
