package io.haddns.controller.provider.dnspod;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Address;

/**
 * One DNSPod record (one address on one line; an RRset is the group of records with the same name
 * and type on haddns' line).
 *
 * @param name the full owner name, canonical (DNSPod's {@code Name} is relative, {@code @} for the
 *     apex)
 * @param remark where haddns keeps its ownership mark
 */
record DnspodRecord(
    long id, String name, RecordType type, String value, long ttl, String line, String remark) {

  /** The text haddns writes in the remark of every record it manages. */
  static final String OWNER_MARK = "managed-by=haddns";

  DnspodRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(remark, "remark");
  }

  RecordKey key() {
    return new RecordKey(name, type);
  }

  boolean owned() {
    return remark.contains(OWNER_MARK);
  }

  Optional<InetAddress> address() {
    try {
      return Optional.of(
          Address.getByAddress(value, type == RecordType.A ? Address.IPv4 : Address.IPv6));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** An A or AAAA item of {@code DescribeRecordList}'s {@code RecordList}; empty otherwise. */
  static Optional<DnspodRecord> fromJson(JsonNode n, String zone) {
    String type = n.path("Type").asText("");
    if (!type.equals("A") && !type.equals("AAAA")) {
      return Optional.empty();
    }
    return Optional.of(
        new DnspodRecord(
            n.path("RecordId").asLong(),
            fqdn(n.path("Name").asText("@"), zone),
            RecordType.valueOf(type),
            n.path("Value").asText(),
            n.path("TTL").asLong(600),
            n.path("Line").asText(""),
            n.path("Remark").asText("")));
  }

  static String fqdn(String sub, String zone) {
    return sub.equals("@") || sub.isEmpty()
        ? zone
        : sub.toLowerCase(java.util.Locale.ROOT) + "." + zone;
  }

  /** DNSPod's {@code SubDomain} for a canonical name inside {@code zone}. */
  static String subDomain(String name, String zone) {
    return name.equals(zone) ? "@" : name.substring(0, name.length() - zone.length() - 1);
  }

  @Override
  public String toString() {
    return name + "/" + type + " " + value + " (id " + id + ", line " + line + ")";
  }
}
