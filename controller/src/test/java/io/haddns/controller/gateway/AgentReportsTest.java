package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.CommitOutcomeUnknownException;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.testing.MemoryLineAddressStore;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentReportsTest {
  static final long NOW = 1795320000123L;
  static final TestAgent AGENT = new TestAgent("office-gw", 1);
  static final TestAgent STRANGER = new TestAgent("stranger", 3);

  private final InstantSource clock = InstantSource.fixed(Instant.ofEpochMilli(NOW));
  private final MemoryLineAddressStore store = new MemoryLineAddressStore(clock);
  private final List<AuditEvent> audit = new ArrayList<>();
  private AgentReports reports = reports(1000);

  private AgentReports reports(int perAgent) {
    // The reports below are of documentation addresses (RFC 5737), which are private.
    return reports(
        new GatewayCredentials(List.of(AGENT.config(List.of("telecom"), true)), List.of()),
        perAgent);
  }

  private AgentReports reports(GatewayCredentials credentials, int perAgent) {
    return new AgentReports(
        credentials,
        store,
        audit::add,
        Runnable::run,
        clock,
        "node-1",
        Duration.ofMinutes(5),
        new RateLimits("test", perAgent, Duration.ofHours(1)));
  }

  private ReportResponse send(String body) {
    return reports.handle(body.getBytes(StandardCharsets.UTF_8), "192.0.2.1", Runnable::run).join();
  }

  @Test
  void anOutcomeIsStillAnsweredAndAuditedWhenTheConnectionsEventLoopRefusesWork() {
    ReportResponse r =
        reports
            .handle(
                AGENT
                    .body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 42)
                    .getBytes(StandardCharsets.UTF_8),
                "192.0.2.1",
                task -> {
                  throw new java.util.concurrent.RejectedExecutionException("loop shut down");
                })
            .join();

    assertThat(r.status()).isEqualTo(ReportStatus.ACCEPTED);
    assertThat(audit)
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("address-report"));
  }

  @Test
  void commitsAValidReportBeforeAnsweringAccepted() throws Exception {
    ReportResponse r = send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 42));

    assertThat(r.status()).isEqualTo(ReportStatus.ACCEPTED);
    assertThat(new String(r.json(), StandardCharsets.UTF_8))
        .contains("\"status\":\"accepted\"", "\"sequence\":42");
    var stored = store.lineAddresses().get("telecom").report(AddressFamily.IPV4).orElseThrow();
    assertThat(stored.addresses()).containsExactly(InetAddress.getByName("198.51.100.7"));
    assertThat(stored.sequence()).isEqualTo(42);
    assertThat(stored.receivedBy()).isEqualTo("node-1");
    assertThat(audit)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("address-report");
              assertThat(e.detail()).contains("agent=office-gw", "sequence=42", "accepted");
            });
  }

  @Test
  void refusesASequenceFarBeyondTheClockSoThatItCannotLockTheAgentOut() {
    long highest =
        NOW + Duration.ofMinutes(5).toMillis() + AgentReports.MAX_SEQUENCE_AHEAD.toMillis();

    ReportResponse huge =
        send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, Long.MAX_VALUE));
    ReportResponse justOver =
        send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, highest + 1));

    assertThat(huge.status()).isEqualTo(ReportStatus.SEQUENCE_AHEAD);
    assertThat(huge.status().httpStatus()).isEqualTo(422);
    assertThat(justOver.status()).isEqualTo(ReportStatus.SEQUENCE_AHEAD);
    assertThat(store.writes).isZero();
    // The agent's next report, signed from its clock, is accepted.
    assertThat(send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, NOW)).status())
        .isEqualTo(ReportStatus.ACCEPTED);
    assertThat(send(AGENT.body("telecom", "ipv4", List.of("198.51.100.8"), NOW, highest)).status())
        .isEqualTo(ReportStatus.ACCEPTED);
    assertThat(audit)
        .filteredOn(e -> e.type().equals("address-report-rejected"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.detail()).contains("outcome=sequence-ahead"));
  }

  @Test
  void tellsAnUnknownCommitOutcomeFromOneThatWasNotCommitted() throws Exception {
    AgentReport r =
        new ReportParser()
            .parse(
                AGENT
                    .body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 7)
                    .getBytes(StandardCharsets.UTF_8));

    ReportResponse unknown =
        AgentReports.outcome(
            r,
            null,
            new java.util.concurrent.CompletionException(
                new CommitOutcomeUnknownException("address commit: CONNECTIONLOSS", null)));
    ReportResponse notCommitted =
        AgentReports.outcome(
            r, null, new StoreUnavailableException("address read: CONNECTIONLOSS", null));

    assertThat(unknown.status()).isEqualTo(ReportStatus.OUTCOME_UNKNOWN);
    assertThat(unknown.status().httpStatus()).isEqualTo(503);
    assertThat(new String(unknown.json(), StandardCharsets.UTF_8))
        .contains("\"status\":\"unknown\"", "outcome unknown: retry the same report");
    assertThat(notCommitted.status()).isEqualTo(ReportStatus.UNAVAILABLE);
    assertThat(notCommitted.detail()).startsWith("not committed");
  }

  @Test
  void answersUnknownWhenTheStoreCannotTellWhetherItCommitted() {
    store.unknownOutcome = true;

    ReportResponse r = send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 7));

    assertThat(r.status()).isEqualTo(ReportStatus.OUTCOME_UNKNOWN);
    assertThat(audit)
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("outcome=unknown"));
  }

  @Test
  void acceptsReconfirmedAddressesWithAHigherSequence() {
    send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 1));

    assertThat(send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 2)).status())
        .isEqualTo(ReportStatus.ACCEPTED);
    assertThat(store.writes).isEqualTo(2);
  }

  @Test
  void refusesAReplayEvenForAnotherLine() {
    reports =
        reports(
            new GatewayCredentials(
                List.of(AGENT.config(List.of("telecom", "unicom"), true)), List.of()));
    send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 5));

    ReportResponse replay = send(AGENT.body("unicom", "ipv4", List.of("198.51.100.8"), NOW, 5));
    ReportResponse older = send(AGENT.body("unicom", "ipv4", List.of("198.51.100.8"), NOW, 4));

    assertThat(replay.status()).isEqualTo(ReportStatus.STALE);
    assertThat(older.status()).isEqualTo(ReportStatus.STALE);
    assertThat(store.lineAddresses()).doesNotContainKey("unicom");
  }

  @Test
  void rateLimitsAnAgent() {
    reports = reports(1);
    send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 1));

    assertThat(send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 2)).status())
        .isEqualTo(ReportStatus.RATE_LIMITED);
  }

  @Test
  void answersUnavailableWhenZooKeeperCannotCommit() {
    store.unavailable = true;

    ReportResponse r = send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 1));

    assertThat(r.status()).isEqualTo(ReportStatus.UNAVAILABLE);
    assertThat(r.status().httpStatus()).isEqualTo(503);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejects(String what, String body, ReportStatus expected) {
    ReportResponse r = send(body);

    assertThat(r.status()).isEqualTo(expected);
    assertThat(store.writes).isZero();
    assertThat(audit)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("address-report-rejected");
              assertThat(e.detail()).contains("outcome=" + expected.label());
            });
    audit.forEach(e -> assertThat(e.detail()).doesNotContain(signatureOf(body)));
  }

  private static String signatureOf(String body) {
    int i = body.indexOf("\"signature\":\"");
    return i < 0 ? "\u0000" : body.substring(i + 13, Math.min(body.length(), i + 40));
  }

  static Stream<Arguments> rejections() {
    String good = AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 42);
    String sig = good.substring(good.indexOf("\"signature\":\"") + 13, good.length() - 2);
    return Stream.of(
        row("not JSON", "{agent: office-gw", ReportStatus.MALFORMED),
        row("a JSON list", "[]", ReportStatus.MALFORMED),
        row("trailing content", good + "{}", ReportStatus.MALFORMED),
        row(
            "duplicate key",
            good.replace("{\"agent\"", "{\"line\":\"telecom\",\"agent\""),
            ReportStatus.MALFORMED),
        row("unknown field", good.replace("{", "{\"extra\":1,"), ReportStatus.MALFORMED),
        row("missing field", good.replace(",\"sequence\":42", ""), ReportStatus.MALFORMED),
        row("sequence as string", good.replace(":42,", ":\"42\","), ReportStatus.MALFORMED),
        row("sequence zero", good.replace(":42,", ":0,"), ReportStatus.MALFORMED),
        row("fractional time", good.replace("" + NOW, NOW + ".5"), ReportStatus.MALFORMED),
        row("bad family", good.replace("ipv4", "inet"), ReportStatus.MALFORMED),
        row(
            "empty addresses",
            AGENT.json("telecom", "ipv4", List.of(), NOW, 42, sig),
            ReportStatus.MALFORMED),
        row(
            "invalid address",
            AGENT.json("telecom", "ipv4", List.of("198.51.100.300"), NOW, 42, sig),
            ReportStatus.MALFORMED),
        row(
            "host name instead of address",
            AGENT.json("telecom", "ipv4", List.of("example.com"), NOW, 42, sig),
            ReportStatus.MALFORMED),
        row(
            "loopback address, even with allowPrivate",
            AGENT.body("telecom", "ipv4", List.of("127.0.0.1"), NOW, 42),
            ReportStatus.FORBIDDEN_ADDRESS),
        row(
            "limited broadcast among good addresses",
            AGENT.body("telecom", "ipv4", List.of("198.51.100.7", "255.255.255.255"), NOW, 42),
            ReportStatus.FORBIDDEN_ADDRESS),
        row(
            "link-local IPv6",
            AGENT.body("telecom", "ipv6", List.of("fe80::1"), NOW, 42),
            ReportStatus.FORBIDDEN_ADDRESS),
        row(
            "multicast IPv6",
            AGENT.body("telecom", "ipv6", List.of("ff02::1"), NOW, 42),
            ReportStatus.FORBIDDEN_ADDRESS),
        row(
            "wrong family",
            AGENT.json("telecom", "ipv6", List.of("198.51.100.7"), NOW, 42, sig),
            ReportStatus.MALFORMED),
        row(
            "17 addresses",
            AGENT.json(
                "telecom",
                "ipv4",
                java.util.stream.IntStream.rangeClosed(1, 17)
                    .mapToObj(i -> "198.51.100." + i)
                    .toList(),
                NOW,
                42,
                sig),
            ReportStatus.MALFORMED),
        row("signature not base64", good.replace(sig, "***"), ReportStatus.MALFORMED),
        row(
            "unknown agent",
            STRANGER.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 42),
            ReportStatus.UNKNOWN_AGENT),
        row(
            "bad signature",
            good.replace("198.51.100.7", "198.51.100.8"),
            ReportStatus.BAD_SIGNATURE),
        row(
            "signed by another key",
            new TestAgent("office-gw", 99)
                .body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 42),
            ReportStatus.BAD_SIGNATURE),
        row(
            "out-of-scope line",
            AGENT.body("unicom", "ipv4", List.of("198.51.100.7"), NOW, 42),
            ReportStatus.FORBIDDEN_LINE),
        row(
            "observed 6 minutes ago",
            AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW - 360_000, 42),
            ReportStatus.STALE),
        row(
            "observed 6 minutes ahead",
            AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW + 360_000, 42),
            ReportStatus.STALE));
  }

  private static Arguments row(String what, String body, ReportStatus expected) {
    return Arguments.of(what, body, expected);
  }

  private AgentReports reports(GatewayCredentials credentials) {
    return reports(credentials, 1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "100.64.0.1", "172.16.5.4", "192.168.1.1", "198.51.100.7"})
  void refusesAPrivateAddressUnlessTheAgentOrItsLineAllowsIt(String address) throws Exception {
    reports = reports(new GatewayCredentials(List.of(AGENT.config(List.of("telecom"))), List.of()));

    ReportResponse r = send(AGENT.body("telecom", "ipv4", List.of("1.1.1.1", address), NOW, 1));

    assertThat(r.status()).isEqualTo(ReportStatus.FORBIDDEN_ADDRESS);
    assertThat(r.status().httpStatus()).isEqualTo(403);
    assertThat(r.detail())
        .startsWith(address + " is ")
        .endsWith("allowed only with allowPrivate: true");
    assertThat(store.writes).isZero();
    assertThat(audit)
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("outcome=forbidden-address"));

    reports =
        reports(
            new GatewayCredentials(
                List.of(AGENT.config(List.of("telecom"))),
                List.of(),
                Map.of("telecom", AddressPolicy.ALLOW_PRIVATE)));
    assertThat(send(AGENT.body("telecom", "ipv4", List.of(address), NOW, 2)).status())
        .as("the line allows private addresses")
        .isEqualTo(ReportStatus.ACCEPTED);
    assertThat(store.lineAddresses().get("telecom").addresses())
        .containsExactly(InetAddress.getByName(address));
  }

  @Test
  void acceptsAGloballyReachableAddressWithoutAllowPrivate() {
    reports = reports(new GatewayCredentials(List.of(AGENT.config(List.of("telecom"))), List.of()));

    assertThat(send(AGENT.body("telecom", "ipv4", List.of("1.1.1.1"), NOW, 1)).status())
        .isEqualTo(ReportStatus.ACCEPTED);
    assertThat(send(AGENT.body("telecom", "ipv6", List.of("2a00:1450:4001::1"), NOW, 2)).status())
        .isEqualTo(ReportStatus.ACCEPTED);
  }

  @Test
  void keepsBothFamiliesOfALine() {
    send(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), NOW, 1));
    send(AGENT.body("telecom", "ipv6", List.of("2001:db8::7", "2001:db8::8"), NOW, 2));

    assertThat(store.lineAddresses().get("telecom").addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("198.51.100.7", "2001:db8:0:0:0:0:0:7", "2001:db8:0:0:0:0:0:8");
    assertThat(Map.copyOf(store.lineAddresses())).hasSize(1);
  }
}
