package io.haddns.controller.reconcile;

import io.haddns.controller.plan.Change;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A zone's audit events, and how changes are described in them and in logs. Only a leader
 * reconciles: its events are fenced by its term, like its other writes; an event the store refuses
 * is logged, never thrown.
 */
final class ZoneAudit {
  // Logs as the zone's reconciler: operators follow one zone's reconcile under one logger name.
  private static final Logger log = LoggerFactory.getLogger(ZoneReconciler.class);
  private static final int DESCRIBED_CHANGES = 20;

  private final String zone;
  private final StateStore store;
  private final LeaderTerm term;
  private final String nodeId;
  private final InstantSource clock;

  ZoneAudit(String zone, StateStore store, LeaderTerm term, String nodeId, InstantSource clock) {
    this.zone = zone;
    this.store = store;
    this.term = term;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  void record(String type, String detail) {
    record(term.epoch(), type, detail);
  }

  /** As {@link #record(String, String)}, fenced by {@code epoch} (the term that did it). */
  void record(long epoch, String type, String detail) {
    try {
      store.audit(
          epoch, new AuditEvent(clock.instant(), nodeId, type, "zone=" + zone + " " + detail));
    } catch (NotLeaderException e) {
      log.info("zone={} audit type={} not written: {}", zone, type, e.getMessage());
    } catch (StoreUnavailableException e) {
      log.warn("zone={} audit not written: {}", zone, e.getMessage());
    }
  }

  static String describe(Change c) {
    return switch (c) {
      case Change.Create cr -> "create " + cr.desired();
      case Change.Update up -> "update " + up.desired();
      case Change.Delete d -> "delete " + d.key();
    };
  }

  /** The first twenty changes, and how many more there are. */
  static String describe(List<Change> changes) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (Change c : changes) {
      if (shown++ == DESCRIBED_CHANGES) {
        sb.append(" … and ").append(changes.size() - DESCRIBED_CHANGES).append(" more");
        break;
      }
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(describe(c));
    }
    return sb.toString();
  }
}
