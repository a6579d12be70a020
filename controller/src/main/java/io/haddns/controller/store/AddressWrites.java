package io.haddns.controller.store;

import io.haddns.controller.store.AddressCommitPlanner.LineWrite;
import io.haddns.controller.store.AddressCommitPlanner.Verdict;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.curator.utils.PathUtils;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unfenced compare-and-set writes of line addresses ({@code lines/<line>/address}) and of each
 * reporter's last committed report ({@code agents/<id>}), group-committed: one thread takes what
 * has been submitted since its last transaction and commits all of it in one ZooKeeper {@code
 * multi}.
 *
 * <p>A report is committed conditional on the versions of its line's and its reporter's nodes
 * (optimistically, on versions remembered from the last read or commit) and decided again on fresh
 * reads when a transaction fails; a confirmation of unchanged addresses only checks the line's
 * node; a lost answer's exact resubmission is acknowledged again; only one transaction is in
 * flight, bounded by {@link StoreSettings#maxOpsPerTransaction()} and {@link
 * StoreSettings#maxBytesPerTransaction()}. What each report becomes is decided by {@link
 * AddressCommitPlanner}; the rules, invariants and failure outcomes are in docs/architecture.md,
 * "Address commits".
 *
 * <p>Lifecycle: the commit thread starts with the first submission. {@link #submit} never blocks
 * and is thread-safe; {@link #put} blocks.
 */
final class AddressWrites implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AddressWrites.class);
  // docs/architecture.md, "Address commits", names this limit and QUEUE_CAPACITY.
  private static final int MAX_ATTEMPTS = 20;
  private static final int ABSENT = -1;

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final ZkCall zk;
  private final InstantSource clock;
  private final StoreSettings settings;
  private final Runnable beforeRound;
  private final Runnable layoutLost;
  private final Consumer<Set<String>> beforeCommit;

  /** Reports waiting for the commit thread; beyond this, {@link #submit} answers unavailable. */
  static final int QUEUE_CAPACITY = 65_536;

  /** Reports taken from the queue into one round at most, so that a round's scan stays short. */
  private static final int ROUND_INTAKE = 4_096;

  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

  // Confined to the commit thread: hints for the next transaction's conditions.
  private final Map<String, Seen<AgentState>> agents = new HashMap<>();
  private final Map<String, Seen<LineAddressState>> lines = new HashMap<>();
  private final Deque<Pending> carried = new ArrayDeque<>();

  private Thread thread;
  private volatile boolean closed;

  /**
   * @param beforeRound runs on the commit thread before each round (e.g. making sure the parent
   *     nodes exist); may throw {@link StoreUnavailableException}, which fails that round
   * @param layoutLost runs when a transaction met a missing node, so that the next {@code
   *     beforeRound} checks the parent nodes again (an operator may have deleted one)
   * @param beforeCommit runs on the commit thread between deciding a transaction and sending it,
   *     with the reporters it holds (a seam for tests that race a transaction; a no-op otherwise)
   */
  AddressWrites(
      CuratorFramework client,
      ZkPaths paths,
      StoreCodec codec,
      ZkCall zk,
      InstantSource clock,
      StoreSettings settings,
      Runnable beforeRound,
      Runnable layoutLost,
      Consumer<Set<String>> beforeCommit) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
    this.zk = zk;
    this.clock = clock;
    this.settings = settings;
    this.beforeRound = beforeRound;
    this.layoutLost = layoutLost;
    this.beforeCommit = beforeCommit;
  }

  /** A node's decoded content and the version it was seen at ({@value #ABSENT}: no node). */
  private record Seen<T>(T value, int version) {
    boolean exists() {
      return version != ABSENT;
    }

    int next() {
      return version + 1;
    }
  }

  /** A submitted report on its way; {@code fresh}: decide it on nodes read in this round. */
  private static final class Pending {
    final AddressSubmission submission;
    final CompletableFuture<AddressCommit> result = new CompletableFuture<>();
    int attempts;
    boolean fresh;

    Pending(AddressSubmission submission) {
      this.submission = submission;
    }
  }

  /** A decided report: its operations and what to remember once they committed. */
  private record Plan(
      Pending pending,
      List<CuratorOp> ops,
      int bytes,
      Seen<AgentState> agentAfter,
      Seen<LineAddressState> lineAfter,
      LineAddressReport report,
      boolean changed) {}

  /** Queues {@code s} for the next transaction; the future completes once decided or committed. */
  CompletableFuture<AddressCommit> submit(AddressSubmission s) {
    Pending p = new Pending(s);
    if (closed) {
      p.result.completeExceptionally(new StoreUnavailableException("store closed", null));
      return p.result;
    }
    // Queued before the thread is looked at: a commit thread that is just stopping sees it, or
    // this call sees that thread gone and starts the next one.
    if (!queue.offer(p)) {
      p.result.completeExceptionally(
          new StoreUnavailableException(
              "address commit: " + QUEUE_CAPACITY + " reports already waiting for ZooKeeper",
              null));
      return p.result;
    }
    startIfNeeded();
    if (closed) {
      failQueued();
    }
    return p.result;
  }

  /**
   * {@link #submit} and wait. A report still queued or in flight after four operation timeouts is
   * answered {@link CommitOutcomeUnknownException} (it may still commit).
   */
  AddressCommit put(AddressSubmission s) {
    CompletableFuture<AddressCommit> f = submit(s);
    try {
      return f.get(settings.operationTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CommitOutcomeUnknownException(
          "address commit line=" + s.line() + ": no outcome within four operation timeouts", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitOutcomeUnknownException(
          "address commit line=" + s.line() + ": interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreUnavailableException("address commit line=" + s.line() + ": failed", e);
    }
  }

  private synchronized void startIfNeeded() {
    if (thread == null && !closed) {
      thread = Thread.ofPlatform().name("haddns-address-commit").daemon().start(this::run);
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(settings.operationTimeout().toMillis() * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failQueued();
  }

  private void failQueued() {
    Pending p;
    while ((p = queue.poll()) != null) {
      fail(p, new StoreUnavailableException("store closed", null));
    }
  }

  private void run() {
    try {
      while (!closed) {
        List<Pending> round = new ArrayList<>(carried);
        carried.clear();
        try {
          if (round.isEmpty()) {
            Pending first = queue.poll(1, TimeUnit.SECONDS);
            if (first == null) {
              continue;
            }
            round.add(first);
          }
          queue.drainTo(round, Math.max(0, ROUND_INTAKE - round.size()));
          round(round);
        } catch (InterruptedException e) {
          fail(round, new StoreUnavailableException("store closed", e));
          break;
        } catch (StoreUnavailableException e) {
          fail(round, e);
        } catch (Throwable e) {
          // A fault of this thread's own (a bug, an Error) fails its round, not the store.
          log.error("address commit round of reports={} failed unexpectedly", round.size(), e);
          fail(round, e);
        }
        // What the round did not answer goes again, in submission order and ahead of anything
        // newer, so that a reporter's reports keep their order.
        for (Pending p : round) {
          if (!p.result.isDone()) {
            carried.add(p);
          }
        }
      }
    } finally {
      StoreUnavailableException stopped =
          new StoreUnavailableException(closed ? "store closed" : "address commit stopped", null);
      fail(new ArrayList<>(carried), stopped);
      carried.clear();
      synchronized (this) {
        thread = null;
      }
      if (closed) {
        failQueued();
      } else if (!queue.isEmpty()) {
        startIfNeeded();
      }
    }
  }

  private static void fail(List<Pending> round, Throwable e) {
    for (Pending p : round) {
      fail(p, e);
    }
  }

  /**
   * Decides and commits what it can of {@code round} and answers it; what it leaves unanswered
   * (reports touching a node another one of the round already touches, reports beyond the
   * transaction's limits, reports of a transaction that lost a race) goes to the next round.
   */
  private void round(List<Pending> round) {
    beforeRound.run();
    List<Plan> plans = decide(AddressCommitPlanner.independent(round, p -> p.submission));
    if (!plans.isEmpty()) {
      commit(plans);
    }
  }

  private void commit(List<Plan> plans) {
    List<CuratorOp> ops = new ArrayList<>(plans.size() * AddressCommitPlanner.OPS_PER_REPORT);
    Set<String> reporters = new HashSet<>();
    for (Plan plan : plans) {
      ops.addAll(plan.ops());
      reporters.add(plan.pending().submission.agent());
    }
    beforeCommit.accept(Set.copyOf(reporters));
    CuratorEvent result;
    try {
      result =
          zk.call("address commit", cb -> client.transaction().inBackground(cb).forOperations(ops));
    } catch (StoreUnavailableException e) {
      // The transaction may have reached ZooKeeper and committed before the connection failed.
      for (Plan plan : plans) {
        forget(plan.pending().submission);
      }
      throw new CommitOutcomeUnknownException(
          "address commit of " + plans.size() + " reports: outcome unknown: " + e.getMessage(), e);
    }
    Code code = ZkCall.code(result);
    if (code == Code.OK) {
      for (Plan plan : plans) {
        AddressSubmission s = plan.pending().submission;
        agents.put(s.agent(), plan.agentAfter());
        lines.put(s.line(), plan.lineAfter());
      }
      for (Plan plan : plans) {
        answer(plan.pending(), new AddressCommit.Committed(plan.report(), plan.changed()));
      }
      return;
    }
    // Nothing of this transaction was written. ZooKeeper names only the first failing operation,
    // but any report's versions may be outdated (another node committed for its line or reporter,
    // or a line's container was removed): every report is read and decided again, all together.
    int failed = failedOperation(result);
    Plan named = failed < 0 ? null : plans.get(failed / AddressCommitPlanner.OPS_PER_REPORT);
    boolean race = code == Code.BADVERSION || code == Code.NODEEXISTS || code == Code.NONODE;
    if (code == Code.NONODE) {
      layoutLost.run();
    }
    if (!race && named == null) {
      throw new StoreUnavailableException(
          "address commit of " + plans.size() + " reports: " + code, KeeperException.create(code));
    }
    for (Plan plan : plans) {
      Pending p = plan.pending();
      forget(p.submission);
      p.fresh = true;
      if (plan != named && named != null) {
        // Not the one that failed: it goes again, read afresh, and its attempts are not counted, so
        // that a report contended without end cannot exhaust the reports travelling with it.
        continue;
      }
      if (!race) {
        // Refused for a reason of its own (e.g. an ACL): a fault of this report, not of the others.
        fail(
            p,
            new StoreUnavailableException(
                "address commit line=" + p.submission.line() + ": " + code,
                KeeperException.create(code)));
      } else if (++p.attempts >= MAX_ATTEMPTS) {
        fail(
            p,
            new StoreUnavailableException(
                "address commit line="
                    + p.submission.line()
                    + ": contended over "
                    + MAX_ATTEMPTS
                    + " attempts",
                null));
      } else {
        log.debug(
            "line={} agent={} address commit raced ({}), retrying",
            p.submission.line(),
            p.submission.agent(),
            code);
      }
    }
  }

  /** Completes {@code p} with its outcome; see {@link #settle}. */
  private static void answer(Pending p, AddressCommit commit) {
    settle(p, () -> p.result.complete(commit));
  }

  /** Completes {@code p} exceptionally; see {@link #settle}. */
  private static void fail(Pending p, Throwable error) {
    settle(p, () -> p.result.completeExceptionally(error));
  }

  /**
   * Runs {@code completion} of {@code p}, never throwing: whatever a caller's dependent stage
   * throws on this thread (a stack overflow, say) is that caller's, and must not leave the rest of
   * the round without an outcome.
   */
  private static void settle(Pending p, Runnable completion) {
    try {
      completion.run();
    } catch (Throwable e) {
      log.warn(
          "line={} agent={} completed, but the caller's completion stage failed",
          p.submission.line(),
          p.submission.agent(),
          e);
    }
  }

  private void forget(AddressSubmission s) {
    agents.remove(s.agent());
    lines.remove(s.line());
  }

  /** The index of the operation ZooKeeper names as failed, or -1 when it names none. */
  private static int failedOperation(CuratorEvent result) {
    List<CuratorTransactionResult> results = result.getOpResults();
    if (results == null) {
      return -1;
    }
    for (int i = 0; i < results.size(); i++) {
      int error = results.get(i).getError();
      if (error != Code.OK.intValue() && error != Code.RUNTIMEINCONSISTENCY.intValue()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Decides {@code batch} in order until the transaction is full: reads what is not remembered (or
   * must be decided fresh) only for as many reports as can still join, completes the reports that
   * are refused, re-acknowledged or faulty, and returns the plans of the others. Reports it does
   * not reach stay unanswered, unread.
   */
  private List<Plan> decide(List<Pending> batch) {
    int maxReports = AddressCommitPlanner.maxReports(settings);
    List<Plan> plans = new ArrayList<>(Math.min(batch.size(), maxReports));
    Deque<Pending> next = new ArrayDeque<>(batch);
    int bytes = 0;
    while (!next.isEmpty() && plans.size() < maxReports) {
      List<Pending> chunk = new ArrayList<>();
      while (!next.isEmpty() && chunk.size() < maxReports - plans.size()) {
        chunk.add(next.poll());
      }
      List<Pending> refresh = new ArrayList<>();
      for (Pending p : read(chunk)) {
        AddressSubmission s = p.submission;
        Seen<AgentState> agent = agents.get(s.agent());
        Seen<LineAddressState> line = lines.get(s.line());
        long sequence;
        switch (AddressCommitPlanner.decide(s, agent.value(), line.value(), p.fresh)) {
          case Verdict.ReadAgain again -> {
            p.fresh = true;
            refresh.add(p);
            continue;
          }
          case Verdict.Answer answered -> {
            answer(p, answered.commit());
            continue;
          }
          case Verdict.Commit commit -> sequence = commit.sequence();
        }
        Plan plan;
        try {
          plan = plan(p, agent, line, sequence);
        } catch (RuntimeException e) {
          forget(s);
          fail(p, e);
          continue;
        }
        if (!AddressCommitPlanner.fits(plans.size(), bytes, plan.bytes(), settings)) {
          return plans;
        }
        bytes += plan.bytes();
        plans.add(plan);
      }
      for (int i = refresh.size() - 1; i >= 0; i--) {
        next.addFirst(refresh.get(i));
      }
    }
    return plans;
  }

  private Plan plan(Pending p, Seen<AgentState> agent, Seen<LineAddressState> line, long sequence) {
    AddressSubmission s = p.submission;
    LineWrite w = AddressCommitPlanner.write(s, line.value(), sequence, clock.instant());
    LineAddressReport report = w.report();
    boolean confirm = w.confirm();
    LineAddressState after = w.lineAfter();
    byte[] agentData = codec.encodeAgent(report);
    byte[] lineData = confirm ? new byte[0] : codec.encode(after);
    String addressPath = paths.lineAddress(s.line());
    List<CuratorOp> ops =
        List.of(
            confirm
                ? check(addressPath, line.version())
                : write(addressPath, line.version(), lineData),
            write(paths.agent(s.agent()), agent.version(), agentData));
    return new Plan(
        p,
        ops,
        agentData.length + lineData.length,
        new Seen<>(new AgentState(sequence, Optional.of(report)), agent.next()),
        confirm ? line : new Seen<>(after, line.next()),
        report,
        w.changed());
  }

  /**
   * Reads both nodes of every report of {@code chunk} that has no remembered state or must be
   * decided fresh, creates the containers of lines that have none (all in one round trip each), and
   * returns the reports that can be decided, in order: one whose node cannot be read or decoded, or
   * whose line cannot be created, is completed with that error alone (a fault, not a refusal), so
   * that it does not fail the others.
   */
  private List<Pending> read(List<Pending> chunk) {
    List<Pending> reading = new ArrayList<>();
    List<ZkCall.Op> reads = new ArrayList<>();
    for (Pending p : chunk) {
      AddressSubmission s = p.submission;
      if (p.fresh || !agents.containsKey(s.agent()) || !lines.containsKey(s.line())) {
        p.fresh = true;
        String addressPath;
        String agentPath;
        try {
          addressPath = PathUtils.validatePath(paths.lineAddress(s.line()));
          agentPath = PathUtils.validatePath(paths.agent(s.agent()));
        } catch (RuntimeException e) {
          forget(s);
          fail(p, new IllegalArgumentException("address commit: invalid line or agent name", e));
          continue;
        }
        reading.add(p);
        reads.add(cb -> client.getData().inBackground(cb).forPath(addressPath));
        reads.add(cb -> client.getData().inBackground(cb).forPath(agentPath));
      }
    }
    if (reads.isEmpty()) {
      return undone(chunk);
    }
    List<CuratorEvent> events = zk.callAll("address read", reads);
    List<Pending> creating = new ArrayList<>();
    List<ZkCall.Op> creates = new ArrayList<>();
    for (int i = 0; i < reading.size(); i++) {
      Pending p = reading.get(i);
      AddressSubmission s = p.submission;
      try {
        Seen<LineAddressState> line = readLine(events.get(2 * i), s.line());
        readAgent(events.get(2 * i + 1), s.agent());
        if (!line.exists()) {
          String linePath = paths.line(s.line());
          creating.add(p);
          creates.add(
              cb -> client.create().creatingParentsIfNeeded().inBackground(cb).forPath(linePath));
        }
      } catch (RuntimeException e) {
        // Connection-level failures were thrown by callAll; anything here (a node this session
        // may not read, one that does not decode) is this report's own.
        forget(s);
        fail(p, e);
      }
    }
    if (!creates.isEmpty()) {
      List<CuratorEvent> created = zk.callAll("line node", creates);
      for (int i = 0; i < creating.size(); i++) {
        Code code = ZkCall.code(created.get(i));
        if (code != Code.OK && code != Code.NODEEXISTS) {
          Pending p = creating.get(i);
          forget(p.submission);
          fail(
              p,
              new StoreUnavailableException(
                  "line node " + paths.line(p.submission.line()) + ": " + code,
                  KeeperException.create(code)));
        }
      }
    }
    return undone(chunk);
  }

  private static List<Pending> undone(List<Pending> chunk) {
    List<Pending> decidable = new ArrayList<>(chunk.size());
    for (Pending p : chunk) {
      if (!p.result.isDone()) {
        decidable.add(p);
      }
    }
    return decidable;
  }

  private Seen<LineAddressState> readLine(CuratorEvent e, String line) {
    byte[] data = read(e);
    Seen<LineAddressState> seen =
        data == null
            ? new Seen<>(LineAddressState.empty(line), ABSENT)
            : new Seen<>(codec.decodeAddress(data), e.getStat().getVersion());
    lines.put(line, seen);
    return seen;
  }

  private void readAgent(CuratorEvent e, String id) {
    byte[] data = read(e);
    agents.put(
        id,
        data == null
            ? new Seen<>(AgentState.NONE, ABSENT)
            : new Seen<>(codec.decodeAgent(data), e.getStat().getVersion()));
  }

  private static byte[] read(CuratorEvent e) {
    Code code = ZkCall.code(e);
    if (code == Code.NONODE) {
      return null;
    }
    if (code != Code.OK) {
      throw new StoreUnavailableException(
          "address read " + e.getPath() + ": " + code, KeeperException.create(code));
    }
    return e.getData() == null ? new byte[0] : e.getData();
  }

  private CuratorOp write(String path, int version, byte[] data) {
    TransactionOp tx = client.transactionOp();
    try {
      return version != ABSENT
          ? tx.setData().withVersion(version).forPath(path, data)
          : tx.create().forPath(path, data);
    } catch (Exception e) {
      throw new IllegalArgumentException("address commit: invalid path " + path, e);
    }
  }

  private CuratorOp check(String path, int version) {
    try {
      return client.transactionOp().check().withVersion(version).forPath(path);
    } catch (Exception e) {
      throw new IllegalArgumentException("address commit: invalid path " + path, e);
    }
  }
}
