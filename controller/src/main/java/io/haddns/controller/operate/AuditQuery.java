package io.haddns.controller.operate;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over the audit trail; every part is optional. Events come newest first.
 *
 * @param since only events at or after this instant
 * @param until only events before this instant
 * @param kind only events of this type ({@code override-set}, {@code health}, …)
 * @param line only events about this line (their detail carries {@code line=<line>})
 * @param zone only events about this zone (their detail carries {@code zone=<zone>})
 * @param limit events per page, 1..{@value #MAX_LIMIT}
 * @param cursor where the previous page stopped ({@link AuditPage#next()}); empty for the newest
 */
public record AuditQuery(
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<String> kind,
    Optional<String> line,
    Optional<String> zone,
    int limit,
    Optional<String> cursor) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(cursor, "cursor");
  }

  /** Everything, newest first, {@value #DEFAULT_LIMIT} per page. */
  public static AuditQuery all() {
    return new AuditQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_LIMIT,
        Optional.empty());
  }

  public AuditQuery withKind(String k) {
    return new AuditQuery(since, until, Optional.of(k), line, zone, limit, cursor);
  }

  public AuditQuery withLine(String l) {
    return new AuditQuery(since, until, kind, Optional.of(l), zone, limit, cursor);
  }

  public AuditQuery withZone(String z) {
    return new AuditQuery(since, until, kind, line, Optional.of(z), limit, cursor);
  }

  public AuditQuery withRange(Optional<Instant> from, Optional<Instant> to) {
    return new AuditQuery(from, to, kind, line, zone, limit, cursor);
  }

  public AuditQuery withLimit(int n) {
    return new AuditQuery(since, until, kind, line, zone, n, cursor);
  }

  public AuditQuery withCursor(String c) {
    return new AuditQuery(since, until, kind, line, zone, limit, Optional.of(c));
  }
}
