package io.haddns.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.admin.AdminSecurity;
import io.haddns.controller.admin.AdminServer;
import io.haddns.controller.admin.ApiResponse;
import io.haddns.controller.admin.ApiRoute;
import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.admin.StatusSource;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.testing.HeadlessChromium;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard's drills view in a real headless Chromium against a real admin server whose drill
 * routes answer as the drills API does (docs/operations.md, "Failover drills"): a report is shown
 * with its timeline, each record's RTO and its verdict; a new drill shows its preflight before it
 * is started, and the leader's refusal stays in the dialog with its reasons.
 */
class DashboardDrillsViewIT {
  private final String operator = OperatorTokens.generate("drills", new SecureRandom());
  private final List<String> started = new CopyOnWriteArrayList<>();
  private AdminServer admin;
  private HeadlessChromium browser;
  private DashboardPage page;

  private static Map<String, Object> report() {
    Map<String, Object> timeline = new LinkedHashMap<>();
    timeline.put("started", "2026-03-01T12:00:00Z");
    timeline.put("injected", "2026-03-01T12:00:00.100Z");
    timeline.put("visible", "2026-03-01T12:00:01.342Z");
    timeline.put("ended", "2026-03-01T12:00:31Z");
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("record", "app.example.test A");
    record.put("zone", "example.test");
    record.put("before", "192.0.2.1");
    record.put("visible", "2026-03-01T12:00:01.342Z");
    record.put("rtoMillis", 1242);
    record.put("back", "2026-03-01T12:00:32Z");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", "d-0001");
    d.put("kind", "line-failure");
    d.put("line", "a");
    d.put("rtoObjectiveMillis", 2000);
    d.put("by", "alice");
    d.put("phase", "ended");
    d.put("timeline", timeline);
    d.put("records", List.of(record));
    d.put("rtoMillis", 1242);
    d.put("verdict", "passed");
    d.put("notes", List.of());
    return d;
  }

  @BeforeEach
  void start() {
    ClusterStatus status =
        new ClusterStatus(
            "drills",
            "node-1",
            true,
            true,
            "node-1",
            1,
            List.of(
                new ClusterStatus.Member("node-1", "127.0.0.1:0", "it", "2026-03-01T11:00:00Z")),
            List.of(
                new ClusterStatus.Line("a", "up", List.of("192.0.2.1"), "", "ok", null),
                new ClusterStatus.Line("b", "up", List.of("192.0.2.2"), "", "ok", null)),
            List.of(),
            List.of());
    List<ApiRoute> drills =
        List.of(
            ApiRoute.of(
                HttpMethod.GET,
                "/api/v1/drills",
                OperatorRole.VIEWER,
                r ->
                    CompletableFuture.completedFuture(
                        ApiResponse.ok(Map.of("drills", List.of(report()))))),
            ApiRoute.of(
                HttpMethod.POST,
                "/api/v1/drills",
                OperatorRole.OPERATOR,
                r -> {
                  started.add(new String(r.body(), StandardCharsets.UTF_8));
                  return CompletableFuture.completedFuture(
                      new ApiResponse(
                          409,
                          Map.of(
                              "error",
                              "drill refused by its guard rails: inside the no-drills window")));
                }));
    OperatorsConfig operators =
        new OperatorsConfig(
            List.of(
                new OperatorsConfig.Token(
                    "alice",
                    OperatorRole.OPERATOR,
                    OperatorTokens.sha256(operator),
                    Optional.empty())),
            Optional.empty(),
            Optional.empty(),
            false,
            10);
    admin =
        new AdminServer(
            "127.0.0.1",
            0,
            new StatusSource() {
              @Override
              public ClusterStatus status() {
                return status;
              }

              @Override
              public boolean ready() {
                return true;
              }
            },
            new PrometheusRegistry(),
            AdminServer.DEFAULT_LIMITS,
            new AdminSecurity("drills", "node-1", operators, e -> {}, InstantSource.system()),
            drills);
    admin.start();
    browser = HeadlessChromium.start(1280, 900);
    page = new DashboardPage(browser);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void showsAReportWithItsTimelineAndRtoAndAPreflightBeforeAnyDrillStarts() {
    page.open("http://127.0.0.1:" + admin.address().getPort(), "drills").signIn(operator);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> !page.texts("drill-id").isEmpty());
    assertThat(page.text("drills")).contains("d-0001").contains("✓ passed").contains("1242 ms");

    page.driver().findElement(By.cssSelector("[data-test=drill-id]")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> !page.texts("drill-report").isEmpty());
    assertThat(page.text("drill-timeline")).contains("injected").contains("visible");
    assertThat(page.text("drill-report")).contains("app.example.test A").contains("2000 ms");
    browser.screenshot(Path.of("target", "dashboard", "drills-report.png"));

    page.driver().findElement(By.cssSelector("[data-test=run-drill]")).click();
    assertThat(page.driver().findElement(By.id("action-kind")).getDomProperty("value"))
        .isEqualTo("line-failure");
    page.driver().findElement(By.id("action-line")).sendKeys("a");
    page.driver().findElement(By.id("action-duration")).sendKeys("30s");
    page.driver().findElement(By.cssSelector("#action [data-test=confirm]")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(
            () ->
                page.driver().findElement(By.id("action-title")).getText().startsWith("Preflight"));
    String preflight = page.driver().findElement(By.id("action")).getText();
    assertThat(preflight)
        .contains("✓ no other drill running")
        .contains("✓ line a is up")
        .contains("1 other line(s) up");
    assertThat(started).isEmpty();
    browser.screenshot(Path.of("target", "dashboard", "drills-preflight.png"));

    page.driver().findElement(By.cssSelector("#action [data-test=confirm]")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(
            () ->
                page.driver()
                    .findElement(By.cssSelector("#action .error"))
                    .getText()
                    .contains("no-drills window"));
    assertThat(started)
        .singleElement()
        .asString()
        .contains("\"kind\":\"line-failure\"")
        .contains("\"line\":\"a\"")
        .contains("\"duration\":\"30s\"");
  }
}
