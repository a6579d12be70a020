package io.haddns.controller.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code agents/<id>} holds: the reporter's last committed sequence, and that report itself
 * when the node was written by a version that records it (older nodes hold the sequence only).
 */
record AgentState(long sequence, Optional<LineAddressReport> last) {
  static final AgentState NONE = new AgentState(0, Optional.empty());

  AgentState {
    Objects.requireNonNull(last, "last");
  }
}
