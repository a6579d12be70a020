package io.haddns.probe.tcp;

import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP connect probing on several {@link TcpConnectProber}s, each with its own selector thread and
 * an equal share of the socket limit; probes are handed to them in turn. Each connect costs its
 * thread the socket's setup and teardown and, for a target on this host or its namespaces, the
 * handshake's kernel work as well: about 60 µs of CPU per connect here, so 10,000 lines probed
 * every second kept one thread busy enough that probes waited past half their timeout whenever the
 * machine was loaded (docs/benchmarks.md, "Probing at scale"). A second thread lets the connects
 * use a second core.
 */
public final class TcpProberPool implements PortProber {
  private final List<TcpConnectProber> probers;
  private final AtomicInteger next = new AtomicInteger();

  private TcpProberPool(List<TcpConnectProber> probers) {
    this.probers = List.copyOf(probers);
  }

  /**
   * Opens {@code threads} probers sharing {@code maxSockets} (each at least one socket).
   *
   * @throws IllegalArgumentException when {@code threads} is not positive
   */
  public static TcpProberPool open(int threads, int maxSockets) {
    if (threads < 1) {
      throw new IllegalArgumentException("tcp prober needs at least one thread, was " + threads);
    }
    int share = maxSockets == Integer.MAX_VALUE ? maxSockets : Math.max(1, maxSockets / threads);
    List<TcpConnectProber> probers = new ArrayList<>(threads);
    try {
      for (int i = 0; i < threads; i++) {
        probers.add(TcpConnectProber.open(share));
      }
    } catch (RuntimeException e) {
      probers.forEach(TcpConnectProber::close);
      throw e;
    }
    return new TcpProberPool(probers);
  }

  @Override
  public CompletableFuture<ProbeResult> probe(InetAddress target, int port, Duration timeout) {
    int i = Math.floorMod(next.getAndIncrement(), probers.size());
    return probers.get(i).probe(target, port, timeout);
  }

  /** The probers' threads. */
  public int threads() {
    return probers.size();
  }

  /** Sockets held now by all threads. */
  public int sockets() {
    return probers.stream().mapToInt(TcpConnectProber::sockets).sum();
  }

  /** Probes waiting for a socket now, on all threads. */
  public int waiting() {
    return probers.stream().mapToInt(TcpConnectProber::waiting).sum();
  }

  /** The most sockets held at once by all threads together. */
  public long maxSockets() {
    return probers.stream().mapToLong(TcpConnectProber::maxSockets).sum();
  }

  @Override
  public void close() {
    probers.forEach(TcpConnectProber::close);
  }
}
