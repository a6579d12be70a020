package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.auth.Principal;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StoreUnavailableException;
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

class AgentRoutesTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
  private final List<String> resets = new CopyOnWriteArrayList<>();
  private final Set<String> stored = Set.of("office-gw");
  private final AgentRoutes routes =
      new AgentRoutes(
          Map.of("office-gw", List.of("office")),
          agent -> {
            resets.add(agent);
            return stored.contains(agent);
          });
  private final Principal root =
      new Principal("root", OperatorRole.ADMIN, "token", Optional.empty());

  private ApiRequest request(String agent, String body) throws Exception {
    return new ApiRequest(
        HttpMethod.POST,
        "/api/v1/agents/" + agent + "/reset",
        Map.of("agent", agent),
        Map.of(),
        body.getBytes(StandardCharsets.UTF_8),
        Optional.of("application/json"),
        root,
        InetAddress.getByName("192.0.2.9"),
        new OperatorAudit(audit::add, Runnable::run, clock, "n1"));
  }

  private ApiResponse call(String agent, String body) throws Exception {
    return routes.routes().getFirst().handler().handle(request(agent, body)).join();
  }

  @Test
  void isOneAdminRoute() {
    assertThat(routes.routes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo(HttpMethod.POST);
              assertThat(r.template()).isEqualTo(AgentRoutes.PATH);
              assertThat(r.role()).isEqualTo(OperatorRole.ADMIN);
            });
  }

  @Test
  void resetsTheReportersSequenceAndAuditsItsLinesReasonAndCaller() throws Exception {
    ApiResponse answer = call("office-gw", "{\"reason\":\"router replaced\"}");

    assertThat(resets).containsExactly("office-gw");
    assertThat(answer.body())
        .isEqualTo(Map.of("agent", "office-gw", "lines", List.of("office"), "reset", true));
    assertThat(audit)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("agent-reset");
              assertThat(e.detail())
                  .startsWith("credential=root role=admin via=token source=192.0.2.9")
                  .contains("agent=office-gw line=office had-sequence=true")
                  .contains("reason=\"router replaced\"");
            });
  }

  @Test
  void refusesAnUnknownReporterWith404AndResetsNothing() throws Exception {
    ApiException e = catchThrowableOfType(ApiException.class, () -> call("nobody", ""));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).contains("no such agent: nobody");
    assertThat(resets).isEmpty();
    assertThat(audit).isEmpty();
  }

  @Test
  void refusesUnknownFieldsAndControlCharactersNamingTheField() throws Exception {
    ApiException unknown =
        catchThrowableOfType(ApiException.class, () -> call("office-gw", "{\"why\":\"x\"}"));
    ApiException control =
        catchThrowableOfType(
            ApiException.class, () -> call("office-gw", "{\"reason\":\"a\\u0007b\"}"));

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.field()).hasValue("why");
    assertThat(control.field()).hasValue("reason");
    assertThat(resets).isEmpty();
  }

  @Test
  void answers503WhenZooKeeperIsUnavailableAndAuditsNothing() throws Exception {
    AgentRoutes down =
        new AgentRoutes(
            Map.of("office-gw", List.of("office")),
            agent -> {
              throw new StoreUnavailableException("no quorum", null);
            });
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> down.routes().getFirst().handler().handle(request("office-gw", "")).join());

    assertThat(e.status()).isEqualTo(503);
    assertThat(audit).isEmpty();
  }
}
