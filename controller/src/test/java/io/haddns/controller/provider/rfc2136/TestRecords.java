package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.stream.Stream;

/** Record sets from literals, for tests. */
final class TestRecords {
  private TestRecords() {}

  static RecordSet a(String name, long ttl, String... addresses) {
    return new RecordSet(
        new RecordKey(name, RecordType.A), ttl, Stream.of(addresses).map(TestRecords::ip).toList());
  }

  static RecordSet aaaa(String name, long ttl, String... addresses) {
    return new RecordSet(
        new RecordKey(name, RecordType.AAAA),
        ttl,
        Stream.of(addresses).map(TestRecords::ip).toList());
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
