package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.auth.Principal;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.gateway.AddressUpdates;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.MemoryLineAddressStore;
import io.haddns.controller.testing.SettableClock;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UpdateEndpointTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final MemoryLineAddressStore store = new MemoryLineAddressStore(clock);
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
  private final OperatorAudit operatorAudit =
      new OperatorAudit(audit::add, Runnable::run, clock, "n1");
  private final UpdateEndpoint endpoint =
      new UpdateEndpoint(new AddressUpdates(store, clock, "n1"), line -> AddressPolicy.PUBLIC_ONLY);
  private final Principal ci =
      new Principal(
          "ci-home",
          OperatorRole.VIEWER,
          "token",
          Optional.of(new OperatorsConfig.UpdateScope("home", Set.of("home.example.com"))));

  private ApiRequest request(Principal who, String contentType, String body) throws Exception {
    return new ApiRequest(
        HttpMethod.POST,
        UpdateEndpoint.PATH,
        Map.of(),
        Map.of(),
        body.getBytes(StandardCharsets.UTF_8),
        Optional.of(contentType),
        who,
        InetAddress.getByName("1.1.1.1"),
        operatorAudit);
  }

  private List<String> addresses(String line) {
    return store.lineAddresses().get(line).addresses().stream()
        .map(InetAddress::getHostAddress)
        .toList();
  }

  @Test
  void setsTheScopedLinesAddressFromJsonAndAnswersGoodThenNochg() throws Exception {
    ApiResponse first =
        endpoint
            .handle(
                request(
                    ci,
                    "application/json",
                    "{\"hostname\":\"Home.Example.com.\",\"ip\":\"9.9.9.9\"}"))
            .join();
    ApiResponse again =
        endpoint
            .handle(
                request(
                    ci,
                    "application/json",
                    "{\"hostname\":\"home.example.com\",\"ip\":\"9.9.9.9\"}"))
            .join();

    assertThat(first.body())
        .isEqualTo(Map.of("result", "good", "line", "home", "addresses", List.of("9.9.9.9")));
    assertThat(((Map<?, ?>) again.body()).get("result")).isEqualTo("nochg");
    assertThat(addresses("home")).containsExactly("9.9.9.9");
    assertThat(audit.get(0).type()).isEqualTo("api-update");
    assertThat(audit.get(0).detail())
        .isEqualTo(
            "credential=ci-home role=viewer via=token source=1.1.1.1"
                + " hostname=Home.Example.com. ip=9.9.9.9 line=home outcome=good 9.9.9.9");
  }

  @Test
  void takesAFormBodyAndTheCallersAddressWhenIpIsAbsent() throws Exception {
    endpoint
        .handle(request(ci, "application/x-www-form-urlencoded", "hostname=home.example.com"))
        .join();

    assertThat(addresses("home")).containsExactly("1.1.1.1");
  }

  @Test
  void refusesAHostnameOutsideTheScopeAndACredentialWithoutOneWith403() throws Exception {
    Principal admin = new Principal("root", OperatorRole.ADMIN, "token", Optional.empty());

    ApiException outside =
        catchThrowableOfType(
            ApiException.class,
            () ->
                endpoint.handle(
                    request(ci, "application/json", "{\"hostname\":\"app.example.com\"}")));
    ApiException unscoped =
        catchThrowableOfType(
            ApiException.class,
            () ->
                endpoint.handle(
                    request(admin, "application/json", "{\"hostname\":\"home.example.com\"}")));

    assertThat(outside.status()).isEqualTo(403);
    assertThat(outside.field()).contains("hostname");
    assertThat(unscoped.status()).isEqualTo(403);
    assertThat(unscoped.getMessage()).isEqualTo("credential 'root' has no update scope");
    assertThat(store.lineAddresses()).isEmpty();
    assertThat(audit).extracting(AuditEvent::type).containsOnly("api-update-rejected");
  }

  @Test
  void refusesAnAddressOutsideTheLinesPolicyAndUnknownFieldsWith400() throws Exception {
    ApiException privateIp =
        catchThrowableOfType(
            ApiException.class,
            () ->
                endpoint.handle(
                    request(
                        ci,
                        "application/json",
                        "{\"hostname\":\"home.example.com\",\"ip\":\"10.0.0.1\"}")));
    ApiException unknown =
        catchThrowableOfType(
            ApiException.class,
            () ->
                endpoint.handle(
                    request(
                        ci,
                        "application/json",
                        "{\"hostname\":\"home.example.com\",\"myip\":\"1.2.3.4\"}")));

    assertThat(privateIp.status()).isEqualTo(400);
    assertThat(privateIp.field()).contains("ip");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.field()).contains("myip");
    assertThat(store.lineAddresses()).isEmpty();
  }

  @Test
  void answers503WhenZooKeeperIsUnavailable() throws Exception {
    store.unavailable = true;

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () ->
                endpoint.handle(
                    request(
                        ci,
                        "application/json",
                        "{\"hostname\":\"home.example.com\",\"ip\":\"9.9.9.9\"}")));

    assertThat(e.status()).isEqualTo(503);
  }
}
