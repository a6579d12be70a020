package io.haddns.controller.notify;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.OutboxEvents;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Turns the leader's changes into outbox entries (docs/notifications.md, "Events"): line health
 * transitions, record changes (a failover's old → new), leadership, apply failures and the apply
 * that recovers from one, foreign records, refused addresses, drill results, gateway abuse. Only
 * kinds and severities some route takes are written. Thread-safe.
 */
public final class NotificationEvents implements OutboxEvents {
  private final String cluster;
  private final String node;
  private final Routes routes;
  private final InstantSource clock;
  private final Supplier<String> ids;
  private final NotificationCodec codec = new NotificationCodec();
  private final Set<String> failingZones = ConcurrentHashMap.newKeySet();

  /**
   * @param ids a new unique event id per call (e.g. random UUIDs)
   */
  public NotificationEvents(
      String cluster, String node, Routes routes, InstantSource clock, Supplier<String> ids) {
    this.cluster = cluster;
    this.node = node;
    this.routes = routes;
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public List<byte[]> entries(long epoch, Cause cause) {
    Draft d =
        switch (cause) {
          case HealthChanged h -> health(h.before(), h.after());
          case RecordChanged r -> record(r.zone(), r.before(), r.after());
          case Audited a -> audited(a.event());
        };
    if (d == null || !routes.routed(d.kind, d.severity)) {
      return List.of();
    }
    Notification n =
        new Notification(
            d.id != null ? d.id : ids.get(),
            d.kind,
            d.severity,
            clock.instant(),
            cluster,
            node,
            epoch,
            d.subject,
            d.summary,
            d.details);
    return List.of(codec.encode(OutboxRecord.fresh(n)));
  }

  /**
   * @param id the event id when it is fixed by what the event is about, else null (a new one)
   */
  private record Draft(
      EventKind kind,
      Severity severity,
      String subject,
      String summary,
      Map<String, String> details,
      String id) {
    Draft(
        EventKind kind,
        Severity severity,
        String subject,
        String summary,
        Map<String, String> details) {
      this(kind, severity, subject, summary, details, null);
    }
  }

  private static Draft health(LineHealth before, LineHealth after) {
    if (after.health() == Health.UNKNOWN) {
      return null;
    }
    String from = before == null ? Health.UNKNOWN.label() : before.health().label();
    String to = after.health().label();
    if (from.equals(to)) {
      return null;
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("line", after.line());
    details.put("from", from);
    details.put("to", to);
    details.put("addresses", hosts(after.addresses()));
    details.put("reason", after.reason());
    return new Draft(
        EventKind.LINE_HEALTH,
        after.health() == Health.DOWN ? Severity.CRITICAL : Severity.INFO,
        after.line(),
        "line " + after.line() + " " + from + " -> " + to + " (" + after.reason() + ")",
        details);
  }

  private static Draft record(String zone, RecordSet before, RecordSet after) {
    RecordSet any = after != null ? after : before;
    String key = any.key().toString();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("zone", zone);
    details.put("record", key);
    details.put("before", before == null ? "" : hosts(before.addresses()));
    details.put("after", after == null ? "" : hosts(after.addresses()));
    String summary;
    Severity severity;
    if (before == null) {
      summary = "record " + key + " created: " + hosts(after.addresses());
      severity = Severity.INFO;
    } else if (after == null) {
      summary = "record " + key + " removed (was " + hosts(before.addresses()) + ")";
      severity = Severity.WARNING;
    } else {
      summary =
          "record " + key + " " + hosts(before.addresses()) + " -> " + hosts(after.addresses());
      severity = Severity.WARNING;
    }
    return new Draft(EventKind.RECORD_CHANGED, severity, key, summary, details);
  }

  private Draft audited(AuditEvent e) {
    String detail = e.detail();
    return switch (e.type()) {
      case "leadership" ->
          new Draft(
              EventKind.LEADERSHIP,
              detail.startsWith("acquired") ? Severity.INFO : Severity.WARNING,
              e.node(),
              "node " + e.node() + " leadership " + detail,
              Map.of("node", e.node(), "change", detail));
      case "apply-failed" -> {
        String zone = zoneOf(detail);
        failingZones.add(zone);
        yield new Draft(
            EventKind.APPLY_FAILED,
            Severity.CRITICAL,
            zone,
            "apply failed: " + detail,
            Map.of("zone", zone, "error", detail));
      }
      case "apply" -> {
        String zone = zoneOf(detail);
        yield failingZones.remove(zone)
            ? new Draft(
                EventKind.APPLY_RECOVERED,
                Severity.INFO,
                zone,
                "zone " + zone + " applies again after a failure",
                Map.of("zone", zone))
            : null;
      }
      case "foreign-record" ->
          new Draft(
              EventKind.FOREIGN_RECORD,
              Severity.WARNING,
              zoneOf(detail),
              "foreign record: " + detail,
              Map.of("zone", zoneOf(detail), "detail", detail));
      case "address-ignored" ->
          new Draft(
              EventKind.ADDRESS_IGNORED,
              Severity.WARNING,
              wordAfter(detail, "line="),
              "reported address ignored: " + detail,
              Map.of("line", wordAfter(detail, "line="), "detail", detail));
      case "drill-ended" -> drill(detail);
      case "gateway-abuse" -> abuse(detail);
      default -> null;
    };
  }

  /**
   * {@code detail}: {@code category=C source=S window=START refusals=N outcomes=… credentials=…
   * nodes=…} (GatewayAbuseWatch). One per category, source and window, with an id fixed by those
   * three: should it be stored twice, receivers see the same id.
   */
  private Draft abuse(String detail) {
    Map<String, String> details = words(detail);
    String category = details.getOrDefault("category", "?");
    String source = details.getOrDefault("source", "?");
    String window = details.getOrDefault("window", "?");
    String id =
        UUID.nameUUIDFromBytes(
                String.join("\n", cluster, "gateway-abuse", category, source, window)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    return new Draft(
        EventKind.GATEWAY_ABUSE,
        Severity.WARNING,
        source + " " + category,
        "gateway refused "
            + details.getOrDefault("refusals", "?")
            + " "
            + category
            + " requests from "
            + source
            + " in the window from "
            + window
            + " ("
            + details.getOrDefault("outcomes", "")
            + ")",
        details,
        id);
  }

  private static Map<String, String> words(String detail) {
    Map<String, String> details = new LinkedHashMap<>();
    for (String part : detail.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        details.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return details;
  }

  /** {@code detail}: {@code drill=ID kind=K [line=L] [zone=Z] verdict=V rto=…} (DrillRunner). */
  private static Draft drill(String detail) {
    Map<String, String> details = words(detail);
    String id = details.getOrDefault("drill", "");
    String verdict = details.getOrDefault("verdict", "?");
    return new Draft(
        EventKind.DRILL_RESULT,
        verdict.equals("passed") ? Severity.INFO : Severity.WARNING,
        id,
        "drill " + id + " (" + details.getOrDefault("kind", "?") + ") " + verdict + ": " + detail,
        details);
  }

  private static String zoneOf(String detail) {
    return wordAfter(detail, "zone=");
  }

  private static String wordAfter(String detail, String prefix) {
    if (!detail.startsWith(prefix)) {
      return "";
    }
    int end = detail.indexOf(' ');
    return detail.substring(prefix.length(), end < 0 ? detail.length() : end);
  }

  private static String hosts(List<InetAddress> addresses) {
    return String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
  }
}
