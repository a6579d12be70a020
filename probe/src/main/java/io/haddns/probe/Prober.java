package io.haddns.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one probe to one address.
 *
 * <p>Contract: {@link #probe} never blocks the caller and never completes exceptionally; every
 * failure is a {@link ProbeResult.Failure}. The returned future completes no later than {@code
 * timeout} after the call (plus scheduling slack). Implementations are thread-safe and share their
 * sockets between targets.
 */
public interface Prober extends AutoCloseable {

  CompletableFuture<ProbeResult> probe(InetAddress target, Duration timeout);

  /** Releases sockets and threads; pending probes complete as failures. */
  @Override
  void close();
}
