package io.haddns.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one probe to one port of one address (a TCP connect, for instance).
 *
 * <p>Contract: as {@link Prober}: {@link #probe} never blocks the caller and never completes
 * exceptionally; every failure is a {@link ProbeResult.Failure}; the future completes no later than
 * {@code timeout} after the call (plus scheduling slack). Implementations are thread-safe.
 */
public interface PortProber extends AutoCloseable {

  CompletableFuture<ProbeResult> probe(InetAddress target, int port, Duration timeout);

  /**
   * A {@link Prober} that probes {@code port}. The view shares this prober's sockets and threads;
   * closing the view does nothing, closing this prober ends both.
   */
  default Prober atPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    PortProber self = this;
    return new Prober() {
      @Override
      public CompletableFuture<ProbeResult> probe(InetAddress target, Duration timeout) {
        return self.probe(target, port, timeout);
      }

      @Override
      public void close() {
        // A view owns nothing: the underlying prober is closed by whoever opened it.
      }
    };
  }

  /** Releases sockets and threads; pending probes complete as failures. */
  @Override
  void close();
}
