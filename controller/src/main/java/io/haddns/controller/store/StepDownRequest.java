package io.haddns.controller.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's request that the leader of term {@code fromEpoch} yield, optionally to node {@code
 * to}. Any node writes it; the leader of that term acts on it; a later term's leader removes it.
 *
 * @param id unique per request, so a requester can tell its request from a later one
 * @param by the credential name of whoever asked (never a secret)
 */
public record StepDownRequest(
    String id, long fromEpoch, Optional<String> to, String by, Instant at) {
  public StepDownRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
  }
}
