package io.haddns.controller.provider;

import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.plan.Change;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The checks every {@link DnsProvider} makes before it talks to its backend: the provider is still
 * open, the writer's epoch is not negative, and every change lies inside the zone. A provider owns
 * one, closes it in its own {@link DnsProvider#close()} and asks it at the top of each call.
 *
 * <p>Threading: {@link #close()} may be called from any thread; the checks by the provider's one
 * caller at a time.
 */
public final class ProviderLifecycle {
  private final String subject;
  private final String zone;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param provider the provider type as messages name it ({@code cloudflare}); empty for messages
   *     that say only {@code zone example.com}
   * @param zone the canonical zone name
   */
  public ProviderLifecycle(String provider, String zone) {
    Objects.requireNonNull(provider, "provider");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.subject = (provider.isEmpty() ? "" : provider + " ") + "zone " + zone;
  }

  /**
   * @throws IllegalStateException naming the zone once {@link #close()} was called
   */
  public void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(subject + ": provider is closed");
    }
  }

  /**
   * The check before a claim or a write.
   *
   * @throws IllegalStateException naming the zone once {@link #close()} was called
   * @throws IllegalArgumentException naming the zone for a negative epoch
   */
  public void requireUsable(long epoch) {
    requireOpen();
    if (epoch < 0) {
      throw new IllegalArgumentException(subject + ": epoch must be >= 0: " + epoch);
    }
  }

  /**
   * @throws PermanentProviderException naming the first change whose name is not in the zone;
   *     nothing should be written then
   */
  public void requireInZone(List<Change> changes) throws PermanentProviderException {
    for (Change c : changes) {
      if (!DnsNames.isInZone(c.key().name(), zone)) {
        throw new PermanentProviderException(
            subject + ": change for " + c.key() + " lies outside the zone");
      }
    }
  }

  /**
   * As {@link #requireInZone}, and refuses two changes of one RRset in one call: the planner sends
   * at most one, and with two the result would depend on the order the backend applies them.
   */
  public void requireInZoneOncePerKey(List<Change> changes) throws PermanentProviderException {
    Set<RecordKey> keys = new HashSet<>();
    for (Change c : changes) {
      requireInZone(List.of(c));
      if (!keys.add(c.key())) {
        throw new PermanentProviderException(
            subject + ": more than one change for " + c.key() + " in one apply");
      }
    }
  }

  /**
   * Makes every later check fail.
   *
   * @return true the first time, false when already closed (so resources are released once)
   */
  public boolean close() {
    return closed.compareAndSet(false, true);
  }
}
