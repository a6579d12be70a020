package io.haddns.controller.provider.alidns;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.net.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps between haddns RRsets and Alibaba Cloud DNS records. The API holds one record per address;
 * an RRset is the group of records with the same RR (host label relative to the domain, {@code @}
 * for the apex), Type and Line. haddns marks every record it writes with the Remark {@link #MARK}.
 */
final class AlidnsRecords {
  static final String MARK = "managed-by=haddns";

  /** One record as DescribeDomainRecords lists it. */
  record Record(
      String id,
      RecordKey key,
      String value,
      Optional<InetAddress> address,
      long ttl,
      String line,
      boolean marked) {
    Record {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(line, "line");
    }

    Record withValue(String newValue, long newTtl) {
      return new Record(id, key, newValue, IpLiteral.parse(newValue), newTtl, line, marked);
    }

    Record markedNow() {
      return new Record(id, key, value, address, ttl, line, true);
    }
  }

  private final String zone;

  AlidnsRecords(String zone) {
    this.zone = zone;
  }

  /** The RR of {@code name} in the domain: {@code @} for the apex, else the relative labels. */
  String rr(String name) {
    String n = DnsNames.canonical(name);
    if (n.equals(zone)) {
      return "@";
    }
    if (!n.endsWith("." + zone)) {
      throw new IllegalArgumentException(n + " lies outside " + zone);
    }
    return n.substring(0, n.length() - zone.length() - 1);
  }

  String name(String rr) {
    return "@".equals(rr) || rr.isEmpty() ? zone : DnsNames.canonical(rr + "." + zone);
  }

  /** The A or AAAA record in {@code json}; empty for other types. */
  Optional<Record> parse(JsonNode json) {
    RecordType type;
    String t = json.path("Type").asText("");
    if (t.equals("A")) {
      type = RecordType.A;
    } else if (t.equals("AAAA")) {
      type = RecordType.AAAA;
    } else {
      return Optional.empty();
    }
    String id = json.path("RecordId").asText("");
    String rr = json.path("RR").asText("");
    if (id.isEmpty() || rr.isEmpty()) {
      return Optional.empty();
    }
    String value = json.path("Value").asText("");
    Optional<InetAddress> address = IpLiteral.parse(value).filter(type::accepts);
    return Optional.of(
        new Record(
            id,
            new RecordKey(name(rr), type),
            value,
            address,
            json.path("TTL").asLong(0),
            json.path("Line").asText("default"),
            MARK.equals(json.path("Remark").asText(""))));
  }

  /**
   * The RRsets formed by {@code records}, by key in first-seen order. Records whose value is no
   * address of their type make no address; when the records of one RRset disagree on TTL the
   * smallest is reported, so the planner sees a difference and rewrites them all.
   */
  static List<RecordSet> recordSets(Map<RecordKey, List<Record>> byKey) {
    List<RecordSet> out = new ArrayList<>();
    byKey.forEach(
        (key, records) -> {
          if (records.isEmpty()) {
            return;
          }
          long ttl = records.stream().mapToLong(Record::ttl).min().orElseThrow();
          List<InetAddress> addresses =
              records.stream().flatMap(r -> r.address().stream()).toList();
          out.add(new RecordSet(key, ttl, addresses));
        });
    return out;
  }

  /** Groups {@code records} of {@code line} by key. */
  static Map<RecordKey, List<Record>> group(List<Record> records, String line) {
    Map<RecordKey, List<Record>> out = new LinkedHashMap<>();
    for (Record r : records) {
      if (r.line().equals(line)) {
        out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }
}
