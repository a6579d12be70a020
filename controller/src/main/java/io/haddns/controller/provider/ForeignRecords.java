package io.haddns.controller.provider;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps haddns' hands off records it did not write under names it writes, for backends that hold
 * one record per address with a mark on each record (Cloudflare's comment, DNSPod's and Alibaba
 * Cloud's remark).
 *
 * <p>Rule: under a name and type where at least one record carries haddns' mark, a record without
 * the mark belongs to someone else. It is taken out of the provider's view — never re-pointed,
 * never deleted, not listed as part of haddns' RRset — unless the key is adopted ({@code adopt:
 * true}). It is logged once at WARN and listed by {@link #foreign()} until it goes away. An RRset
 * none of whose records carries the mark stays in the view whole: the reconciler writes such an
 * RRset only when it decided that haddns owns it (adopt, or haddns' applied state), and the
 * providers refuse to delete it.
 *
 * <p>It is also the provider's ownership registry: {@link #ownedKeys()} answers the keys all of
 * whose records carried the mark at the last {@link #sort} (plus, for providers that say so, the
 * RRsets written since), and {@link #refuseUnmarkedDeletes} is the guard before a write that would
 * delete a record without the mark.
 *
 * <p>Threading: every method but {@link #foreign()} and {@link #ownedKeys()} is called by the
 * provider's one caller at a time; those two may be read from any thread.
 *
 * @param <R> the provider's record type
 */
public final class ForeignRecords<R> {
  private static final Logger log = LoggerFactory.getLogger(ForeignRecords.class);

  /**
   * How a backend's records carry haddns' mark.
   *
   * @param where where the mark is kept, for messages ({@code comment 'managed-by=haddns'})
   * @param marked whether a record carries the mark (or is otherwise known to be haddns')
   * @param address the address a record holds, if its value is one
   * @param describe the record for messages: name, type, value and the backend's id
   */
  public record Marking<R>(
      String where,
      Predicate<R> marked,
      Function<R, Optional<InetAddress>> address,
      Function<R, String> describe) {
    public Marking {
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(marked, "marked");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(describe, "describe");
    }
  }

  private final String provider;
  private final String zone;
  private final Set<RecordKey> adopted;
  private final Marking<R> marking;
  private final Set<String> warned = new HashSet<>();
  private volatile List<String> foreign = List.of();
  private volatile Map<RecordKey, Set<InetAddress>> foreignAddresses = Map.of();
  private volatile Set<RecordKey> owned = Set.of();

  /**
   * @param provider the provider type, for messages ({@code cloudflare})
   * @param adopted the keys whose records say {@code adopt: true}: their unmarked records are
   *     written (and marked) like haddns' own
   */
  public ForeignRecords(String provider, String zone, Set<RecordKey> adopted, Marking<R> marking) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.adopted = Set.copyOf(adopted);
    this.marking = Objects.requireNonNull(marking, "marking");
  }

  /**
   * The part of a fresh listing haddns may write: {@code listing} without the unmarked records of
   * keys that also hold a marked record (unless adopted). Replaces what {@link #foreign()} lists
   * and, from the part answered, what {@link #ownedKeys()} answers.
   */
  public Map<RecordKey, List<R>> sort(Map<RecordKey, List<R>> listing) {
    Map<RecordKey, List<R>> writable = new LinkedHashMap<>();
    Map<RecordKey, Set<InetAddress>> held = new HashMap<>();
    Set<String> found = new TreeSet<>();
    listing.forEach(
        (key, records) -> {
          if (adopted.contains(key) || records.stream().noneMatch(marking.marked())) {
            writable.put(key, records);
            return;
          }
          List<R> own = new ArrayList<>();
          for (R r : records) {
            if (marking.marked().test(r)) {
              own.add(r);
            } else {
              found.add(marking.describe().apply(r));
              marking
                  .address()
                  .apply(r)
                  .ifPresent(a -> held.computeIfAbsent(key, k -> new HashSet<>()).add(a));
            }
          }
          writable.put(key, own);
        });
    for (String f : found) {
      if (warned.add(f)) {
        log.warn(
            "zone={} provider={} record={} exists without haddns' mark under a name haddns writes:"
                + " left alone, never changed or deleted (set adopt: true on the record to take it"
                + " over)",
            zone,
            provider,
            f);
      }
    }
    warned.retainAll(found);
    foreign = List.copyOf(found);
    held.replaceAll((k, v) -> Set.copyOf(v));
    foreignAddresses = Map.copyOf(held);
    recount(writable);
    return writable;
  }

  /**
   * Makes {@link #ownedKeys()} the keys of {@code view} (the writable records, as {@link #sort}
   * answered them and writes since changed them) all of whose records carry the mark.
   */
  public void recount(Map<RecordKey, List<R>> view) {
    owned =
        view.entrySet().stream()
            .filter(e -> e.getValue().stream().allMatch(marking.marked()))
            .map(Map.Entry::getKey)
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Counts {@code key} as haddns' after a write that left all its records marked. */
  public void wrote(RecordKey key) {
    Set<RecordKey> o = new HashSet<>(owned);
    o.add(key);
    owned = Set.copyOf(o);
  }

  /** Stops counting {@code key} as haddns' after its RRset was deleted. */
  public void deleted(RecordKey key) {
    Set<RecordKey> o = new HashSet<>(owned);
    o.remove(key);
    owned = Set.copyOf(o);
  }

  /**
   * The keys whose records all carried haddns' mark at the last {@link #sort} or {@link #recount},
   * with the changes {@link #wrote} and {@link #deleted} reported since: what {@link
   * DnsProvider#ownedKeys()} answers.
   */
  public Set<RecordKey> ownedKeys() {
    return owned;
  }

  /**
   * Refuses, before anything is written, changes that would delete a record without haddns' mark: a
   * delete, or a create or update to no address, of a key whose records in {@code view} are not all
   * marked. haddns never deletes a record it did not write.
   *
   * @param view the writable records by key, as {@link #sort} answered them
   * @throws PermanentProviderException listing every such record
   */
  public void refuseUnmarkedDeletes(List<Change> changes, Map<RecordKey, List<R>> view)
      throws PermanentProviderException {
    List<String> refused = new ArrayList<>();
    for (Change c : changes) {
      if (deletesAll(c)) {
        for (R r : view.getOrDefault(c.key(), List.of())) {
          if (!marking.marked().test(r)) {
            refused.add(marking.describe().apply(r));
          }
        }
      }
    }
    if (!refused.isEmpty()) {
      log.warn("zone={} provider={} foreign records left untouched: {}", zone, provider, refused);
      throw new PermanentProviderException(
          provider
              + " zone "
              + zone
              + ": "
              + refused
              + " exist without haddns' mark ("
              + marking.where()
              + "); haddns never deletes a record it did not write; nothing was applied");
    }
  }

  private static boolean deletesAll(Change c) {
    return RecordConvergence.desired(c).map(RecordSet::isEmpty).orElse(true);
  }

  /**
   * The addresses that records left alone under {@code key} hold, as of the last {@link #sort}. The
   * name already answers with them, and the backends refuse a second record of the same value, so
   * haddns does not add its own for these.
   */
  public Set<InetAddress> foreignAddresses(RecordKey key) {
    return foreignAddresses.getOrDefault(key, Set.of());
  }

  /**
   * The records left alone at the last {@link #sort}, each as {@code name/TYPE value (id …)}, in
   * order.
   */
  public List<String> foreign() {
    return foreign;
  }
}
