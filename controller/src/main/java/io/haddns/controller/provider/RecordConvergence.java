package io.haddns.controller.provider;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What to do with each record of one RRset at a backend that keeps one record per address
 * (Cloudflare, DNSPod, Alibaba Cloud DNS) so that the RRset holds exactly the desired addresses. No
 * I/O: a provider computes it from the records it last read and then makes the API calls.
 *
 * <p>The rule: a record that already holds a desired address is kept (the first one per address, in
 * listing order; a later record with the same address is surplus). Surplus records are re-pointed
 * to the missing addresses, keeping their ids, before anything is created or deleted; missing
 * addresses left over are created, surplus records left over deleted. The outcome is the full
 * desired state whatever the backend held, so a retry after a partial failure (with a fresh
 * listing) converges. TTLs and ownership marks are the provider's to compare and set.
 *
 * @param keep records that hold a desired address, in listing order
 * @param repoint surplus records, in listing order, each with the missing address to hold instead
 * @param create missing addresses no surplus record was left for, in desired order
 * @param delete surplus records no missing address was left for, in listing order
 * @param <R> the provider's record type
 */
public record RecordConvergence<R>(
    List<R> keep, List<Repoint<R>> repoint, List<InetAddress> create, List<R> delete) {

  /** Point {@code record} at {@code address} instead of what it holds now. */
  public record Repoint<R>(R record, InetAddress address) {
    public Repoint {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(address, "address");
    }
  }

  public RecordConvergence {
    keep = List.copyOf(keep);
    repoint = List.copyOf(repoint);
    create = List.copyOf(create);
    delete = List.copyOf(delete);
  }

  /**
   * @param desired the addresses the RRset should hold; empty to delete every record in {@code
   *     current}
   * @param current the records of the RRset that haddns may write (foreign records already taken
   *     out, see {@link ForeignRecords})
   * @param address the address a record holds; empty when its value is none, which makes it surplus
   * @param heldByOthers addresses that records left alone under the same name already hold: not
   *     created again (the backends refuse a second identical record), and a writable record
   *     holding one is surplus
   */
  public static <R> RecordConvergence<R> plan(
      Collection<InetAddress> desired,
      List<R> current,
      Function<R, Optional<InetAddress>> address,
      Set<InetAddress> heldByOthers) {
    Set<InetAddress> missing = new LinkedHashSet<>(desired);
    missing.removeAll(heldByOthers);
    List<R> keep = new ArrayList<>();
    List<R> surplus = new ArrayList<>();
    for (R r : current) {
      Optional<InetAddress> a = address.apply(r);
      if (a.isPresent() && missing.remove(a.get())) {
        keep.add(r);
      } else {
        surplus.add(r);
      }
    }
    List<InetAddress> toAdd = new ArrayList<>(missing);
    int paired = Math.min(toAdd.size(), surplus.size());
    List<Repoint<R>> repoint = new ArrayList<>();
    for (int i = 0; i < paired; i++) {
      repoint.add(new Repoint<>(surplus.get(i), toAdd.get(i)));
    }
    return new RecordConvergence<>(
        keep,
        repoint,
        toAdd.subList(paired, toAdd.size()),
        surplus.subList(paired, surplus.size()));
  }

  /** The RRset {@code change} asks for; empty for a delete. */
  public static Optional<RecordSet> desired(Change change) {
    return switch (change) {
      case Change.Create c -> Optional.of(c.desired());
      case Change.Update u -> Optional.of(u.desired());
      case Change.Delete d -> Optional.empty();
    };
  }
}
