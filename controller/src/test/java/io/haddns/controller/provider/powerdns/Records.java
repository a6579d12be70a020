package io.haddns.controller.provider.powerdns;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

/** Record sets and provider configurations from literals, for tests. */
final class Records {
  private Records() {}

  static RecordSet a(String name, long ttl, String... addresses) {
    return set(name, RecordType.A, ttl, addresses);
  }

  static RecordSet aaaa(String name, long ttl, String... addresses) {
    return set(name, RecordType.AAAA, ttl, addresses);
  }

  private static RecordSet set(String name, RecordType type, long ttl, String... addresses) {
    return new RecordSet(
        new RecordKey(name, type), ttl, Stream.of(addresses).map(Records::ip).toList());
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static ProviderConfig.PowerDns config(URI url, String apiKey, int batchSize) {
    return new ProviderConfig.PowerDns(
        url,
        "localhost",
        new Secret(apiKey.getBytes(StandardCharsets.US_ASCII), "test"),
        batchSize,
        Duration.ofSeconds(10));
  }
}
