package io.haddns.controller.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.probe.Health;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * JSON forms of the values kept in ZooKeeper. Addresses are written as literals, instants as
 * ISO-8601 strings, so the nodes stay readable with {@code zkCli get}. Unknown fields are ignored
 * on read so a newer node can add fields without breaking an older one during a rolling upgrade.
 */
final class StoreCodec {
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  record HealthJson(
      String line,
      String health,
      List<String> addresses,
      String since,
      long epoch,
      String reason) {}

  record AppliedJson(
      String name,
      String type,
      long ttl,
      List<String> addresses,
      String zone,
      long epoch,
      String at) {}

  record MemberJson(String node, String http, String version, String started, List<String> dns) {}

  record AuditJson(String at, String node, String type, String detail) {}

  record FamilyJson(
      List<String> addresses,
      String observedAt,
      long sequence,
      String agent,
      String receivedBy,
      String committedAt) {}

  record AddressJson(String line, FamilyJson ipv4, FamilyJson ipv6) {}

  /**
   * The reporter's last committed report. {@code family}, {@code addresses}, {@code observedAt} and
   * {@code receivedBy} are absent in nodes written before they were added.
   */
  record AgentJson(
      String agent,
      long sequence,
      String line,
      String at,
      String family,
      List<String> addresses,
      String observedAt,
      String receivedBy) {}

  /** Informational content of the epoch node; the fencing token is the node's version. */
  record EpochJson(String node, String at) {}

  byte[] encode(LineHealth h) {
    return write(
        new HealthJson(
            h.line(),
            h.health().label(),
            literals(h.addresses()),
            h.since().toString(),
            h.epoch(),
            h.reason()));
  }

  LineHealth decodeHealth(byte[] data) {
    HealthJson j = read(data, HealthJson.class);
    return new LineHealth(
        j.line(),
        Health.valueOf(j.health().toUpperCase(Locale.ROOT)),
        addresses(j.addresses()),
        Instant.parse(j.since()),
        j.epoch(),
        j.reason());
  }

  byte[] encode(AppliedRecord a) {
    RecordSet r = a.record();
    return write(
        new AppliedJson(
            r.key().name(),
            r.key().type().name(),
            r.ttl(),
            literals(r.addresses()),
            a.zone(),
            a.epoch(),
            a.appliedAt().toString()));
  }

  AppliedRecord decodeApplied(byte[] data) {
    AppliedJson j = read(data, AppliedJson.class);
    RecordKey key = new RecordKey(j.name(), RecordType.valueOf(j.type()));
    return new AppliedRecord(
        new RecordSet(key, j.ttl(), addresses(j.addresses())),
        j.zone(),
        j.epoch(),
        Instant.parse(j.at()));
  }

  byte[] encode(MemberInfo m) {
    return write(
        new MemberJson(
            m.nodeId(),
            m.httpAddress(),
            m.version(),
            m.startedAt().toString(),
            literals(m.dnsAddresses())));
  }

  MemberInfo decodeMember(byte[] data) {
    MemberJson j = read(data, MemberJson.class);
    // Members written before DNS addresses were advertised have none.
    return new MemberInfo(
        j.node(), j.http(), j.version(), Instant.parse(j.started()), addresses(j.dns()));
  }

  byte[] encode(AuditEvent e) {
    return write(new AuditJson(e.at().toString(), e.node(), e.type(), e.detail()));
  }

  AuditEvent decodeAudit(byte[] data) {
    return audit(read(data, AuditJson.class));
  }

  /**
   * A JSON array of events, each already {@link #encode(AuditEvent) encoded}, in order: {@code 2 +
   * (n - 1)} bytes more than the events themselves.
   */
  static byte[] auditArray(List<byte[]> encoded) {
    int size = 2 + Math.max(0, encoded.size() - 1);
    for (byte[] e : encoded) {
      size += e.length;
    }
    byte[] out = new byte[size];
    out[0] = '[';
    int at = 1;
    for (byte[] e : encoded) {
      if (at > 1) {
        out[at++] = ',';
      }
      System.arraycopy(e, 0, out, at, e.length);
      at += e.length;
    }
    out[at] = ']';
    return out;
  }

  /**
   * The events of an audit node: a JSON array of events (a gateway batch) or one event object (a
   * leader event, or a gateway event written before batches).
   */
  List<AuditEvent> decodeAudits(byte[] data) {
    int first = 0;
    while (first < data.length && Character.isWhitespace(data[first])) {
      first++;
    }
    if (first == data.length || data[first] != '[') {
      return List.of(decodeAudit(data));
    }
    return Arrays.stream(read(data, AuditJson[].class)).map(StoreCodec::audit).toList();
  }

  private static AuditEvent audit(AuditJson j) {
    if (j == null || j.at() == null) {
      throw new IllegalArgumentException("not a valid AuditJson document: no event time");
    }
    try {
      return new AuditEvent(Instant.parse(j.at()), j.node(), j.type(), j.detail());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a valid AuditJson document: " + e.getMessage(), e);
    }
  }

  byte[] encode(LineAddressState s) {
    return write(
        new AddressJson(
            s.line(),
            s.report(AddressFamily.IPV4).map(StoreCodec::family).orElse(null),
            s.report(AddressFamily.IPV6).map(StoreCodec::family).orElse(null)));
  }

  private static FamilyJson family(LineAddressReport r) {
    return new FamilyJson(
        literals(r.addresses()),
        r.observedAt().toString(),
        r.sequence(),
        r.agent(),
        r.receivedBy(),
        r.committedAt().toString());
  }

  LineAddressState decodeAddress(byte[] data) {
    AddressJson j = read(data, AddressJson.class);
    LineAddressState s = LineAddressState.empty(j.line());
    if (j.ipv4() != null) {
      s = s.with(report(j.line(), AddressFamily.IPV4, j.ipv4()));
    }
    if (j.ipv6() != null) {
      s = s.with(report(j.line(), AddressFamily.IPV6, j.ipv6()));
    }
    return s;
  }

  private static LineAddressReport report(String line, AddressFamily family, FamilyJson j) {
    return new LineAddressReport(
        line,
        family,
        addresses(j.addresses()),
        Instant.parse(j.observedAt()),
        j.sequence(),
        j.agent(),
        j.receivedBy(),
        Instant.parse(j.committedAt()));
  }

  /** An {@code agents/<id>} node recording {@code last} as the reporter's last committed report. */
  byte[] encodeAgent(LineAddressReport last) {
    return write(
        new AgentJson(
            last.agent(),
            last.sequence(),
            last.line(),
            last.committedAt().toString(),
            last.family().label(),
            literals(last.addresses()),
            last.observedAt().toString(),
            last.receivedBy()));
  }

  /** What an {@code agents/<id>} node holds. */
  AgentState decodeAgent(byte[] data) {
    AgentJson j = read(data, AgentJson.class);
    Optional<AddressFamily> family = AddressFamily.ofLabel(j.family());
    if (family.isEmpty()
        || j.addresses() == null
        || j.addresses().isEmpty()
        || j.observedAt() == null
        || j.receivedBy() == null
        || j.line() == null
        || j.at() == null) {
      return new AgentState(j.sequence(), Optional.empty());
    }
    return new AgentState(
        j.sequence(),
        Optional.of(
            new LineAddressReport(
                j.line(),
                family.get(),
                addresses(j.addresses()),
                Instant.parse(j.observedAt()),
                j.sequence(),
                j.agent(),
                j.receivedBy(),
                Instant.parse(j.at()))));
  }

  /** The node that began the term written in {@code data}; empty before any term. */
  Optional<String> decodeEpochNode(byte[] data) {
    if (data == null || data.length == 0) {
      return Optional.empty();
    }
    EpochJson j = read(data, EpochJson.class);
    return Optional.ofNullable(j.node()).filter(n -> !n.isEmpty());
  }

  byte[] encodeEpoch(String node, Instant at) {
    return write(new EpochJson(node, at.toString()));
  }

  private byte[] write(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T read(byte[] data, Class<T> type) {
    try {
      return json.readValue(data, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid " + type.getSimpleName() + " document", e);
    }
  }

  private static List<String> literals(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList();
  }

  private static List<InetAddress> addresses(List<String> literals) {
    return literals == null ? List.of() : literals.stream().map(StoreCodec::literal).toList();
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** Parses an IP literal without ever resolving a host name. */
  static InetAddress literal(String s) {
    if (s == null || !(IPV4.matcher(s).matches() || IPV6.matcher(s).matches())) {
      throw new IllegalArgumentException("not an IP address literal: " + s);
    }
    try {
      // With a literal of these shapes getByName parses and never queries DNS.
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: " + s, e);
    }
  }
}
