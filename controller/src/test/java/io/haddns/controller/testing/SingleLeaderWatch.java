package io.haddns.controller.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a cluster every 5 ms for the whole of a test and records every moment more than one node
 * acted as leader; the test asserts {@link #violations()} is empty at its end.
 */
public final class SingleLeaderWatch implements AutoCloseable {
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final Set<String> violations = ConcurrentHashMap.newKeySet();

  public SingleLeaderWatch(ClusterHarness cluster) {
    sampler.scheduleAtFixedRate(
        () -> {
          List<Integer> leaders = cluster.leaders();
          if (leaders.size() > 1) {
            violations.add("two leaders at once: " + leaders);
          }
        },
        0,
        5,
        TimeUnit.MILLISECONDS);
  }

  public Set<String> violations() {
    return Set.copyOf(violations);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
