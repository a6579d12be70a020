package io.haddns.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real loopback sockets: the kernel closes and refuses exactly as for a leader's admin port. */
class LeaderConnectionTest {
  private static final LeaseRecord LEASE =
      new LeaseRecord(7, "n1", "/haddns/c/leader/_c_abc-latch-0000000001");

  private final BlockingQueue<LeaseRecord> gone = new LinkedBlockingQueue<>();
  private final LeaderConnection connection =
      new LeaderConnection(
          "n2",
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          System::nanoTime,
          (lease, address) -> gone.add(lease));

  @AfterEach
  void close() {
    connection.close();
  }

  /** A listener that keeps what it accepted, like a live admin server. */
  private static final class Listener implements AutoCloseable {
    final ServerSocket server;
    final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

    Listener() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(server.accept());
                  }
                } catch (IOException e) {
                  // Closed.
                }
              });
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    Socket next() throws InterruptedException {
      Socket s = accepted.poll(5, TimeUnit.SECONDS);
      assertThat(s).as("the watch connected").isNotNull();
      return s;
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void reportsTheLeaseAtOnceWhenTheConnectionClosesAndThePortThenRefuses() throws Exception {
    Listener leader = new Listener();
    connection.watch(LEASE, leader.address());
    Socket held = leader.next();

    long t0 = System.nanoTime();
    leader.server.close(); // the process ends: its listener and its connections go
    held.close();
    LeaseRecord reported = gone.poll(5, TimeUnit.SECONDS);

    assertThat(reported).isEqualTo(LEASE);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("without the back-off of a short-lived connection (1 s)")
        .isLessThan(Duration.ofMillis(500));
    connection.watch(LEASE, leader.address());
    assertThat(gone.poll(300, TimeUnit.MILLISECONDS)).as("reported once").isNull();
  }

  @Test
  void aConnectionClosedByALiveListenerIsMadeAgainAndReportsNothing() throws Exception {
    try (Listener leader = new Listener()) {
      connection.watch(LEASE, leader.address());
      leader.next().close(); // an idle timeout: the server closes, but still listens

      leader.next().close(); // connected again at once, closed again
      Socket third = leader.next(); // after the back-off: two short-lived connections in a row

      assertThat(gone.poll(300, TimeUnit.MILLISECONDS)).isNull();
      assertThat(third.isClosed()).isFalse();
    }
  }

  @Test
  void aPortThatRefusesFromTheStartIsNotReported() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    connection.watch(LEASE, "127.0.0.1:" + port);

    assertThat(gone.poll(600, TimeUnit.MILLISECONDS))
        .as("a wrong address or a leader already gone: the lease's own detection decides")
        .isNull();
  }

  @Test
  void aStoppedOrRetargetedWatchReportsNothingForTheOldLease() throws Exception {
    Listener old = new Listener();
    try (Listener next = new Listener()) {
      connection.watch(LEASE, old.address());
      Socket held = old.next();
      LeaseRecord newer = new LeaseRecord(8, "n3", "/haddns/c/leader/_c_def-latch-0000000002");

      connection.watch(newer, next.address());
      next.next();
      old.close();
      held.close();
      assertThat(gone.poll(300, TimeUnit.MILLISECONDS)).as("the old lease is not watched").isNull();

      connection.stop();
      next.close();
      assertThat(gone.poll(300, TimeUnit.MILLISECONDS)).as("stopped").isNull();
    }
  }
}
