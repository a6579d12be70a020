package io.haddns.controller.dnsserver;

/**
 * The timer fields of the zones' SOA records and the TTL of SOA and NS (RFC 1035 §3.3.13), in
 * seconds. {@code minimum} is the negative-caching TTL (RFC 2308 §4); negative answers carry the
 * SOA with TTL {@code min(ttl, minimum)} (RFC 2308 §3). Kept short by default because haddns
 * records change on failover.
 */
public record SoaTimers(long ttl, long refresh, long retry, long expire, long minimum) {
  public static final SoaTimers DEFAULTS = new SoaTimers(3600, 3600, 600, 1209600, 60);

  public SoaTimers {
    check("ttl", ttl);
    check("refresh", refresh);
    check("retry", retry);
    check("expire", expire);
    check("minimum", minimum);
  }

  private static void check(String field, long value) {
    // RFC 2181 §8: TTLs are 31-bit; the SOA timers are 32-bit but the same bound is plenty.
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("soa." + field + " must be 0..2147483647, was " + value);
    }
  }

  /** The TTL of the SOA in negative answers (RFC 2308 §3). */
  long negativeTtl() {
    return Math.min(ttl, minimum);
  }
}
