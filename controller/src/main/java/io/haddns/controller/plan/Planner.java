package io.haddns.controller.plan;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares desired records with the records a provider holds and produces the changes that make
 * them equal. Pure: no I/O. An empty plan means nothing is to be written.
 *
 * <p>Only managed records are ever touched: a key that is neither desired nor listed in {@code
 * retired} is left alone even when the provider holds it.
 */
public final class Planner {

  /**
   * @param desired the desired state of every configured record
   * @param current what the provider (or the applied-state view) holds, by key
   * @param retired keys haddns applied before that are no longer configured: deleted if present
   */
  public List<Change> plan(
      Collection<Desired> desired, Map<RecordKey, RecordSet> current, Set<RecordKey> retired) {
    return plan(desired, current::get, retired);
  }

  /**
   * As {@link #plan(Collection, Map, Set)}, with what the zone holds looked up one key at a time
   * ({@code current} returns null for a key it does not hold): no copy of a large zone per plan.
   */
  public List<Change> plan(
      Collection<Desired> desired, Function<RecordKey, RecordSet> current, Set<RecordKey> retired) {
    List<Change> changes = new ArrayList<>();
    for (Desired d : desired) {
      switch (d) {
        case Desired.Point p -> {
          RecordSet now = current.apply(p.key());
          if (now == null || now.isEmpty()) {
            changes.add(new Change.Create(p.record()));
          } else if (!now.sameContent(p.record())) {
            changes.add(new Change.Update(now, p.record()));
          }
        }
        case Desired.Keep k -> {
          // fail-static: whatever the provider holds stays as it is
        }
      }
    }
    for (RecordKey key : new TreeSet<>(retired)) {
      RecordSet now = current.apply(key);
      if (now != null && !now.isEmpty()) {
        changes.add(new Change.Delete(now));
      }
    }
    return List.copyOf(changes);
  }
}
