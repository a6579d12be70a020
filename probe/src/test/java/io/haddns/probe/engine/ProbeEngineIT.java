package io.haddns.probe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.haddns.probe.Health;
import io.haddns.probe.tcp.TcpConnectProber;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The engine end to end with real TCP connects to a listener the test stops and restarts. */
class ProbeEngineIT {
  private static final int FALL = 3;
  private static final int RISE = 2;

  /** Rounds and transitions in the order the engine thread saw them. */
  private final List<String> events = new CopyOnWriteArrayList<>();

  private static ServerSocket listen(int port) throws Exception {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  @Test
  void reportsDownAfterFallRefusedRoundsAndUpAfterRiseRoundsOnceTheListenerIsBack()
      throws Exception {
    ServerSocket listener = listen(0);
    int port = listener.getLocalPort();
    try (TcpConnectProber tcp = TcpConnectProber.open();
        ProbeEngine engine =
            ProbeEngine.builder()
                .tcp(tcp)
                .listener(t -> events.add(t.from() + "->" + t.to()))
                .observer(
                    new ProbeObserver() {
                      @Override
                      public void onRound(String line, boolean success) {
                        events.add(success ? "ok" : "fail");
                      }
                    })
                .build()) {
      engine.setTargets(
          List.of(
              new LineTarget(
                  "loopback",
                  List.of(InetAddress.getLoopbackAddress()),
                  List.of(new ProbeSpec.Tcp(port)),
                  Duration.ofMillis(50),
                  Duration.ofMillis(500),
                  FALL,
                  RISE)));
      engine.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("UNKNOWN->UP"));

      listener.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("UP->DOWN"));
      assertThat(engine.snapshot()).containsEntry("loopback", Health.DOWN);

      listener = listen(port);
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("DOWN->UP"));
      assertThat(engine.snapshot()).containsEntry("loopback", Health.UP);
    } finally {
      listener.close();
    }

    assertThat(events.stream().filter(e -> e.contains("->")))
        .containsExactly("UNKNOWN->UP", "UP->DOWN", "DOWN->UP");
    assertThat(streakBefore("UP->DOWN")).containsExactly("ok", "fail", "fail", "fail");
    assertThat(streakBefore("DOWN->UP")).containsExactly("fail", "ok", "ok");
  }

  @Test
  void closingWhileARoundFinishesEndsProbingWithoutAnError() throws Exception {
    Logger engineLog = (Logger) LoggerFactory.getLogger(ProbeEngine.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    engineLog.addAppender(logged);
    AtomicReference<ProbeEngine> self = new AtomicReference<>();
    try (ServerSocket listener = listen(0);
        TcpConnectProber tcp = TcpConnectProber.open();
        ProbeEngine engine =
            ProbeEngine.builder()
                .tcp(tcp)
                .observer(
                    new ProbeObserver() {
                      // A node stopping on a signal closes the engine while the engine thread is
                      // still finishing a round; here the round's own callback closes it.
                      @Override
                      public void onRound(String line, boolean success) {
                        events.add(success ? "ok" : "fail");
                        self.get().close();
                      }
                    })
                .build()) {
      self.set(engine);
      engine.setTargets(
          List.of(
              new LineTarget(
                  "loopback",
                  List.of(InetAddress.getLoopbackAddress()),
                  List.of(new ProbeSpec.Tcp(listener.getLocalPort())),
                  Duration.ofMillis(20),
                  Duration.ofMillis(500),
                  FALL,
                  RISE)));
      engine.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("ok"));
      Thread.sleep(200);
    } finally {
      engineLog.detachAppender(logged);
    }

    assertThat(events).containsExactly("ok");
    assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  /** The rounds right before a transition: the streak that caused it and the round before it. */
  private List<String> streakBefore(String transition) {
    int at = events.indexOf(transition);
    // Only rounds: an earlier transition may sit between the streak and the round before it.
    List<String> before = events.subList(0, at).stream().filter(e -> !e.contains("->")).toList();
    String last = before.get(before.size() - 1);
    int start = before.size() - 1;
    while (start > 0 && before.get(start - 1).equals(last)) {
      start--;
    }
    return before.subList(Math.max(0, start - 1), before.size());
  }

  @Test
  void aFailingLineIsDecidedAtItsFastIntervalAndThenProbedAtItsInterval() throws Exception {
    Duration interval = Duration.ofSeconds(3);
    Duration fast = Duration.ofMillis(100);
    ServerSocket listener = listen(0);
    int port = listener.getLocalPort();
    // When each round ended and how, and each transition, in the engine thread's order.
    List<long[]> rounds = new CopyOnWriteArrayList<>();
    List<Long> down = new CopyOnWriteArrayList<>();
    try (TcpConnectProber tcp = TcpConnectProber.open();
        ProbeEngine engine =
            ProbeEngine.builder()
                .tcp(tcp)
                .listener(
                    t -> {
                      events.add(t.from() + "->" + t.to());
                      if (t.to() == Health.DOWN) {
                        down.add(System.nanoTime());
                      }
                    })
                .observer(
                    new ProbeObserver() {
                      @Override
                      public void onRound(String line, boolean success) {
                        rounds.add(new long[] {System.nanoTime(), success ? 1 : 0});
                      }
                    })
                .build()) {
      engine.setTargets(
          List.of(
              new LineTarget(
                  "loopback",
                  List.of(InetAddress.getLoopbackAddress()),
                  List.of(new ProbeSpec.Tcp(port)),
                  interval,
                  fast,
                  Duration.ofMillis(100),
                  FALL,
                  RISE)));
      engine.start();
      // The first round finds it answering, the second (a fast one) makes it up.
      await().atMost(Duration.ofSeconds(2)).until(() -> events.contains("UNKNOWN->UP"));

      listener.close();
      await().atMost(Duration.ofSeconds(6)).until(() -> events.contains("UP->DOWN"));
      long firstFailure = rounds.stream().filter(r -> r[1] == 0).findFirst().orElseThrow()[0];
      Duration decided = Duration.ofNanos(down.get(0) - firstFailure);
      System.out.printf(
          "ProbeEngineIT: down %d ms after the first failed round (fall %d, fast interval %d ms,"
              + " interval %d ms)%n",
          decided.toMillis(), FALL, fast.toMillis(), interval.toMillis());
      // Two more rounds at the fast interval, not two intervals (6 s).
      assertThat(decided).isLessThan(Duration.ofSeconds(1));

      // Decided: the next round is an interval later.
      int after = rounds.size();
      await().atMost(Duration.ofSeconds(5)).until(() -> rounds.size() > after);
      assertThat(Duration.ofNanos(rounds.get(after)[0] - down.get(0)))
          .isGreaterThan(interval.minus(Duration.ofMillis(500)));
    } finally {
      listener.close();
    }
  }
}
