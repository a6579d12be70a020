package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  @Test
  void builderStartsFromTheDefaultsAndChangesOnlyWhatIsSet() {
    GatewaySettings defaults = GatewaySettings.defaults("127.0.0.1", 8443);
    GatewaySettings limited =
        GatewaySettings.builder("127.0.0.1", 8443)
            .connectionLimits(100, 2)
            .tls(new GatewaySettings.Tls(Path.of("chain.pem"), Path.of("key.pem")))
            .build();

    assertThat(GatewaySettings.builder("127.0.0.1", 8443).build()).isEqualTo(defaults);
    assertThat(limited.maxConnections()).isEqualTo(100);
    assertThat(limited.maxConnectionsPerSource()).isEqualTo(2);
    assertThat(limited.tls()).isPresent();
    assertThat(limited.headerTimeout()).isEqualTo(defaults.headerTimeout());
    assertThat(limited.perSourcePermits()).isEqualTo(defaults.perSourcePermits());
  }

  @Test
  void refusesARequestTimeoutShorterThanTheHeaderTimeoutNamingBoth() {
    GatewaySettings.Builder b =
        GatewaySettings.builder("127.0.0.1", 0)
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTimeout")
        .hasMessageContaining("headerTimeout");
  }

  @Test
  void refusesANonPositiveRateLimitNamingTheField() {
    GatewaySettings.Builder b =
        GatewaySettings.builder("127.0.0.1", 0).rateLimits(0, 30, Duration.ofMinutes(1));

    assertThatThrownBy(b::build).hasMessageContaining("perSourcePermits must be positive");
  }
}
