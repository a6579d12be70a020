package io.haddns.controller.bench;

import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  private final Process process;
  private final Thread killOnExit;

  private StaticZoneServer(Kind kind, int port, Process process) {
    this.kind = kind;
    this.port = port;
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, "bench-" + kind + "-kill");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts the server with {@code zoneText} as the zone file of {@code zone}; waits for SOA. */
  static StaticZoneServer start(Kind kind, Path dir, String zone, String zoneText)
      throws IOException, InterruptedException {
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
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
            .start();
    StaticZoneServer s = new StaticZoneServer(kind, port, p);
    try {
      s.awaitSoa(zone);
      return s;
    } catch (IOException | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
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

  private void awaitSoa(String zone) throws IOException, InterruptedException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofMillis(300));
    Message q =
        Message.newQuery(Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN));
    long deadline = System.nanoTime() + STARTUP.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(kind + " exited with " + process.exitValue() + "; see its log");
      }
      try {
        Message m = r.send(q);
        if (m.getRcode() == Rcode.NOERROR && m.getSection(Section.ANSWER).size() == 1) {
          return;
        }
      } catch (IOException e) {
        last = e; // not listening yet: ask again
      }
      Thread.sleep(50);
    }
    throw new IOException(kind + " did not answer SOA " + zone + " within " + STARTUP, last);
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
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      process.destroyForcibly();
    }
  }
}
