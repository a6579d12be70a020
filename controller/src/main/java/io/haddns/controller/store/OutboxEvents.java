package io.haddns.controller.store;

import io.haddns.controller.dns.RecordSet;
import java.util.List;
import java.util.Objects;

/**
 * What a leader's fenced writes add to the notification outbox (docs/notifications.md): the store
 * asks it for entries while it builds a transaction and writes them in that same transaction, so a
 * change and its notification are stored together or not at all.
 *
 * <p>Called on the writing thread before the transaction is sent; must not block and must not
 * throw. A transaction that is fenced out (another term began) stores nothing, its entries
 * included.
 */
@FunctionalInterface
public interface OutboxEvents {
  /** Adds nothing: the store without notifications. */
  OutboxEvents NONE = (epoch, cause) -> List.of();

  /** The encoded outbox entries for {@code cause}, written with it; empty for none. */
  List<byte[]> entries(long epoch, Cause cause);

  /** A change the store is about to write. */
  sealed interface Cause {}

  /** A fenced audit event (leadership, apply, apply failure, foreign record, …). */
  record Audited(AuditEvent event) implements Cause {
    public Audited {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * A line's health decision.
   *
   * @param before the health recorded before, or null
   */
  record HealthChanged(LineHealth before, LineHealth after) implements Cause {
    public HealthChanged {
      Objects.requireNonNull(after, "after");
    }
  }

  /**
   * An applied record set that changed: {@code before} null for a new one, {@code after} null for a
   * removed one.
   */
  record RecordChanged(String zone, RecordSet before, RecordSet after) implements Cause {
    public RecordChanged {
      Objects.requireNonNull(zone, "zone");
      if (before == null && after == null) {
        throw new IllegalArgumentException("a record change has a before or an after");
      }
    }
  }
}
