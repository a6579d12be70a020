package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestPacersTest {
  private static final URI CLOUDFLARE = URI.create("https://api.cloudflare.com/client/v4");

  private static ProviderConfig.Route53 route53(String profile) {
    return new ProviderConfig.Route53(
        Optional.empty(),
        Optional.ofNullable(profile),
        "us-east-1",
        Optional.empty(),
        false,
        Duration.ofSeconds(5));
  }

  private static ProviderConfig.Cloudflare cloudflare(String token, int perSecond) {
    return new ProviderConfig.Cloudflare(
        new Secret(token.getBytes(StandardCharsets.UTF_8), "test"),
        Optional.empty(),
        CLOUDFLARE,
        200,
        Duration.ofSeconds(5),
        perSecond);
  }

  @Test
  void zonesOfOneRoute53AccountShareOnePacerAtTheAccountLimit() {
    ProviderConfig.Route53 a = route53(null);
    ProviderConfig.Route53 b = route53(null);
    ProviderConfig.Route53 other = route53("staging");
    RequestPacers pacers = new RequestPacers(List.of(a, b, other));

    assertThat(pacers.forProvider(a).orElseThrow()).isSameAs(pacers.forProvider(b).orElseThrow());
    assertThat(pacers.forProvider(other).orElseThrow())
        .isNotSameAs(pacers.forProvider(a).orElseThrow());
    // 5 per second, with the pacer's 5 % margin.
    assertThat(pacers.forProvider(a).orElseThrow().interval()).isEqualTo(Duration.ofMillis(210));
  }

  @Test
  void zonesOfOneTokenShareThePacerAtTheLowestRateAnyOfThemConfigures() {
    ProviderConfig.Cloudflare fast = cloudflare("token-1", 10);
    ProviderConfig.Cloudflare slow = cloudflare(" token-1\n", 2);
    ProviderConfig.Cloudflare otherToken = cloudflare("token-2", 10);
    RequestPacers pacers = new RequestPacers(List.of(fast, slow, otherToken));

    RequestPacer shared = pacers.forProvider(fast).orElseThrow();
    assertThat(pacers.forProvider(slow).orElseThrow()).isSameAs(shared);
    assertThat(shared.interval()).isEqualTo(Duration.ofMillis(525));
    assertThat(pacers.forProvider(otherToken).orElseThrow().interval())
        .isEqualTo(Duration.ofMillis(105));
  }

  @Test
  void accountKeysHoldNoSecret() {
    assertThat(RequestPacers.account(cloudflare("s3cret-token", 4)).orElseThrow().key())
        .doesNotContain("s3cret-token");
  }

  @Test
  void backendsWithoutRequestPacingHaveNoPacer() {
    RequestPacers pacers = new RequestPacers(List.of());
    assertThat(pacers.forProvider(new ProviderConfig.Embedded(List.of()))).isEmpty();
  }
}
