package io.haddns.controller.dns;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An RRset: owner, type, TTL and addresses. Addresses are kept sorted and distinct so that two
 * record sets with the same content are equal.
 */
public record RecordSet(RecordKey key, long ttl, List<InetAddress> addresses) {

  private static final Comparator<InetAddress> BY_BYTES =
      (a, b) -> java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());

  public RecordSet {
    Objects.requireNonNull(key, "key");
    if (ttl < 0 || ttl > 2147483647L) {
      throw new IllegalArgumentException("ttl out of range: " + ttl);
    }
    addresses = addresses.stream().distinct().sorted(BY_BYTES).toList();
    for (InetAddress a : addresses) {
      if (!key.type().accepts(a)) {
        throw new IllegalArgumentException(
            key + ": address " + a.getHostAddress() + " does not fit type " + key.type());
      }
    }
  }

  public boolean isEmpty() {
    return addresses.isEmpty();
  }

  /** True when the content (TTL and addresses) equals {@code other}'s. */
  public boolean sameContent(RecordSet other) {
    return other != null && ttl == other.ttl && addresses.equals(other.addresses);
  }

  @Override
  public String toString() {
    return key + " ttl=" + ttl + " " + addresses.stream().map(InetAddress::getHostAddress).toList();
  }
}
