package io.haddns.agent.detect;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real STUN server: coturn's {@code turnserver} (Debian package {@code coturn}) in STUN-only mode
 * on 127.0.0.1 and ::1, one free port for both. Skipped when the binary is absent, failing instead
 * under {@code HADDNS_REQUIRE_ALL=1}.
 */
final class CoturnStunServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/turnserver");
  private final Process process;
  private final int port;

  private CoturnStunServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static CoturnStunServer start(Path dir) throws IOException, InterruptedException {
    boolean present = Files.isExecutable(BINARY);
    if (!present && "1".equals(System.getenv("HADDNS_REQUIRE_ALL"))) {
      throw new AssertionError(BINARY + " (coturn) is required (HADDNS_REQUIRE_ALL=1)");
    }
    assumeTrue(present, BINARY + " not present (apt-get install coturn)");
    // The ports are found free, then handed to coturn: when it cannot bind them (taken meanwhile),
    // it does not answer, and is started again on others.
    IOException failed = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return start(dir, freePortPair());
      } catch (IOException e) {
        failed = e;
      }
    }
    throw failed;
  }

  private static CoturnStunServer start(Path dir, int port)
      throws IOException, InterruptedException {
    Path log = dir.resolve("turnserver.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    BINARY.toString(),
                    "-n",
                    "--stun-only",
                    "--no-cli",
                    "--no-tls",
                    "--no-dtls",
                    "--listening-ip=127.0.0.1",
                    "--listening-ip=::1",
                    "--listening-port=" + port,
                    "--alt-listening-port=" + (port + 1),
                    "--db=" + dir.resolve("turndb"),
                    "--pidfile=" + dir.resolve("turnserver.pid"),
                    "--log-file=stdout",
                    "--simple-log"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    CoturnStunServer server = new CoturnStunServer(p, port);
    try {
      server.awaitAnswering(InetAddress.getByName("127.0.0.1"), log);
      server.awaitAnswering(InetAddress.getByName("::1"), log);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code [::1]:port} or {@code 127.0.0.1:port}. */
  String address(InetAddress listening) {
    String host = listening.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Sends Binding requests until one is answered (coturn opens its sockets after it starts). */
  private void awaitAnswering(InetAddress address, Path log) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    byte[] id = new byte[12];
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
      probe.setSoTimeout(200);
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IOException("turnserver exited: " + Files.readString(log));
        }
        byte[] request = StunCodec.bindingRequest(id);
        probe.send(
            new DatagramPacket(request, request.length, new InetSocketAddress(address, port)));
        try {
          probe.receive(new DatagramPacket(new byte[1500], 1500));
          return;
        } catch (SocketTimeoutException e) {
          continue;
        }
      }
    }
    throw new IOException("turnserver not answering on " + address + ": " + Files.readString(log));
  }

  /** A port free for UDP on both loopbacks, and the next one for coturn's alternate listener. */
  private static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int port;
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        port = s.getLocalPort();
      }
      if (port < 65535
          && free("127.0.0.1", port)
          && free("::1", port)
          && free("127.0.0.1", port + 1)
          && free("::1", port + 1)) {
        return port;
      }
    }
    throw new IOException("no free UDP port pair on loopback");
  }

  private static boolean free(String host, int port) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, port))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
