package io.haddns.controller.node;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.config.AgentConfig;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.LineAddressState;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a line's addresses come from, for the status answer: the configuration, or the reporter
 * named by the line ({@code address: { agent: <id> }}), which is an agent, a dyndns2 user or an
 * operator token with an update scope (they share one namespace), with the newest committed report.
 */
final class LineSources {
  private final Map<String, String> kinds = new HashMap<>();

  LineSources(HaddnsConfig config) {
    config.operators().tokens().forEach(t -> kinds.put(t.name(), "token"));
    config.dyndns2().stream().map(Dyndns2Config::username).forEach(u -> kinds.put(u, "dyndns2"));
    config.agents().stream().map(AgentConfig::id).forEach(a -> kinds.put(a, "agent"));
  }

  ClusterStatus.Source of(LineConfig line, Map<String, LineAddressState> reported, Instant now) {
    return switch (line.address()) {
      case LineAddress.Static s -> new ClusterStatus.Source("static", "", null, null, null);
      case LineAddress.Agent a -> {
        String kind = kinds.getOrDefault(a.agentId(), "agent");
        Optional<LineAddressReport> newest =
            Optional.ofNullable(reported.get(line.name())).stream()
                .flatMap(state -> state.families().values().stream())
                .max(Comparator.comparing(LineAddressReport::committedAt));
        yield newest
            .map(
                r ->
                    new ClusterStatus.Source(
                        kind,
                        r.agent(),
                        r.committedAt().toString(),
                        Math.max(0, Duration.between(r.committedAt(), now).toSeconds()),
                        r.receivedBy()))
            .orElseGet(() -> new ClusterStatus.Source(kind, "", null, null, null));
      }
    };
  }
}
