package io.haddns.controller.config;

import io.haddns.controller.notify.EventKind;
import io.haddns.controller.notify.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which notifications go to which receivers (docs/notifications.md).
 *
 * @param kinds the kinds sent; empty: all
 * @param minSeverity the least severe sent
 * @param groupInterval after a message about a subject (a line, a record), further events about it
 *     wait this long and then go out together as one summary
 */
public record RouteConfig(
    List<String> receivers, Set<EventKind> kinds, Severity minSeverity, Duration groupInterval) {
  public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);

  public RouteConfig {
    receivers = List.copyOf(receivers);
    kinds = Set.copyOf(kinds);
    Objects.requireNonNull(minSeverity, "minSeverity");
    Objects.requireNonNull(groupInterval, "groupInterval");
  }

  /** Whether a notification of {@code kind} and {@code severity} takes this route. */
  public boolean matches(EventKind kind, Severity severity) {
    return (kinds.isEmpty() || kinds.contains(kind)) && severity.compareTo(minSeverity) >= 0;
  }
}
