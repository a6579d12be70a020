package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderLifecycleTest {
  private final ProviderLifecycle lifecycle = new ProviderLifecycle("cloudflare", "example.com");

  private static Change.Create create(String name) throws Exception {
    return new Change.Create(
        new RecordSet(
            new RecordKey(name, RecordType.A), 60, List.of(InetAddress.getByName("192.0.2.1"))));
  }

  @Test
  void letsAnOpenProviderClaimEpochZeroAndAbove() {
    assertThatCode(
            () -> {
              lifecycle.requireOpen();
              lifecycle.requireUsable(0);
              lifecycle.requireUsable(7);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void refusesANegativeEpochNamingProviderAndZone() {
    assertThatThrownBy(() -> lifecycle.requireUsable(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cloudflare zone example.com: epoch must be >= 0: -1");
  }

  @Test
  void refusesEveryCallOnceClosed() {
    lifecycle.close();

    assertThatThrownBy(lifecycle::requireOpen)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cloudflare zone example.com: provider is closed");
    assertThatThrownBy(() -> lifecycle.requireUsable(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void answersTrueOnlyForTheFirstClose() {
    assertThat(lifecycle.close()).isTrue();
    assertThat(lifecycle.close()).isFalse();
  }

  @Test
  void messagesSayOnlyZoneWhenNoProviderIsNamed() {
    ProviderLifecycle plain = new ProviderLifecycle("", "example.com");

    assertThatThrownBy(() -> plain.requireUsable(-2))
        .hasMessage("zone example.com: epoch must be >= 0: -2");
  }

  @Test
  void refusesAChangeOutsideTheZone() throws Exception {
    List<Change> changes = List.of(create("app.example.com"), create("app.example.org"));

    assertThatThrownBy(() -> lifecycle.requireInZone(changes))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("app.example.org/A")
        .hasMessageContaining("lies outside the zone");
  }

  @Test
  void acceptsTheApexAndNamesBelowIt() throws Exception {
    assertThatCode(
            () ->
                lifecycle.requireInZoneOncePerKey(
                    List.of(create("example.com"), create("a.b.example.com"))))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesTwoChangesOfOneRrsetInOneApply() throws Exception {
    List<Change> changes = List.of(create("app.example.com"), create("app.example.com"));

    assertThatCode(() -> lifecycle.requireInZone(changes)).doesNotThrowAnyException();
    assertThatThrownBy(() -> lifecycle.requireInZoneOncePerKey(changes))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("more than one change for app.example.com/A");
  }
}
