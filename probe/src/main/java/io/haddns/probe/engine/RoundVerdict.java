package io.haddns.probe.engine;

import io.haddns.probe.ProbeResult;
import java.util.List;
import java.util.Objects;

/** What one finished round of a line says about the line. */
public sealed interface RoundVerdict {

  /**
   * The verdict of a round's outcomes: passed when all succeeded; else failed when any probe got a
   * real failure, which is evidence whatever else went wrong; else inconclusive (only faults).
   */
  static RoundVerdict of(List<ProbeOutcome> outcomes) {
    Inconclusive fault = null;
    for (ProbeOutcome o : outcomes) {
      switch (o.result()) {
        case ProbeResult.Success s -> {}
        case ProbeResult.Failure f -> {
          return new Failed(o);
        }
        case ProbeResult.Fault f ->
            fault = fault == null ? new Inconclusive(f.kind(), o.describe()) : fault;
      }
    }
    return fault == null ? new Passed() : fault;
  }

  /** Every probe succeeded. */
  record Passed() implements RoundVerdict {}

  /** A probe got an answer (or silence) from the target that is not a success. */
  record Failed(ProbeOutcome first) implements RoundVerdict {
    public Failed {
      Objects.requireNonNull(first, "first");
    }
  }

  /**
   * The prober could not judge the line (docs/architecture.md, "Prober faults"): the round neither
   * counts toward fall nor breaks a streak.
   */
  record Inconclusive(ProbeResult.FaultKind kind, String detail) implements RoundVerdict {
    public Inconclusive {
      Objects.requireNonNull(kind, "kind");
      detail = detail == null ? "" : detail;
    }
  }
}
