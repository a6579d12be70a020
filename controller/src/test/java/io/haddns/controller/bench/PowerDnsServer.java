package io.haddns.controller.bench;

import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.RequiredBinary;
import io.haddns.controller.testing.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A PowerDNS Authoritative process (the {@code bind} backend, its own config directory, a free
 * 127.0.0.1 port, every cache off) serving one zone whose {@code app} name is a LUA A record. The
 * anchor of the line-failure benchmark.
 */
final class PowerDnsServer implements AutoCloseable {
  private final ServerProcess process;
  private final int port;

  private PowerDnsServer(ServerProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code pdns_server} with {@code lua-health-checks-interval=1}; skips the benchmark
   * (fails under CI) when PowerDNS is not installed.
   */
  static PowerDnsServer start(Path dir, String zone, String luaA) throws IOException {
    Path pdns = RequiredBinary.require("pdns_server", "pdns-server");
    Files.createDirectories(dir);
    Path zoneFile = dir.resolve(zone + ".zone");
    Files.writeString(
        zoneFile,
        "$TTL 30\n@ IN SOA localhost. hostmaster."
            + zone
            + ". 1 3600 600 86400 60\n@ IN NS localhost.\napp IN LUA A \""
            + luaA
            + "\"\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("named.conf"),
        "zone \"" + zone + "\" { type master; file \"" + zoneFile + "\"; };\n",
        StandardCharsets.UTF_8);
    int port = FreePorts.tcpAndUdp(InetAddress.getLoopbackAddress());
    Files.writeString(
        dir.resolve("pdns.conf"),
        String.join(
            "\n",
            "launch=bind",
            "bind-config=" + dir.resolve("named.conf"),
            "local-address=127.0.0.1",
            "local-port=" + port,
            "socket-dir=" + dir,
            "enable-lua-records=yes",
            "lua-health-checks-interval=1",
            "cache-ttl=0",
            "query-cache-ttl=0",
            "negquery-cache-ttl=0",
            "daemon=no",
            "guardian=no",
            "disable-syslog=yes",
            "loglevel=6",
            ""),
        StandardCharsets.UTF_8);
    ServerProcess p =
        ServerProcess.start(
            "pdns_server",
            List.of(pdns.toString(), "--config-dir=" + dir),
            dir,
            List.of(dir.resolve("pdns.log")),
            Duration.ofSeconds(20),
            () -> {
              answerA(port, "app." + zone);
              return true;
            });
    return new PowerDnsServer(p, port);
  }

  int port() {
    return port;
  }

  /** The A addresses answered for {@code name} over UDP, sorted and comma-joined. */
  String answerA(String name) throws IOException {
    return answerA(port, name);
  }

  /** The A addresses a server on 127.0.0.1:{@code port} answers over UDP, comma-joined. */
  static String answerA(int port, String name) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofMillis(500));
    Message m =
        r.send(
            Message.newQuery(
                Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN)));
    List<String> a =
        m.getSection(Section.ANSWER).stream()
            .filter(x -> x.getType() == Type.A)
            .map(Record::rdataToString)
            .sorted()
            .toList();
    return String.join(",", a);
  }

  @Override
  public void close() {
    process.close();
  }
}
