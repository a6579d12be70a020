package io.haddns.controller.provider;

import io.haddns.controller.dns.RecordKey;
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
 * <p>Threading: {@link #sort} is called by the provider's one caller at a time; {@link #foreign()}
 * may be read from any thread.
 */
public final class ForeignRecords {
  private static final Logger log = LoggerFactory.getLogger(ForeignRecords.class);

  private final String provider;
  private final String zone;
  private final Set<RecordKey> adopted;
  private final Set<String> warned = new HashSet<>();
  private volatile List<String> foreign = List.of();
  private volatile Map<RecordKey, Set<InetAddress>> foreignAddresses = Map.of();

  /**
   * @param provider the provider type, for messages ({@code cloudflare})
   * @param adopted the keys whose records say {@code adopt: true}: their unmarked records are
   *     written (and marked) like haddns' own
   */
  public ForeignRecords(String provider, String zone, Set<RecordKey> adopted) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.adopted = Set.copyOf(adopted);
  }

  /**
   * The part of a fresh listing haddns may write: {@code listing} without the unmarked records of
   * keys that also hold a marked record (unless adopted). Replaces what {@link #foreign()} lists.
   *
   * @param address the address a record holds, if its value is one
   * @param describe the record for messages: name, type, value and the backend's id
   */
  public <R> Map<RecordKey, List<R>> sort(
      Map<RecordKey, List<R>> listing,
      Predicate<R> marked,
      Function<R, Optional<InetAddress>> address,
      Function<R, String> describe) {
    Map<RecordKey, List<R>> writable = new LinkedHashMap<>();
    Map<RecordKey, Set<InetAddress>> held = new HashMap<>();
    Set<String> found = new TreeSet<>();
    listing.forEach(
        (key, records) -> {
          if (adopted.contains(key) || records.stream().noneMatch(marked)) {
            writable.put(key, records);
            return;
          }
          List<R> own = new ArrayList<>();
          for (R r : records) {
            if (marked.test(r)) {
              own.add(r);
            } else {
              found.add(describe.apply(r));
              address
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
    return writable;
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
