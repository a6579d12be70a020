package io.haddns.controller.provider.cloudflare;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.provider.RecordConvergence;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Address;

/**
 * Turns the desired content of one RRset into record operations against the records the zone holds
 * now. Which records are kept, re-pointed, created or deleted is {@link RecordConvergence}'s rule;
 * this adds Cloudflare's part: a re-pointed record keeps its id and {@code proxied} flag, a proxied
 * record's TTL is Cloudflare's, and every record written carries haddns' mark in its comment.
 */
final class RecordOps {
  private static final int MAX_COMMENT = 100;

  /** One record operation of a {@code dns_records/batch} call. */
  sealed interface Op {
    /** Delete {@code current}. */
    record Delete(CloudflareRecord current) implements Op {}

    /** Set content, TTL and the ownership mark of {@code current}; {@code proxied} is untouched. */
    record Patch(CloudflareRecord current, InetAddress address, long ttl, String comment)
        implements Op {}

    /** Create a record. */
    record Post(RecordKey key, InetAddress address, long ttl, boolean proxied, String comment)
        implements Op {}
  }

  private RecordOps() {}

  /**
   * @param desired the RRset to write, empty to delete the RRset
   * @param current the records of the same name and type the zone holds now that haddns may write:
   *     unmarked records under a name that also holds marked ones are not among them unless adopted
   *     ({@link io.haddns.controller.provider.ForeignRecords}); the provider has refused beforehand
   *     to delete a record without haddns' mark ({@link
   *     io.haddns.controller.provider.ForeignRecords#refuseUnmarkedDeletes}), while an update takes
   *     a wholly unmarked RRset over and marks it (the reconciler sends one only for records
   *     configured with adopt: true)
   */
  static List<Op> plan(RecordKey key, Optional<RecordSet> desired, List<CloudflareRecord> current) {
    return plan(key, desired, current, Set.of());
  }

  /**
   * As {@link #plan(RecordKey, Optional, List)}, without adding records for {@code heldByOthers}:
   * addresses that records left alone under the same name already hold (Cloudflare refuses an
   * identical record).
   */
  static List<Op> plan(
      RecordKey key,
      Optional<RecordSet> desired,
      List<CloudflareRecord> current,
      Set<InetAddress> heldByOthers) {
    RecordSet want = desired.orElse(new RecordSet(key, 0, List.of()));
    RecordConvergence<CloudflareRecord> plan =
        RecordConvergence.plan(want.addresses(), current, RecordOps::address, heldByOthers);
    List<Op> ops = new ArrayList<>();
    for (CloudflareRecord r : plan.keep()) {
      // A proxied record's TTL is Cloudflare's (automatic, reported as 1): not drift.
      if ((!r.proxied() && r.ttl() != want.ttl()) || !r.owned()) {
        ops.add(
            new Op.Patch(r, address(r).orElseThrow(), ttl(r.proxied(), want.ttl()), comment(r)));
      }
    }
    for (RecordConvergence.Repoint<CloudflareRecord> p : plan.repoint()) {
      CloudflareRecord r = p.record();
      ops.add(new Op.Patch(r, p.address(), ttl(r.proxied(), want.ttl()), comment(r)));
    }
    plan.delete().forEach(r -> ops.add(new Op.Delete(r)));
    boolean proxied = current.stream().anyMatch(CloudflareRecord::proxied);
    for (InetAddress a : plan.create()) {
      ops.add(new Op.Post(key, a, ttl(proxied, want.ttl()), proxied, CloudflareRecord.OWNER_MARK));
    }
    return ops;
  }

  /** The TTL to send: Cloudflare serves a proxied record with an automatic TTL (1). */
  private static long ttl(boolean proxied, long wanted) {
    return proxied ? CloudflareRecord.AUTOMATIC_TTL : wanted;
  }

  /** The RRset an operation writes. */
  static RecordKey key(Op op) {
    return switch (op) {
      case Op.Delete d -> d.current().key();
      case Op.Patch p -> p.current().key();
      case Op.Post p -> p.key();
    };
  }

  /** The address a record holds; empty when its content is not an address literal of its type. */
  static Optional<InetAddress> address(CloudflareRecord r) {
    int family = r.type() == RecordType.A ? Address.IPv4 : Address.IPv6;
    try {
      return Optional.of(Address.getByAddress(r.content(), family));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  // Keeps an operator's own words and appends the mark; Cloudflare's smallest plans allow 100
  // characters.
  private static String comment(CloudflareRecord r) {
    if (r.owned()) {
      return r.comment().orElseThrow();
    }
    String existing = r.comment().map(String::strip).orElse("");
    String c =
        existing.isEmpty()
            ? CloudflareRecord.OWNER_MARK
            : existing + " " + CloudflareRecord.OWNER_MARK;
    return c.length() <= MAX_COMMENT ? c : CloudflareRecord.OWNER_MARK;
  }
}
