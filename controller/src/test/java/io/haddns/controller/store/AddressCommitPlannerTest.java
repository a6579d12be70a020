package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.AddressCommitPlanner.LineWrite;
import io.haddns.controller.store.AddressCommitPlanner.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AddressCommitPlannerTest {
  private static final Instant OBSERVED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:01Z");

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static AddressSubmission report(String agent, String line, long seq, String... ips)
      throws Exception {
    List<InetAddress> addresses = new java.util.ArrayList<>();
    for (String s : ips) {
      addresses.add(ip(s));
    }
    return new AddressSubmission(
        line,
        AddressFamily.IPV4,
        addresses,
        OBSERVED,
        seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq),
        agent,
        "node-a");
  }

  private static LineAddressReport committed(AddressSubmission s, long seq) {
    return new LineAddressReport(
        s.line(), s.family(), s.addresses(), s.observedAt(), seq, s.agent(), "node-b", OBSERVED);
  }

  private static LineAddressState holding(LineAddressReport r) {
    return LineAddressState.empty(r.line()).with(r);
  }

  private static AgentState last(LineAddressReport r) {
    return new AgentState(r.sequence(), Optional.of(r));
  }

  @Test
  void commitsASequenceAboveTheReportersLast() throws Exception {
    AddressSubmission s = report("edge", "telecom", 8, "192.0.2.1");
    AgentState agent = new AgentState(7, Optional.empty());

    assertThat(AddressCommitPlanner.decide(s, agent, LineAddressState.empty("telecom"), false))
        .isEqualTo(new Verdict.Commit(8));
  }

  @Test
  void numbersAReportWithoutSequenceOneAboveTheReportersLast() throws Exception {
    AddressSubmission s = report("router1", "home", -1, "192.0.2.1");

    assertThat(
            AddressCommitPlanner.decide(
                s, new AgentState(41, Optional.empty()), LineAddressState.empty("home"), true))
        .isEqualTo(new Verdict.Commit(42));
  }

  @Test
  void readsAgainBeforeRefusingOnRememberedState() throws Exception {
    AddressSubmission s = report("edge", "telecom", 3, "192.0.2.1");

    assertThat(
            AddressCommitPlanner.decide(
                s, new AgentState(7, Optional.empty()), LineAddressState.empty("telecom"), false))
        .isEqualTo(new Verdict.ReadAgain());
  }

  @Test
  void refusesALowerSequenceAsStaleOnFreshState() throws Exception {
    AddressSubmission s = report("edge", "telecom", 3, "192.0.2.1");

    assertThat(
            AddressCommitPlanner.decide(
                s, new AgentState(7, Optional.empty()), LineAddressState.empty("telecom"), true))
        .isEqualTo(new Verdict.Answer(new AddressCommit.Stale(7)));
  }

  @Test
  void acknowledgesTheVeryReportLastCommittedAgainUnchanged() throws Exception {
    AddressSubmission s = report("edge", "telecom", 7, "192.0.2.1", "192.0.2.2");
    LineAddressReport stored = committed(report("edge", "telecom", 7, "192.0.2.2", "192.0.2.1"), 7);

    assertThat(AddressCommitPlanner.decide(s, last(stored), holding(stored), true))
        .isEqualTo(new Verdict.Answer(new AddressCommit.Committed(stored, false)));
  }

  @Test
  void refusesTheLastSequenceWithOtherAddressesAsStale() throws Exception {
    AddressSubmission s = report("edge", "telecom", 7, "192.0.2.9");
    LineAddressReport stored = committed(report("edge", "telecom", 7, "192.0.2.1"), 7);

    assertThat(AddressCommitPlanner.decide(s, last(stored), holding(stored), true))
        .isEqualTo(new Verdict.Answer(new AddressCommit.Stale(7)));
  }

  @Test
  void comparesWithTheLinesReportWhenTheReportersNodeDoesNotRecordIt() throws Exception {
    AddressSubmission s = report("edge", "telecom", 7, "192.0.2.1");
    LineAddressReport stored = committed(s, 7);

    assertThat(
            AddressCommitPlanner.decide(
                s, new AgentState(7, Optional.empty()), holding(stored), true))
        .isEqualTo(new Verdict.Answer(new AddressCommit.Committed(stored, false)));
  }

  @Test
  void confirmsWithoutRewritingTheLineWhenItsReporterReportsTheSameAddresses() throws Exception {
    LineAddressState line =
        holding(committed(report("edge", "telecom", 7, "192.0.2.1", "192.0.2.2"), 7));
    AddressSubmission s = report("edge", "telecom", 8, "192.0.2.2", "192.0.2.1");

    LineWrite w = AddressCommitPlanner.write(s, line, 8, NOW);

    assertThat(w.confirm()).isTrue();
    assertThat(w.changed()).isFalse();
    assertThat(w.lineAfter()).isSameAs(line);
    assertThat(w.report().sequence()).isEqualTo(8);
    assertThat(w.report().committedAt()).isEqualTo(NOW);
  }

  @Test
  void rewritesTheLineWhenAnotherReporterReportsTheSameAddresses() throws Exception {
    LineAddressState line = holding(committed(report("edge", "telecom", 7, "192.0.2.1"), 7));
    AddressSubmission s = report("backup", "telecom", 2, "192.0.2.1");

    LineWrite w = AddressCommitPlanner.write(s, line, 2, NOW);

    assertThat(w.confirm()).isFalse();
    assertThat(w.changed()).isFalse();
    assertThat(w.lineAfter().report(AddressFamily.IPV4)).contains(w.report());
  }

  @Test
  void changesTheLineWhenTheAddressesDiffer() throws Exception {
    LineAddressState line = holding(committed(report("edge", "telecom", 7, "192.0.2.1"), 7));
    AddressSubmission s = report("edge", "telecom", 8, "192.0.2.9");

    LineWrite w = AddressCommitPlanner.write(s, line, 8, NOW);

    assertThat(w.changed()).isTrue();
    assertThat(w.confirm()).isFalse();
    assertThat(w.lineAfter().addresses()).containsExactly(ip("192.0.2.9"));
  }

  @Test
  void changesAnEmptyLine() throws Exception {
    LineWrite w =
        AddressCommitPlanner.write(
            report("edge", "telecom", 1, "192.0.2.1"), LineAddressState.empty("telecom"), 1, NOW);

    assertThat(w.changed()).isTrue();
    assertThat(w.confirm()).isFalse();
  }

  @Test
  void batchesOneReportPerReporterAndLineAndLetsNoLaterReportPassAWaitingOne() throws Exception {
    AddressSubmission a1 = report("a", "l1", 1, "192.0.2.1");
    AddressSubmission a2 = report("a", "l2", 2, "192.0.2.1");
    AddressSubmission b1 = report("b", "l2", 1, "192.0.2.1");
    AddressSubmission c1 = report("c", "l1", 1, "192.0.2.1");
    AddressSubmission d1 = report("d", "l3", 1, "192.0.2.1");

    // a2 waits behind a1 (same reporter); b1 waits behind a2 (same line), although a2 is not in.
    assertThat(AddressCommitPlanner.independent(List.of(a1, a2, b1, c1, d1), s -> s))
        .containsExactly(a1, d1);
  }

  @Test
  void holdsAtLeastOneReportPerTransaction() {
    StoreSettings settings =
        new StoreSettings(Duration.ofSeconds(5), 3, 512 * 1024, 10_000, Duration.ofDays(30));

    assertThat(AddressCommitPlanner.maxReports(settings)).isEqualTo(1);
    assertThat(AddressCommitPlanner.maxReports(StoreSettings.defaults())).isEqualTo(250);
  }

  @Test
  void letsTheFirstReportJoinHoweverLargeAndLaterOnesOnlyWithinTheByteLimit() {
    StoreSettings settings = StoreSettings.defaults();
    int limit = settings.maxBytesPerTransaction();

    assertThat(AddressCommitPlanner.fits(0, 0, limit + 1, settings)).isTrue();
    assertThat(AddressCommitPlanner.fits(1, limit - 10, 10, settings)).isTrue();
    assertThat(AddressCommitPlanner.fits(1, limit - 10, 11, settings)).isFalse();
  }
}
