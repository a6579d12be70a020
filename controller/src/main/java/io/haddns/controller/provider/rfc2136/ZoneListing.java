package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Turns the records of a zone transfer into haddns' A and AAAA RRsets, leaving out the fence and
 * every other type. Pure: no I/O.
 */
final class ZoneListing {
  private final Fence fence;

  ZoneListing(Fence fence) {
    this.fence = fence;
  }

  /** The A/AAAA RRsets, sorted by key; an RRset's TTL is its first record's (RFC 2181 §5.2). */
  List<RecordSet> recordSets(List<Record> records) {
    Map<RecordKey, Long> ttls = new TreeMap<>();
    Map<RecordKey, List<InetAddress>> addresses = new TreeMap<>();
    for (Record r : records) {
      Optional<RecordType> type = typeOf(r);
      if (type.isEmpty() || fence.isFence(r.getName())) {
        continue;
      }
      RecordKey key = new RecordKey(r.getName().toString(true), type.get());
      ttls.putIfAbsent(key, r.getTTL());
      addresses.computeIfAbsent(key, k -> new ArrayList<>()).add(address(r));
    }
    return addresses.entrySet().stream()
        .map(e -> new RecordSet(e.getKey(), ttls.get(e.getKey()), e.getValue()))
        .toList();
  }

  private static Optional<RecordType> typeOf(Record r) {
    return switch (r.getType()) {
      case Type.A -> Optional.of(RecordType.A);
      case Type.AAAA -> Optional.of(RecordType.AAAA);
      default -> Optional.empty();
    };
  }

  private static InetAddress address(Record r) {
    return r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress();
  }
}
