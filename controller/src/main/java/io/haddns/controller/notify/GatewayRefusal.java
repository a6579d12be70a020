package io.haddns.controller.notify;

import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AuditEvent;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One refusal by a node's gateway, as read from the audit event the gateway writes for it
 * (docs/notifications.md, "Gateway abuse"). Refusals that are the node's own trouble (busy,
 * unavailable, internal errors) are not counted against the source.
 *
 * @param category what was refused: {@code auth}, {@code rate-limit}, {@code address}, {@code
 *     replay} or {@code request}
 * @param source the client's address; an IPv6 source as its /64 prefix
 * @param credential the user or agent it claimed when the gateway knows it, else empty; never a
 *     password, signature or token
 * @param outcome the answer's bounded label ({@code badauth}, {@code bad-signature}, …)
 */
public record GatewayRefusal(String category, String source, String credential, String outcome) {
  private static final int MAX_FIELD = 64;
  private static final Map<String, String> CATEGORY = categories();

  public GatewayRefusal {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(outcome, "outcome");
  }

  private static Map<String, String> categories() {
    Map<String, String> m = new HashMap<>();
    for (String o :
        new String[] {"badauth", "abuse", "badagent", "unknown-agent", "bad-signature"}) {
      m.put(o, "auth");
    }
    for (String o : new String[] {"rate-limited", "too-many-connections", "pipeline-overflow"}) {
      m.put(o, "rate-limit");
    }
    for (String o : new String[] {"forbidden-address", "forbidden-line", "nohost"}) {
      m.put(o, "address");
    }
    for (String o : new String[] {"stale", "sequence-ahead"}) {
      m.put(o, "replay");
    }
    for (String o :
        new String[] {
          "malformed",
          "bad-request",
          "too-large",
          "not-found",
          "method-not-allowed",
          "header-timeout",
          "request-timeout",
          "notfqdn",
          "numhost"
        }) {
      m.put(o, "request");
    }
    return Map.copyOf(m);
  }

  /**
   * The refusal an audit event tells of: {@code dyndns2-rejected}, {@code address-report-rejected}
   * or {@code gateway-rejected} with a counted outcome; empty for anything else.
   */
  public static Optional<GatewayRefusal> of(AuditEvent e) {
    if (!e.type().equals("dyndns2-rejected")
        && !e.type().equals("address-report-rejected")
        && !e.type().equals("gateway-rejected")) {
      return Optional.empty();
    }
    Map<String, String> f = fields(e.detail());
    String outcome = f.getOrDefault("outcome", "");
    // A dyndns2 answer has a line per host name ("nohost;nohost"); the first tells.
    outcome = outcome.split(";", 2)[0];
    String category = CATEGORY.get(outcome);
    String source = f.get("source");
    if (category == null || source == null || source.isEmpty()) {
      return Optional.empty();
    }
    String credential = f.getOrDefault("user", f.getOrDefault("agent", ""));
    if (credential.equals("?")) {
      credential = "";
    }
    return Optional.of(
        new GatewayRefusal(category, sourceKey(source), bounded(credential), outcome));
  }

  /** The {@code key=value} words of a gateway audit detail (values hold no spaces but the last). */
  private static Map<String, String> fields(String detail) {
    Map<String, String> out = new HashMap<>();
    Arrays.stream(detail.split(" "))
        .forEach(
            w -> {
              int eq = w.indexOf('=');
              if (eq > 0) {
                out.putIfAbsent(w.substring(0, eq), w.substring(eq + 1));
              }
            });
    return out;
  }

  private static String sourceKey(String source) {
    Optional<InetAddress> a = IpLiteral.parse(source);
    if (a.isPresent() && a.get() instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      Arrays.fill(b, 8, 16, (byte) 0);
      try {
        return IpLiteral.canonical(InetAddress.getByAddress(b)) + "/64";
      } catch (java.net.UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return bounded(a.map(IpLiteral::canonical).orElse(source));
  }

  private static String bounded(String s) {
    String printable = s.replaceAll("[^\\x21-\\x7e]", "?");
    return printable.length() > MAX_FIELD ? printable.substring(0, MAX_FIELD) : printable;
  }
}
