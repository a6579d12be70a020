package io.haddns.controller.provider.route53;

import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Maps haddns RRsets to Route 53 resource record sets and names haddns' bookkeeping records.
 *
 * <p>Route 53 has no comment per record, so ownership is a sibling TXT record per owned RRset:
 * {@code _haddns-owner-a.<name>} / {@code _haddns-owner-aaaa.<name>} holding {@code
 * "managed-by=haddns"}, written in the same atomic batch as the RRset. The zone's fence is {@code
 * _haddns-fence.<zone> TXT "epoch=N"} (docs/architecture.md, "Fencing"). Neither is ever reported
 * as a managed record.
 */
final class Route53Records {
  static final String FENCE_LABEL = "_haddns-fence";
  static final String OWNER_PREFIX = "_haddns-owner-";
  static final String OWNER_VALUE = "\"managed-by=haddns\"";
  static final long BOOKKEEPING_TTL = 60;
  private static final Pattern ESCAPE = Pattern.compile("\\\\(\\d{3})");
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern FENCE_VALUE = Pattern.compile("\"epoch=(\\d{1,18})\"");

  private final String zone;

  Route53Records(String zone) {
    this.zone = zone;
  }

  String fenceName() {
    return fqdn(FENCE_LABEL + "." + zone);
  }

  /** Route 53's spelling of a canonical name: trailing dot. */
  static String fqdn(String canonical) {
    return canonical + ".";
  }

  /** Route 53 answers {@code \052} for {@code *} and other octal escapes; undo them. */
  static String canonical(String route53Name) {
    Matcher m = ESCAPE.matcher(route53Name);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
    }
    m.appendTail(out);
    return DnsNames.canonical(out.toString());
  }

  static String ownerName(RecordKey key) {
    return fqdn(OWNER_PREFIX + key.type().name().toLowerCase(Locale.ROOT) + "." + key.name());
  }

  /** The RRset key an owner record vouches for, when {@code rrset} is one. */
  static Optional<RecordKey> ownedKey(ResourceRecordSet rrset) {
    if (rrset.type() != RRType.TXT) {
      return Optional.empty();
    }
    String name = canonical(rrset.name());
    for (RecordType type : RecordType.values()) {
      String prefix = OWNER_PREFIX + type.name().toLowerCase(Locale.ROOT) + ".";
      if (name.startsWith(prefix)
          && rrset.resourceRecords().stream().anyMatch(r -> OWNER_VALUE.equals(r.value()))) {
        return Optional.of(new RecordKey(name.substring(prefix.length()), type));
      }
    }
    return Optional.empty();
  }

  static ResourceRecordSet owner(RecordKey key) {
    return txt(ownerName(key), OWNER_VALUE);
  }

  ResourceRecordSet fence(long epoch) {
    return txt(fenceName(), "\"epoch=" + epoch + "\"");
  }

  boolean isFence(ResourceRecordSet rrset) {
    return rrset.type() == RRType.TXT && canonical(rrset.name()).equals(canonical(fenceName()));
  }

  /** The epoch a fence RRset holds, empty when it is not exactly one {@code "epoch=N"}. */
  static Optional<Long> fenceEpoch(ResourceRecordSet fence) {
    if (fence.resourceRecords().size() != 1) {
      return Optional.empty();
    }
    Matcher m = FENCE_VALUE.matcher(fence.resourceRecords().get(0).value());
    return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  static ResourceRecordSet toRoute53(RecordSet rs) {
    return ResourceRecordSet.builder()
        .name(fqdn(rs.key().name()))
        .type(RRType.fromValue(rs.key().type().name()))
        .ttl(rs.ttl())
        .resourceRecords(
            rs.addresses().stream()
                .map(a -> ResourceRecord.builder().value(a.getHostAddress()).build())
                .toList())
        .build();
  }

  /**
   * The haddns RRset for a plain A/AAAA resource record set; empty for other types, alias records
   * and routing-policy records (weighted, latency, failover…), which haddns never manages.
   */
  static Optional<RecordSet> fromRoute53(ResourceRecordSet rrset) {
    RecordType type;
    if (rrset.type() == RRType.A) {
      type = RecordType.A;
    } else if (rrset.type() == RRType.AAAA) {
      type = RecordType.AAAA;
    } else {
      return Optional.empty();
    }
    if (rrset.aliasTarget() != null || rrset.setIdentifier() != null || rrset.ttl() == null) {
      return Optional.empty();
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (ResourceRecord r : rrset.resourceRecords()) {
      Optional<InetAddress> a = literal(r.value());
      if (a.isEmpty() || !type.accepts(a.get())) {
        return Optional.empty();
      }
      addresses.add(a.get());
    }
    return Optional.of(
        new RecordSet(new RecordKey(canonical(rrset.name()), type), rrset.ttl(), addresses));
  }

  private static Optional<InetAddress> literal(String value) {
    // Only literals reach InetAddress, so this never resolves a name.
    if (value == null || !LITERAL.matcher(value).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(value));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static ResourceRecordSet txt(String name, String value) {
    return ResourceRecordSet.builder()
        .name(name)
        .type(RRType.TXT)
        .ttl(BOOKKEEPING_TTL)
        .resourceRecords(ResourceRecord.builder().value(value).build())
        .build();
  }

  String zone() {
    return zone;
  }
}
