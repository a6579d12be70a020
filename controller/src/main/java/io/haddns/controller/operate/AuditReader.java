package io.haddns.controller.operate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Queries over the audit trail (store/AuditTrail, kept by {@code audit.maxEvents} and {@code
 * audit.maxAge}): filters, newest first, paged with a cursor, and an NDJSON export.
 *
 * <p>A cursor names the last event of a page by its millisecond and its place among the events of
 * that millisecond (newest first), so events appended between pages (newer ones) shift nothing: the
 * next page continues strictly below. Blocking (reads ZooKeeper); thread-safe.
 */
public final class AuditReader {
  private static final Pattern CURSOR = Pattern.compile("(\\d{1,19})\\.(\\d{1,9})");
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final StateStore store;
  private final int retained;

  /**
   * @param retained the most events the trail keeps of all kinds ({@code audit.maxEvents} per kind,
   *     times the kinds): the reader's window
   */
  public AuditReader(StateStore store, int retained) {
    this.store = store;
    this.retained = retained;
  }

  /** A page of events matching {@code q}. */
  public Outcome<AuditPage> page(AuditQuery q) {
    Optional<Outcome<AuditPage>> bad = validate(q);
    if (bad.isPresent()) {
      return bad.get();
    }
    Optional<long[]> from = q.cursor().map(AuditReader::parseCursor);
    List<AuditEvent> out = new ArrayList<>();
    long lastGroupIndex = 0;
    long groupMillis = Long.MIN_VALUE;
    long inGroup = 0;
    Optional<String> next = Optional.empty();
    for (AuditEvent e : store.recentAudit(retained).reversed()) {
      long millis = e.at().toEpochMilli();
      inGroup = millis == groupMillis ? inGroup + 1 : 1;
      groupMillis = millis;
      if (from.isPresent()
          && (millis > from.get()[0] || (millis == from.get()[0] && inGroup <= from.get()[1]))) {
        continue;
      }
      if (!matches(q, e)) {
        continue;
      }
      if (out.size() == q.limit()) {
        AuditEvent last = out.getLast();
        next = Optional.of(last.at().toEpochMilli() + "." + lastGroupIndex);
        break;
      }
      out.add(e);
      lastGroupIndex = inGroup;
    }
    return new Outcome.Done<>(new AuditPage(out, next));
  }

  /**
   * Writes every event matching {@code q} (its limit and cursor ignored) as NDJSON, newest first,
   * each line an event as a page shows it ({@code at}, {@code node}, {@code type}, {@code detail}).
   */
  public Outcome<Integer> exportNdjson(AuditQuery q, OutputStream out) throws IOException {
    Optional<Outcome<AuditPage>> bad = validate(q.withLimit(1));
    if (bad.isPresent()) {
      return switch (bad.get()) {
        case Outcome.Invalid<AuditPage> i -> new Outcome.Invalid<>(i.field(), i.why());
        default -> new Outcome.Invalid<>("query", "refused");
      };
    }
    int n = 0;
    for (AuditEvent e : store.recentAudit(retained).reversed()) {
      if (matches(q, e)) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("at", e.at().toString());
        line.put("node", e.node());
        line.put("type", e.type());
        line.put("detail", e.detail());
        JSON.writeValue(out, line);
        out.write('\n');
        n++;
      }
    }
    out.flush();
    return new Outcome.Done<>(n);
  }

  private static Optional<Outcome<AuditPage>> validate(AuditQuery q) {
    if (q.limit() < 1 || q.limit() > AuditQuery.MAX_LIMIT) {
      return Optional.of(
          new Outcome.Invalid<>(
              "limit", "must be 1.." + AuditQuery.MAX_LIMIT + ", was " + q.limit()));
    }
    if (q.cursor().isPresent() && !CURSOR.matcher(q.cursor().get()).matches()) {
      return Optional.of(new Outcome.Invalid<>("cursor", "not a cursor this API returned"));
    }
    if (q.since().isPresent()
        && q.until().isPresent()
        && !q.since().get().isBefore(q.until().get())) {
      return Optional.of(new Outcome.Invalid<>("since", "must be before until"));
    }
    return Optional.empty();
  }

  private static long[] parseCursor(String cursor) {
    var m = CURSOR.matcher(cursor);
    if (!m.matches()) {
      throw new IllegalArgumentException("cursor");
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  static boolean matches(AuditQuery q, AuditEvent e) {
    Instant at = e.at();
    if (q.since().isPresent() && at.isBefore(q.since().get())) {
      return false;
    }
    if (q.until().isPresent() && !at.isBefore(q.until().get())) {
      return false;
    }
    if (q.kind().isPresent() && !q.kind().get().equals(e.type())) {
      return false;
    }
    return q.line().map(l -> hasToken(e.detail(), "line=" + l)).orElse(true)
        && q.zone().map(z -> hasToken(e.detail(), "zone=" + z)).orElse(true);
  }

  private static boolean hasToken(String detail, String token) {
    for (String part : detail.split("\\s+")) {
      if (part.equals(token)) {
        return true;
      }
    }
    return false;
  }
}
