package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.net.IpLiteral;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private static java.net.InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }

  @Test
  void countsIpv6SourcesPerSlash64() {
    RateLimits limits = new RateLimits("s", 1, Duration.ofHours(1));

    assertThat(limits.tryAcquire(ip("2001:db8:1:2::1"))).isTrue();
    // Another address of the same /64 shares its limit; another /64 has its own.
    assertThat(limits.tryAcquire(ip("2001:db8:1:2:ffff::9"))).isFalse();
    assertThat(limits.tryAcquire(ip("2001:db8:1:3::1"))).isTrue();
    assertThat(RateLimits.sourceKey(ip("2001:db8:1:2::1"))).isEqualTo("20010db800010002/64");
  }

  @Test
  void countsIpv4SourcesPerAddress() {
    RateLimits limits = new RateLimits("s", 1, Duration.ofHours(1));

    assertThat(limits.tryAcquire(ip("198.51.100.1"))).isTrue();
    assertThat(limits.tryAcquire(ip("198.51.100.1"))).isFalse();
    assertThat(limits.tryAcquire(ip("198.51.100.2"))).isTrue();
  }

  @Test
  void aFloodOfNewKeysForgetsOnlyTheLeastRecentlyUsedOnes() {
    RateLimits limits = new RateLimits("s", 1, Duration.ofHours(1), 100);
    assertThat(limits.tryAcquire("busy")).isTrue();

    for (int i = 0; i < 1000; i++) {
      limits.tryAcquire("flood-" + i);
      // The limited key stays in use, so it is never the eldest.
      assertThat(limits.tryAcquire("busy")).isFalse();
    }

    assertThat(limits.keys()).isEqualTo(100);
  }

  @Test
  void anEvictedKeyStartsAgainWithFreshPermits() {
    RateLimits limits = new RateLimits("s", 1, Duration.ofHours(1), 2);
    limits.tryAcquire("a");
    limits.tryAcquire("b");
    limits.tryAcquire("c");

    assertThat(limits.tryAcquire("c")).isFalse();
    assertThat(limits.tryAcquire("a")).isTrue();
  }
}
