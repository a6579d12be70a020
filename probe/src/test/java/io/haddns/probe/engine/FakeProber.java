package io.haddns.probe.engine;

import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.Prober;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Answers probes from a table, or holds them for the test to complete; records every call. */
final class FakeProber implements Prober, PortProber {
  record Call(
      String kind,
      InetAddress address,
      int port,
      Instant at,
      CompletableFuture<ProbeResult> future) {}

  static final ProbeResult OK = new ProbeResult.Success(Duration.ofMillis(3));
  static final ProbeResult REFUSED = new ProbeResult.Failure(ProbeResult.FailureReason.REFUSED, "");

  private final InstantSource clock;
  private final Map<String, ProbeResult> answers = new HashMap<>();
  final List<Call> calls = new ArrayList<>();
  boolean hold;

  FakeProber(InstantSource clock) {
    this.clock = clock;
  }

  /** Answers probes of {@code kind} ("icmp" or "tcp") to {@code address} with {@code result}. */
  void answer(String kind, InetAddress address, ProbeResult result) {
    answers.put(kind + " " + address.getHostAddress(), result);
  }

  void answerAll(InetAddress address, ProbeResult result) {
    answer("icmp", address, result);
    answer("tcp", address, result);
  }

  List<Call> callsTo(InetAddress address) {
    return calls.stream().filter(c -> c.address().equals(address)).toList();
  }

  @Override
  public CompletableFuture<ProbeResult> probe(InetAddress target, Duration timeout) {
    return call("icmp", target, 0);
  }

  @Override
  public CompletableFuture<ProbeResult> probe(InetAddress target, int port, Duration timeout) {
    return call("tcp", target, port);
  }

  private CompletableFuture<ProbeResult> call(String kind, InetAddress target, int port) {
    CompletableFuture<ProbeResult> f = new CompletableFuture<>();
    calls.add(new Call(kind, target, port, clock.instant(), f));
    if (!hold) {
      f.complete(answers.getOrDefault(kind + " " + target.getHostAddress(), OK));
    }
    return f;
  }

  @Override
  public void close() {}
}
