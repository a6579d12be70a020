package io.haddns.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.operate.Caller;
import io.haddns.controller.operate.DrillRequest;
import io.haddns.controller.operate.GuardRail;
import io.haddns.controller.operate.Outcome;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.testing.ClusterHarness;
import io.haddns.controller.testing.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web dashboard (docs/dashboard.md) in a real headless Chromium against three in-JVM nodes on a
 * real ZooKeeper quorum serving their zone from their embedded DNS servers, with two lines that are
 * real TCP listeners: the page is always opened on a follower. Screenshots of every view are
 * written to {@code target/dashboard/}.
 */
class DashboardBrowserIT {
  private static final Path SHOTS = Path.of("target", "dashboard");
  private static final String A = "127.0.0.21";
  private static final String B = "127.0.0.22";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final String operator = OperatorTokens.generate("it", new SecureRandom());
  private final String viewer = OperatorTokens.generate("it", new SecureRandom());
  private final HttpClient http = HttpClient.newHttpClient();
  private ECKey jwtKey;
  private ClusterHarness cluster;
  private HeadlessChromium browser;
  private DashboardPage page;
  private int leader;
  private int follower;

  @BeforeEach
  void start() throws Exception {
    browser = HeadlessChromium.start(1280, 900);
    page = new DashboardPage(browser);
    jwtKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(jwtKey.toPublicJWK()).toString());
    cluster =
        ClusterHarness.startEmbedded(
            dir,
            3,
            "3s",
            """
            operators:
              tokens:
                - { name: alice, role: operator, sha256: "%s" }
                - { name: grafana, role: viewer, sha256: "%s" }
              jwt: { issuer: "https://sso.it", audience: haddns-it, jwksFile: jwks.json, clockSkew: 1s }
            """
                .formatted(OperatorTokens.sha256(operator), OperatorTokens.sha256(viewer)));
    leader = cluster.awaitOneLeader();
    follower = (leader + 1) % 3;
    await().atMost(WAIT).until(() -> answerOf(follower).equals(List.of(A)));
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private String base(int node) {
    return "http://127.0.0.1:" + cluster.node(node).admin().address().getPort();
  }

  private List<String> answerOf(int node) {
    AppliedRecord r =
        cluster
            .node(node)
            .store()
            .applied()
            .get(new RecordKey(ClusterHarness.RECORD, RecordType.A));
    return r == null
        ? List.of()
        : r.record().addresses().stream().map(a -> a.getHostAddress()).toList();
  }

  /** Shows the drills view once it has its list, or says that this node has no drills. */
  private void showDrills() {
    page.show("drills");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> !page.texts("drills").isEmpty() || !page.texts("drills-unavailable").isEmpty());
  }

  /** Fills the page's "Run a drill" dialog and waits for the preflight it leads to. */
  private String preflight(String line, String duration) {
    page.driver().findElement(By.cssSelector("[data-test=run-drill]")).click();
    await().atMost(WAIT).until(() -> page.driver().findElement(By.id("action")).isDisplayed());
    assertThat(page.driver().findElement(By.id("action-kind")).getDomProperty("value"))
        .isEqualTo("line-failure");
    page.driver().findElement(By.id("action-line")).sendKeys(line);
    page.driver().findElement(By.id("action-duration")).sendKeys(duration);
    page.driver().findElement(By.cssSelector("#action [data-test=confirm]")).click();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                page.driver().findElement(By.id("action-title")).getText().startsWith("Preflight"));
    return page.text("preflight");
  }

  /** The guard rails a line-failure drill of {@code line} runs into, as node {@code i} sees. */
  private List<String> rails(int i, String line) {
    return cluster
        .node(i)
        .drills()
        .preflight(
            new DrillRequest(
                DrillKind.LINE_FAILURE,
                Optional.of(line),
                Optional.empty(),
                Optional.of(Duration.ofSeconds(3)),
                Optional.empty(),
                false))
        .stream()
        .map(GuardRail::rule)
        .toList();
  }

  /** A JWT from the configured issuer that expires at {@code exp}. */
  private String jwt(String sub, String role, Instant exp) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer("https://sso.it")
                .audience("haddns-it")
                .expirationTime(Date.from(exp))
                .claim("haddns_role", role)
                .build());
    jwt.sign(new ECDSASigner(jwtKey));
    return jwt.serialize();
  }

  private HttpResponse<String> status(int node, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base(node) + "/api/v1/status"))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode line(int node, String name) throws Exception {
    for (JsonNode l : new ObjectMapper().readTree(status(node, viewer).body()).get("lines")) {
      if (l.get("name").asText().equals(name)) {
        return l;
      }
    }
    throw new AssertionError("no line " + name);
  }

  private void awaitMembersShown(int members) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                page.driver().findElements(By.cssSelector("[data-test=members] tbody tr")).size()
                    == members);
  }

  private void awaitLeaderShown(String node) {
    await().atMost(WAIT).ignoreExceptions().until(() -> page.text("leader").equals(node));
  }

  @Test
  void aFollowersPageShowsTheLeaderThenALineFailureWithinTwoSecondsAndTheNewAnswerSoonAfter()
      throws Exception {
    page.open(base(follower), "cluster").signIn(operator);

    awaitLeaderShown(ClusterHarness.nodeId(leader));
    assertThat(page.text("node")).contains(ClusterHarness.nodeId(follower)).contains("follower");
    assertThat(page.text("zookeeper")).contains("connected");
    assertThat(page.driver().findElements(By.cssSelector("[data-test=members] tbody tr")))
        .hasSize(3);
    assertThat(page.text("who")).contains("alice").contains("operator");
    browser.screenshot(SHOTS.resolve("cluster.png"));
    assertThat(browser.consoleErrors()).as("console errors on the follower's page").isEmpty();

    page.show("lines");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.lines().get("a").get(0).contains("up"));
    browser.screenshot(SHOTS.resolve("lines.png"));
    page.show("records");
    await().atMost(WAIT).ignoreExceptions().until(() -> page.text("answer").equals(A));
    browser.screenshot(SHOTS.resolve("records.png"));

    page.show("lines");
    long failed = System.nanoTime();
    cluster.lineA.down();
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> page.lines().get("a").get(0).equals("▼ down"));
    long shown = System.nanoTime();
    page.show("records");
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> page.text("answer").equals(B));
    long answered = System.nanoTime();
    System.out.printf(
        "dashboard: line failure shown %d ms after the failure, new answer %d ms later%n",
        (shown - failed) / 1_000_000, (answered - shown) / 1_000_000);
    browser.screenshot(SHOTS.resolve("records-after-failure.png"));
    page.show("lines");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.lines().get("a").get(0).contains("down"));
    browser.screenshot(SHOTS.resolve("lines-after-failure.png"));

    // On a phone: one column, nothing wider than the screen (wide tables scroll in their box).
    page.driver().manage().window().setSize(new Dimension(390, 844));
    await()
        .atMost(WAIT)
        .until(
            () ->
                (Long) page.script("return document.documentElement.scrollWidth;")
                    <= (Long) page.script("return window.innerWidth;"));
    browser.screenshot(SHOTS.resolve("lines-phone.png"));
    page.driver().manage().window().setSize(new Dimension(1280, 900));

    page.show("audit");
    await().atMost(WAIT).ignoreExceptions().until(() -> !page.texts("audit-detail").isEmpty());
    browser.screenshot(SHOTS.resolve("audit.png"));
    showDrills();
    browser.screenshot(SHOTS.resolve("drills.png"));
  }

  @Test
  void aLineFailureDrillStartedFromThePageShowsItsRefusalsThenRunsAndReportsAnRtoPerRecord() {
    // Line b drained: the record would have no other healthy line, a safety guard rail.
    Caller bob = new Caller("bob", "127.0.0.1");
    assertThat(
            cluster.node(leader).operator().drain("b", Duration.ofMinutes(5), "maintenance", bob))
        .isInstanceOf(Outcome.Done.class);
    await().atMost(WAIT).until(() -> rails(follower, "a").contains("no-other-line"));
    page.open(base(follower), "drills").signIn(operator);
    showDrills();

    assertThat(preflight("a", "3s"))
        .contains("✗ record " + ClusterHarness.RECORD)
        .contains("has no other healthy line than a (no-other-line)");
    browser.screenshot(SHOTS.resolve("drills-preflight-refused.png"));
    page.driver().findElement(By.cssSelector("#action [data-test=confirm]")).click();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                page.driver()
                    .findElement(By.cssSelector("#action .error"))
                    .getText()
                    .contains("drill refused by its guard rails"));
    assertThat(page.driver().findElement(By.cssSelector("#action .error")).getText())
        .contains("has no other healthy line than a");
    assertThat(cluster.node(follower).drills().list()).isEmpty();
    assertThat(browser.consoleErrors())
        .as("only the refusal's failed load")
        .allMatch(m -> m.contains("409"));
    page.driver().findElement(By.xpath("//dialog[@id='action']//button[text()='Cancel']")).click();

    assertThat(cluster.node(leader).operator().clear("b", bob)).isInstanceOf(Outcome.Done.class);
    await().atMost(WAIT).until(() -> rails(follower, "a").isEmpty());
    assertThat(preflight("a", "3s")).contains("✓ every guard rail passes");
    browser.screenshot(SHOTS.resolve("drills-preflight.png"));
    page.driver().findElement(By.cssSelector("#action [data-test=confirm]")).click();

    await()
        .atMost(Duration.ofSeconds(40))
        .ignoreExceptions()
        .until(() -> page.text("drill-report").contains("line-failure · ended"));
    Drill report = cluster.node(follower).drills().list().getFirst();
    assertThat(report.by()).isEqualTo("alice");
    assertThat(report.records()).extracting(Drill.RecordTiming::zone).contains(ClusterHarness.ZONE);
    Map<String, Duration> rtos = report.recoveryTimes();
    assertThat(rtos).hasSameSizeAs(report.records()).isNotEmpty();
    String shown = page.text("drill-report");
    rtos.forEach(
        (record, rto) -> assertThat(shown).contains(record).contains(rto.toMillis() + " ms"));
    assertThat(page.text("drill-timeline"))
        .contains("injected")
        .contains("visible")
        .contains("back-visible")
        .containsPattern("\\+\\d+ ms");
    assertThat(shown).contains(report.verdict().orElseThrow().label());
    assertThat(page.text("drills")).contains(report.id());
    browser.screenshot(SHOTS.resolve("drills-report.png"));
    await().atMost(WAIT).until(() -> answerOf(follower).equals(List.of(A)));
    assertThat(browser.consoleErrors()).as("console errors on the drills view").isEmpty();
  }

  @Test
  void theOpenPageShowsTheNewLeaderWithoutAReloadWhenTheLeaderIsKilled() {
    page.open(base(follower), "cluster").signIn(viewer);
    awaitLeaderShown(ClusterHarness.nodeId(leader));
    page.script("window.haddnsMarker = 'still here';");

    // As if its process died: no graceful hand-over, its ZooKeeper connection just goes silent.
    cluster.cutOffFromZooKeeper(leader);
    await().atMost(WAIT).until(() -> cluster.leaders().stream().anyMatch(i -> i != leader));
    int next = cluster.leaders().stream().filter(i -> i != leader).findFirst().orElseThrow();

    assertThat(next).isNotEqualTo(leader);
    awaitLeaderShown(ClusterHarness.nodeId(next));
    assertThat(page.script("return window.haddnsMarker;")).isEqualTo("still here");
    awaitMembersShown(2);
    String acquired = "acquired epoch=" + cluster.node(next).node().epoch();
    await().atMost(WAIT).ignoreExceptions().until(() -> page.text("leadership").contains(acquired));
    browser.screenshot(SHOTS.resolve("cluster-after-failover.png"));
  }

  @Test
  void aViewerSeesNoMutatingControlsAndAForgedMutationFromThePageIsRefused() {
    page.open(base(follower), "lines").signIn(viewer);
    await().atMost(WAIT).ignoreExceptions().until(() -> page.lines().containsKey("a"));
    assertThat(page.text("who")).contains("grafana").contains("viewer");

    assertThat(page.texts("drain")).isEmpty();
    assertThat(page.texts("force-up")).isEmpty();
    assertThat(page.texts("clear")).isEmpty();
    page.show("records");
    await().atMost(WAIT).ignoreExceptions().until(() -> page.text("answer").equals(A));
    assertThat(page.texts("pause")).isEmpty();
    assertThat(page.texts("resume")).isEmpty();
    showDrills();
    assertThat(page.texts("run-drill")).isEmpty();

    // The page's own origin, without the token (a forged request cannot read session storage),
    // and with the viewer's token: both refused, nothing written.
    String forge =
        "const done = arguments[arguments.length - 1];"
            + " const headers = {'Content-Type': 'application/json'};"
            + " if (arguments[0]) headers.Authorization = 'Bearer ' + arguments[0];"
            + " fetch('/api/v1/lines/a/override', {method: 'POST', headers,"
            + " body: JSON.stringify({state: 'down', reason: 'forged'})})"
            + ".then(r => done(r.status), e => done('error ' + e));";
    assertThat(page.asyncScript(forge, "")).isEqualTo(401L);
    assertThat(page.asyncScript(forge, viewer)).isEqualTo(403L);
    for (int i = 0; i < 3; i++) {
      assertThat(cluster.node(i).store().intents().overrides()).isEmpty();
    }
  }

  @Test
  void aScriptInjectedThroughAnOverrideReasonIsShownAsTextInTheLinesAndTheAudit() {
    String reason =
        "<img src=x id=pwned1 onerror=document.title='pwned'>"
            + "<script id=pwned2>document.title='pwned'</script>";
    page.open(base(follower), "lines").signIn(operator);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.lines().get("a").get(0).contains("up"));

    // Drain line a through the page, with the keyboard.
    WebElement drain = page.driver().findElement(By.cssSelector("[data-key='drain-a']"));
    drain.sendKeys(Keys.ENTER);
    await().atMost(WAIT).until(() -> page.driver().findElement(By.id("action")).isDisplayed());
    page.driver().findElement(By.id("action-reason")).sendKeys(reason);
    page.driver().findElement(By.id("action-duration")).sendKeys("5m");
    page.driver().findElement(By.cssSelector("#action [data-test=confirm]")).click();

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.lines().get("a").get(1).contains(reason));
    assertThat(page.lines().get("a").get(0)).contains("overridden");
    assertThat(page.lines().get("a").get(1)).contains("by alice");
    await().atMost(WAIT).until(() -> answerOf(follower).equals(List.of(B)));
    page.show("audit");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.texts("audit-detail").stream().anyMatch(t -> t.contains(reason)));
    browser.screenshot(SHOTS.resolve("audit-injected.png"));

    assertThat(page.driver().findElements(By.id("pwned1"))).isEmpty();
    assertThat(page.driver().findElements(By.id("pwned2"))).isEmpty();
    assertThat(page.driver().getTitle()).isNotEqualTo("pwned");
    assertThat(page.texts("audit-detail"))
        .noneMatch(t -> t.contains("<img") && !t.contains(reason));
  }

  @Test
  void aSignInNoLongerAcceptedAsksAgainWithoutBlankingThePage() {
    page.open(base(follower), "cluster").signIn(operator);
    awaitLeaderShown(ClusterHarness.nodeId(leader));

    // What an expired JWT or a withdrawn token looks like to the page: the next call gets 401.
    String stale = OperatorTokens.generate("it", new SecureRandom());
    page.script("sessionStorage.setItem('haddns.token', arguments[0]);", stale);

    await().atMost(WAIT).until(page::signInShown);
    assertThat((String) page.script("return document.getElementById('signin-why').textContent;"))
        .contains("no longer accepted");
    assertThat(page.text("leader")).isEqualTo(ClusterHarness.nodeId(leader));
    browser.screenshot(SHOTS.resolve("sign-in-again.png"));

    page.signIn(operator);
    assertThat(page.text("who")).contains("alice");
    awaitLeaderShown(ClusterHarness.nodeId(leader));
  }

  @Test
  void showsThatTheNodeLostZooKeeperAndClearsItWhenBack() {
    page.open(base(follower), "cluster").signIn(viewer);
    awaitLeaderShown(ClusterHarness.nodeId(leader));
    assertThat(page.banner()).isEmpty();

    cluster.cutOffFromZooKeeper(follower);
    await().atMost(WAIT).ignoreExceptions().until(() -> page.banner().contains("ZooKeeper lost"));
    assertThat(page.text("zookeeper")).contains("lost");
    browser.screenshot(SHOTS.resolve("zookeeper-lost.png"));

    cluster.reconnectToZooKeeper(follower);
    await().atMost(WAIT).ignoreExceptions().until(() -> page.banner().isEmpty());
    assertThat(page.text("zookeeper")).contains("connected");
  }

  @Test
  void aJwtThatExpiresWhileThePageIsOpenAsksToSignInAgainAndTheApiAnswers401() throws Exception {
    // clockSkew is 1s: the token is good until exp + 1 s and refused after, on every node. exp is
    // whole seconds in the token, so the expected moment is too.
    Instant exp = Instant.now().plusSeconds(8).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = jwt("ci-deploy", "viewer", exp);
    assertThat(status(follower, token).statusCode()).isEqualTo(200);
    page.open(base(follower), "cluster").signIn(token);
    assertThat(page.text("who")).contains("ci-deploy").contains("viewer");
    awaitLeaderShown(ClusterHarness.nodeId(leader));

    await().atMost(WAIT).until(page::signInShown);
    assertThat(Instant.now()).isAfter(exp.plusSeconds(1));
    assertThat((String) page.script("return document.getElementById('signin-why').textContent;"))
        .contains("no longer accepted")
        .contains("JWT expired");
    assertThat(page.text("leader")).isEqualTo(ClusterHarness.nodeId(leader));
    browser.screenshot(SHOTS.resolve("sign-in-after-jwt-expired.png"));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> refused = status(i, token);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("JWT expired").doesNotContain(token);
    }

    page.signIn(operator);
    assertThat(page.text("who")).contains("alice");
    awaitLeaderShown(ClusterHarness.nodeId(leader));
  }

  @Test
  void lineDetailsShowTheSourceTheLeadersProbesAndTheHealthHistoryFollowersSendToTheLeader()
      throws Exception {
    page.open(base(follower), "lines").signIn(viewer);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.lines().get("a").get(0).contains("up"));
    assertThat(page.texts("line-source")).containsOnly("static (configuration)");
    // A follower does not probe: it says so and offers the leader's page.
    assertThat(page.text("probes-elsewhere"))
        .contains("kept by the leader (" + ClusterHarness.nodeId(leader) + ")");
    assertThat(line(follower, "a").get("probes").isNull()).isTrue();
    await().atMost(WAIT).ignoreExceptions().until(() -> !page.texts("history-item").isEmpty());

    // To the leader's page, the token handed over in the fragment and gone from the address.
    page.driver().findElement(By.cssSelector("[data-key='open-leader-a']")).click();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.driver().getCurrentUrl().startsWith(base(leader) + "/ui/"));
    await().atMost(WAIT).ignoreExceptions().until(() -> !page.texts("probes").isEmpty());
    assertThat(page.driver().getCurrentUrl()).isEqualTo(base(leader) + "/ui/#lines");
    assertThat(page.signInShown()).isFalse();
    assertThat(page.text("who")).contains("grafana");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.texts("probes").get(0).contains("✓ ok"));
    assertThat(page.texts("probes").get(0))
        .contains("tcp/" + cluster.lineA.port())
        .contains(cluster.lineA.address().getHostAddress())
        .contains(" ms");

    cluster.lineA.down();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.texts("probes").get(0).contains("✗ failed"));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> page.texts("history-item").stream().anyMatch(t -> t.contains("▼ down")));
    browser.screenshot(SHOTS.resolve("line-details.png"));

    // The history is the replicated one: the follower answers it too.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode history = line(follower, "a").get("history");
              return history.get(history.size() - 1).get("health").asText().equals("down");
            });
    JsonNode probes = line(leader, "a").get("probes");
    assertThat(probes).isNotEmpty();
    assertThat(probes.get(0).get("result").asText()).isEqualTo("failed");
    assertThat(browser.consoleErrors()).as("console errors on the line details").isEmpty();
  }

  @Test
  void thePageMovesToAnotherNodeByItselfWhenTheNodeItCameFromIsKilled() throws Exception {
    page.open(base(leader), "cluster").signIn(viewer);
    awaitLeaderShown(ClusterHarness.nodeId(leader));
    awaitMembersShown(3);
    String from = base(leader);

    // Killed: cut off from ZooKeeper first (no hand-over, as in a crash), then stopped, so that
    // its admin port stops answering.
    long killed = System.nanoTime();
    cluster.cutOffFromZooKeeper(leader);
    cluster.stop(leader);
    long stopped = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> !page.driver().getCurrentUrl().startsWith(from + "/"));
    long moved = System.nanoTime();
    await().atMost(WAIT).until(() -> cluster.leaders().stream().anyMatch(i -> i != leader));
    int next = cluster.leaders().stream().filter(i -> i != leader).findFirst().orElseThrow();
    awaitLeaderShown(ClusterHarness.nodeId(next));
    long shown = System.nanoTime();
    System.out.printf(
        "dashboard: node killed (stopping took %d ms), page moved to another node %d ms after the"
            + " kill began, new leader shown %d ms later%n",
        (stopped - killed) / 1_000_000, (moved - killed) / 1_000_000, (shown - moved) / 1_000_000);

    String url = page.driver().getCurrentUrl();
    assertThat(url).endsWith("/ui/#cluster").doesNotContain("handover");
    assertThat(page.signInShown()).isFalse();
    assertThat(page.text("who")).contains("grafana");
    assertThat(page.text("node")).doesNotContain(ClusterHarness.nodeId(leader));
    assertThat((String) page.script("return document.getElementById('toast').textContent;"))
        .contains(ClusterHarness.nodeId(leader));
    browser.screenshot(SHOTS.resolve("cluster-moved-to-another-node.png"));
  }
}
