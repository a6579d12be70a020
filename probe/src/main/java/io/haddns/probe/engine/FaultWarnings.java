package io.haddns.probe.engine;

import io.haddns.probe.ProbeResult.FaultKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about inconclusive rounds at most once per {@link #PERIOD} per fault kind, with the number
 * of rounds held back since the last warning: a prober out of descriptors must not also flood the
 * log. Engine thread only.
 */
final class FaultWarnings {
  static final Duration PERIOD = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(ProbeEngine.class);

  private final InstantSource clock;
  private final Map<FaultKind, Instant> lastWarned = new EnumMap<>(FaultKind.class);
  private final Map<FaultKind, Integer> heldBack = new EnumMap<>(FaultKind.class);

  FaultWarnings(InstantSource clock) {
    this.clock = clock;
  }

  void warn(String line, RoundVerdict.Inconclusive verdict) {
    Instant now = clock.instant();
    Instant last = lastWarned.get(verdict.kind());
    if (last != null && Duration.between(last, now).compareTo(PERIOD) < 0) {
      heldBack.merge(verdict.kind(), 1, Integer::sum);
      return;
    }
    lastWarned.put(verdict.kind(), now);
    Integer held = heldBack.remove(verdict.kind());
    log.warn(
        "line={} round inconclusive, health kept: prober fault kind={} detail={} (similar rounds"
            + " not logged since the last warning: {})",
        line,
        verdict.kind().label(),
        verdict.detail(),
        held == null ? 0 : held);
  }
}
