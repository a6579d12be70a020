package io.haddns.controller.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The decisions of the address group commit, apart from its ZooKeeper I/O ({@link AddressWrites}):
 * which reports may share a transaction, how many fit, and what each report becomes given the
 * states of its two nodes — refused as stale, acknowledged again, decided again on fresh reads, or
 * written (as a change of the line or as a confirmation of it). Pure functions;
 * docs/architecture.md, "Address commits".
 */
final class AddressCommitPlanner {
  /**
   * A report's operations: its line's address node (written or checked) and its reporter's node.
   */
  static final int OPS_PER_REPORT = 2;

  private AddressCommitPlanner() {}

  /** What to do with one report, given its reporter's and its line's states. */
  sealed interface Verdict {
    /** Answered without a write: stale, or the very report committed last, acknowledged again. */
    record Answer(AddressCommit commit) implements Verdict {}

    /** At or below the sequence remembered: decide again on what ZooKeeper holds now. */
    record ReadAgain() implements Verdict {}

    /** To be committed with {@code sequence}. */
    record Commit(long sequence) implements Verdict {}
  }

  /**
   * What a report committed with a sequence writes.
   *
   * @param report the report as committed, recorded in {@code agents/<id>}
   * @param lineAfter the line's state once committed
   * @param changed whether the family's addresses differ from the line's
   * @param confirm the line already holds these addresses from this reporter: its node is only
   *     checked, not written
   */
  record LineWrite(
      LineAddressReport report, LineAddressState lineAfter, boolean changed, boolean confirm) {}

  /**
   * Decides {@code s} against its reporter's {@code agent} state and its {@code line}'s; {@code
   * fresh}: both were read in this round, not remembered. A report is never refused nor
   * acknowledged again on remembered state.
   */
  static Verdict decide(
      AddressSubmission s, AgentState agent, LineAddressState line, boolean fresh) {
    long last = agent.sequence();
    long sequence = s.sequence().orElse(last + 1);
    if (sequence > last) {
      return new Verdict.Commit(sequence);
    }
    if (!fresh) {
      return new Verdict.ReadAgain();
    }
    return new Verdict.Answer(sequence == last ? resubmission(s, agent, line) : stale(last));
  }

  /** What committing {@code s} with {@code sequence} at {@code now} writes. */
  static LineWrite write(AddressSubmission s, LineAddressState line, long sequence, Instant now) {
    LineAddressReport report =
        new LineAddressReport(
            s.line(),
            s.family(),
            s.addresses(),
            s.observedAt(),
            sequence,
            s.agent(),
            s.receivedBy(),
            now);
    LineAddressReport current = line.report(s.family()).orElse(null);
    boolean changed = current == null || !sameAddresses(current, report);
    boolean confirm = !changed && current.agent().equals(s.agent());
    return new LineWrite(report, confirm ? line : line.with(report), changed, confirm);
  }

  /**
   * The reports of {@code round} that touch no node an earlier report of the round touches, in
   * order. A report that waits still blocks its nodes: a later one of its reporter or line must not
   * pass it.
   */
  static <T> List<T> independent(List<T> round, Function<T, AddressSubmission> submission) {
    Set<String> agentIds = new HashSet<>();
    Set<String> lineNames = new HashSet<>();
    List<T> batch = new ArrayList<>();
    for (T p : round) {
      AddressSubmission s = submission.apply(p);
      if (!agentIds.contains(s.agent()) && !lineNames.contains(s.line())) {
        batch.add(p);
      }
      agentIds.add(s.agent());
      lineNames.add(s.line());
    }
    return batch;
  }

  /** How many reports one transaction holds at most: at least one. */
  static int maxReports(StoreSettings settings) {
    return Math.max(1, settings.maxOpsPerTransaction() / OPS_PER_REPORT);
  }

  /**
   * Whether a report of {@code bytes} joins a transaction that holds {@code reports} reports of
   * {@code bytesSoFar}: the first always does, however large.
   */
  static boolean fits(int reports, int bytesSoFar, int bytes, StoreSettings settings) {
    return reports == 0 || bytesSoFar + bytes <= settings.maxBytesPerTransaction();
  }

  private static AddressCommit resubmission(
      AddressSubmission s, AgentState agent, LineAddressState line) {
    // A reporter whose answer was lost (timeout, node killed after the commit) retries the same
    // signed report, often at another node: that very report is acknowledged again, unchanged.
    return agent
        .last()
        .or(() -> line.report(s.family()))
        .filter(r -> isSameReport(r, s))
        .<AddressCommit>map(r -> new AddressCommit.Committed(r, false))
        .orElse(stale(agent.sequence()));
  }

  private static AddressCommit stale(long last) {
    return new AddressCommit.Stale(last);
  }

  private static boolean isSameReport(LineAddressReport stored, AddressSubmission s) {
    return stored.sequence() == s.sequence().orElse(-1)
        && stored.line().equals(s.line())
        && stored.family() == s.family()
        && stored.agent().equals(s.agent())
        && Set.copyOf(stored.addresses()).equals(Set.copyOf(s.addresses()))
        && stored.observedAt().equals(s.observedAt());
  }

  private static boolean sameAddresses(LineAddressReport a, LineAddressReport b) {
    return Set.copyOf(a.addresses()).equals(Set.copyOf(b.addresses()));
  }
}
