package io.haddns.controller.operate;

import io.haddns.controller.store.Drill;
import java.util.List;

/** The answer to a drill request: started, refused by its guard rails, or not started otherwise. */
public sealed interface DrillStart {

  /** Written; the leader runs it. */
  record Started(Drill drill) implements DrillStart {}

  /** Refused by every guard rail listed; nothing written. */
  record Refused(List<GuardRail> reasons) implements DrillStart {
    public Refused {
      reasons = List.copyOf(reasons);
    }
  }

  /** Refused for another reason (unknown name, bad field, conflict, no quorum); nothing written. */
  record NotStarted(Outcome<Drill> why) implements DrillStart {}
}
