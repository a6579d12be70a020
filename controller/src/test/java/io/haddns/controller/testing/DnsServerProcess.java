package io.haddns.controller.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
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
 * The process side of a {@link DnsTestServer}: work directory, keys, port, zone files, and a {@link
 * ServerProcess} that is ready once every zone answers SOA.
 */
abstract class DnsServerProcess implements DnsTestServer {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration STARTUP = Duration.ofSeconds(30);

  final Path workDir;
  private final SecureRandom random = new SecureRandom();
  private final List<String> zones;
  private final String secret = randomSecret();
  private final String wrongSecret = randomSecret();
  private final String deniedSecret = randomSecret();
  private int port;
  private ServerProcess server;

  DnsServerProcess(Path workDir, List<String> zones) throws IOException {
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("at least one zone");
    }
    this.workDir = Files.createDirectories(workDir.toAbsolutePath());
    this.zones =
        zones.stream()
            .map(z -> z.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", ""))
            .toList();
  }

  /** Writes the server's configuration for the current port and keys. */
  abstract void writeConfig(int port) throws IOException;

  abstract List<String> command();

  abstract Path logFile();

  /** First start: picks a free port, retrying with another one if the server could not bind. */
  final void firstStart() throws IOException {
    for (String zone : zones) {
      Path file = zoneFile(zone);
      if (!Files.exists(file)) {
        Files.writeString(
            file,
            "$TTL 300\n"
                + "@ IN SOA localhost. hostmaster."
                + zone
                + ". 1 3600 600 86400 60\n"
                + "@ IN NS localhost.\n");
      }
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      port = FreePorts.tcpAndUdp(LOOPBACK);
      try {
        start();
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  Path zoneFile(String zone) {
    return workDir.resolve(zone + ".zone");
  }

  @Override
  public final synchronized void start() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException(kind() + " is already running on port " + port);
    }
    stop();
    writeConfig(port);
    Path out = workDir.resolve(kind() + ".stdout");
    server =
        ServerProcess.start(
            kind() + "-" + port,
            command(),
            workDir,
            List.of(out, logFile()),
            STARTUP,
            this::allZonesAnswerSoa);
  }

  private boolean allZonesAnswerSoa() throws IOException {
    for (String zone : zones) {
      if (query(zone, Type.SOA).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public final synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public final void close() {
    stop();
  }

  @Override
  public final synchronized boolean isRunning() {
    return server != null && server.isAlive();
  }

  @Override
  public List<Record> query(String name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, port));
    resolver.setTCP(true);
    resolver.setTimeout(Duration.ofSeconds(2));
    Message answer =
        resolver.send(
            Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
    int rcode = answer.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new IOException(
          kind() + " answered " + name + "/" + Type.string(type) + " with " + Rcode.string(rcode));
    }
    return answer.getSection(Section.ANSWER);
  }

  @Override
  public final int port() {
    return port;
  }

  @Override
  public final List<String> zones() {
    return zones;
  }

  @Override
  public final String tsigName() {
    return "haddns";
  }

  @Override
  public final String tsigSecretBase64() {
    return secret;
  }

  @Override
  public final String wrongTsigSecretBase64() {
    return wrongSecret;
  }

  @Override
  public final String deniedTsigName() {
    return "haddns-denied";
  }

  @Override
  public final String deniedTsigSecretBase64() {
    return deniedSecret;
  }

  private String randomSecret() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }
}
