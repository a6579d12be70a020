package io.haddns.controller.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One recorder thread per zone, on which the zone's applied changes are recorded in ZooKeeper in
 * the order they were applied, while the zone's next reconcile goes on ({@link
 * ZoneReconcilerSettings#recorder()}). Thread-safe.
 */
public final class ZoneRecorders implements AutoCloseable {
  private final Map<String, ExecutorService> byZone = new ConcurrentHashMap<>();

  /** The recorder of {@code zone}, started on first use. */
  public ExecutorService forZone(String zone) {
    return byZone.computeIfAbsent(
        zone,
        z ->
            Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("haddns-record-" + z).factory()));
  }

  /** Lets the recordings already queued finish, for at most a few seconds, then stops. */
  @Override
  public void close() {
    byZone.values().forEach(ExecutorService::shutdown);
    for (ExecutorService e : byZone.values()) {
      try {
        if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
          e.shutdownNow();
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        e.shutdownNow();
      }
    }
  }
}
