package io.haddns.controller.provider.powerdns;

import static io.haddns.controller.provider.powerdns.Records.a;
import static io.haddns.controller.provider.powerdns.Records.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TermGuard;
import io.haddns.controller.provider.TransientProviderException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The provider against scripted API answers: request shape, batching, ownership, narrowing. */
class PowerDnsProviderTest {
  private static final String KEY = "s3cr3t-api-key";
  private static final String EMPTY_ZONE = "{\"name\":\"example.com.\",\"rrsets\":[]}";

  private final List<HttpRequest> sent = new ArrayList<>();
  private final Deque<PowerDnsApi.Response> script = new ArrayDeque<>();

  private PowerDnsApi.Response answer(HttpRequest request) {
    sent.add(request);
    PowerDnsApi.Response r = script.poll();
    return r != null ? r : ok(request.method());
  }

  private static PowerDnsApi.Response ok(String method) {
    return method.equals("GET")
        ? new PowerDnsApi.Response(
            200, Optional.of("application/json"), Optional.empty(), EMPTY_ZONE)
        : new PowerDnsApi.Response(204, Optional.empty(), Optional.empty(), "");
  }

  private PowerDnsProvider provider(int batch, TermGuard guard) {
    return new PowerDnsProvider(
        "Example.COM.",
        config(URI.create("http://127.0.0.1:8081"), KEY, batch),
        guard,
        Optional.of(this::answer));
  }

  private static List<Change> creates(int n) {
    return IntStream.range(0, n)
        .<Change>mapToObj(i -> new Change.Create(a("h" + i + ".example.com", 30, "192.0.2.1")))
        .toList();
  }

  @Test
  void requestsGoToTheZoneUrlWithTheApiKeyHeader() throws Exception {
    PowerDnsProvider p = provider(1000, TermGuard.NONE);

    p.apply(creates(1), 1);

    assertThat(sent).extracting(HttpRequest::method).containsExactly("PATCH");
    assertThat(sent)
        .allSatisfy(
            r -> {
              assertThat(r.uri())
                  .isEqualTo(
                      URI.create(
                          "http://127.0.0.1:8081/api/v1/servers/localhost/zones/example.com."));
              assertThat(r.headers().firstValue("X-API-Key")).contains(KEY);
              assertThat(r.timeout()).isPresent();
            });
    assertThat(sent.get(0).headers().firstValue("Content-Type")).contains("application/json");
    assertThat(p.zone()).isEqualTo("example.com");
    assertThat(p.fencesWrites()).isFalse();
  }

  @Test
  void changesAreSplitIntoPatchesOfAtMostTheBatchSize() throws Exception {
    PowerDnsProvider p = provider(300, TermGuard.NONE);

    p.apply(creates(1000), 1);

    assertThat(p.maxChangesPerCall()).isEqualTo(300);
    assertThat(sent.stream().filter(r -> r.method().equals("PATCH")).count()).isEqualTo(4);
    assertThat(sent.stream().filter(r -> r.method().equals("GET")).count()).isZero();
    assertThat(p.ownedKeys()).hasSize(1000);
  }

  @Test
  void createsAndUpdatesAreWrittenWithoutReadingTheZoneFirst() throws Exception {
    PowerDnsProvider p = provider(1000, TermGuard.NONE);

    p.apply(creates(2), 1);

    assertThat(sent).extracting(HttpRequest::method).containsExactly("PATCH");
  }

  @Test
  void deletingAnUnmarkedRecordIsRefusedBeforeAnyPatch() {
    script.add(
        new PowerDnsApi.Response(
            200,
            Optional.of("application/json"),
            Optional.empty(),
            "{\"rrsets\":[{\"name\":\"h1.example.com.\",\"type\":\"A\",\"ttl\":60,"
                + "\"records\":[{\"content\":\"203.0.113.1\",\"disabled\":false}],\"comments\":[]}]}"));
    PowerDnsProvider p = provider(1000, TermGuard.NONE);

    List<Change> changes = new java.util.ArrayList<>(creates(3));
    changes.set(1, new Change.Delete(a("h1.example.com", 60, "203.0.113.1")));
    assertThatThrownBy(() -> p.apply(changes, 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("[h1.example.com/A]")
        .hasMessageContaining("nothing was applied");
    assertThat(sent).extracting(HttpRequest::method).containsExactly("GET");
    assertThat(p.foreignKeys()).extracting(k -> k.name()).containsExactly("h1.example.com");
  }

  @Test
  void newerTermStopsTheApplyBetweenPatchesAndSaysHowFarItGot() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    TermGuard guard =
        epoch -> {
          if (checks.incrementAndGet() > 3) {
            throw new FencedException("zone example.com: epoch " + epoch + " is stale");
          }
        };
    PowerDnsProvider p = provider(100, guard);

    assertThatThrownBy(() -> p.apply(creates(500), 2))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("[3 of 5 PATCH requests were applied]");
    assertThat(sent).hasSize(3);
  }

  @Test
  void failureMidwayKeepsItsClassRetryAfterAndProgress() {
    script.add(ok("PATCH"));
    script.add(
        new PowerDnsApi.Response(
            503, Optional.of("text/html"), Optional.of("3"), "<html>busy</html>"));
    PowerDnsProvider p = provider(10, TermGuard.NONE);

    assertThatThrownBy(() -> p.apply(creates(30), 1))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> {
              assertThat(e.retryAfter()).contains(java.time.Duration.ofSeconds(3));
              assertThat(e.getMessage())
                  .contains("PATCH 2/3 (10 RRsets) answered HTTP 503")
                  .contains("[1 of 3 PATCH requests were applied]")
                  .doesNotContain(KEY);
            });
  }

  @Test
  void outOfZoneAndDuplicateChangesAreRefusedWithoutRequests() {
    PowerDnsProvider p = provider(1000, TermGuard.NONE);
    RecordSet outside = a("app.example.org", 30, "192.0.2.1");
    RecordSet app = a("app.example.com", 30, "192.0.2.1");

    assertThatThrownBy(() -> p.apply(List.of(new Change.Create(outside)), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("outside the zone");
    assertThatThrownBy(() -> p.apply(List.of(new Change.Create(app), new Change.Delete(app)), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("more than one change for app.example.com/A");
    assertThat(sent).isEmpty();
  }

  @Test
  void emptyApplyAndClaimSendNothing() throws Exception {
    PowerDnsProvider p = provider(1000, TermGuard.NONE);

    p.claim(1);
    p.apply(List.of(), 1);

    assertThat(sent).isEmpty();
  }

  @Test
  void staleClaimIsFenced() {
    PowerDnsProvider p = provider(1000, TermGuard.behind("example.com", () -> 9));

    assertThatThrownBy(() -> p.claim(8))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("cluster is at epoch 9");
  }

  @Test
  void badSettingsAreRefusedAtConstruction() {
    assertThatThrownBy(
            () ->
                new PowerDnsProvider(
                    "example.com",
                    config(URI.create("http://127.0.0.1:1"), KEY, 0),
                    TermGuard.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
  }
}
