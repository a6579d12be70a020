package io.haddns.controller.operate;

import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.store.ZonePause;
import java.util.List;
import java.util.Optional;

/**
 * Operators' intents as every node sees them, for status output: who set what, why, until when.
 *
 * @param overrides active overrides by line name (expired ones not yet removed are left out)
 * @param pauses paused zones
 * @param stepDown a pending step-down request
 */
public record OperatorStatus(
    List<LineOverride> overrides, List<ZonePause> pauses, Optional<StepDownRequest> stepDown) {
  public OperatorStatus {
    overrides = List.copyOf(overrides);
    pauses = List.copyOf(pauses);
  }
}
