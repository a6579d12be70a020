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
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Knot DNS or BIND serving one static zone file on 127.0.0.1 as an anchor for query throughput:
 * unlike the test fixtures ({@code KnotServer}, {@code BindServer}), no dynamic updates, logging at
 * the normal level (info, no query log) and the default number of worker threads (one per core).
 */
final class StaticZoneServer implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  /** Which server. */
  enum Kind {
    KNOT,
    BIND
  }

  private final Kind kind;
  private final int port;
  private final ServerProcess process;

  private StaticZoneServer(Kind kind, int port, ServerProcess process) {
    this.kind = kind;
    this.port = port;
    this.process = process;
  }

  /** Starts the server with {@code zoneText} as the zone file of {@code zone}; waits for SOA. */
  static StaticZoneServer start(Kind kind, Path dir, String zone, String zoneText)
      throws IOException {
    Files.createDirectories(dir);
    Path zoneFile = dir.resolve(zone + ".zone");
    Files.writeString(zoneFile, zoneText, StandardCharsets.UTF_8);
    int port = FreePorts.tcpAndUdp(InetAddress.getByName("127.0.0.1"));
    Path conf = dir.resolve(kind == Kind.KNOT ? "knot.conf" : "named.conf");
    List<String> cmd;
    if (kind == Kind.KNOT) {
      Path knotd = RequiredBinary.require("knotd", "knot");
      Files.writeString(conf, knotConf(dir, port, zone, zoneFile), StandardCharsets.UTF_8);
      cmd = List.of(knotd.toString(), "-c", conf.toString());
    } else {
      Path named = RequiredBinary.require("named", "bind9");
      Files.writeString(conf, namedConf(dir, port, zone, zoneFile), StandardCharsets.UTF_8);
      cmd = List.of(named.toString(), "-f", "-4", "-c", conf.toString());
    }
    ServerProcess p =
        ServerProcess.start(
            "bench-" + kind,
            cmd,
            dir,
            List.of(dir.resolve("stdout.log")),
            STARTUP,
            () -> answersSoa(port, zone));
    return new StaticZoneServer(kind, port, p);
  }

  private static String knotConf(Path dir, int port, String zone, Path zoneFile) {
    return """
        server:
          rundir: "%1$s"
          pidfile: "%1$s/knot.pid"
          listen: 127.0.0.1@%2$d
        log:
          - target: "%1$s/knot.log"
            any: info
        database:
          storage: "%1$s"
        zone:
          - domain: %3$s
            storage: "%1$s"
            file: "%4$s"
        """
        .formatted(dir, port, zone, zoneFile);
  }

  private static String namedConf(Path dir, int port, String zone, Path zoneFile) {
    return """
        options {
          directory "%1$s";
          pid-file none;
          listen-on port %2$d { 127.0.0.1; };
          listen-on-v6 { none; };
          recursion no;
          notify no;
          dnssec-validation no;
          session-keyfile none;
        };
        controls { };
        logging {
          channel main { file "%1$s/named.log"; severity info; };
          category default { main; };
        };
        zone "%3$s" { type primary; file "%4$s"; };
        """
        .formatted(dir, port, zone, zoneFile);
  }

  private static boolean answersSoa(int port, String zone) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofMillis(300));
    Message m =
        r.send(
            Message.newQuery(
                Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN)));
    return m.getRcode() == Rcode.NOERROR && m.getSection(Section.ANSWER).size() == 1;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  String label() {
    return kind == Kind.KNOT ? "Knot DNS" : "BIND 9";
  }

  @Override
  public void close() {
    process.close();
  }
}
