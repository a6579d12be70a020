package io.haddns.controller.store;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unfenced compare-and-set writes of line addresses ({@code lines/<line>/address}) and of each
 * reporter's last committed report ({@code agents/<id>}).
 *
 * <p><b>Commit.</b> A report is decided against a line state and an agent state, each with the node
 * version it was seen at, and committed in one transaction conditional on both versions (or on the
 * nodes' absence). A concurrent writer makes the transaction fail as a whole; both nodes are then
 * read again and the report decided again, so a lower sequence never overwrites a higher one and no
 * update is lost. The caller is answered only after the transaction committed.
 *
 * <p><b>Optimistic versions.</b> This process remembers the states and versions it last read or
 * committed for each agent and line, and commits with them without reading first. That is safe
 * because a remembered version is only ever used as the condition of a transaction: if anyone wrote
 * since, the transaction fails, the memory is dropped and the nodes are read. A refusal or a
 * re-acknowledgement is never decided from memory: a sequence not above the remembered one is
 * always decided again on what ZooKeeper holds now. A version names one content only while the node
 * is not deleted and re-created (versions restart at 0); deleting {@code agents/<id>} is an
 * operator's reset of the reporter's replay protection anyway.
 *
 * <p><b>Confirmations.</b> A report whose addresses are the ones the line already holds for its
 * family, last set by the same reporter, writes only {@code agents/<id>} (its sequence and the
 * report), with a version check on the line's address node in the same transaction. Invariants:
 *
 * <ol>
 *   <li>Replay protection only needs {@code agents/<id>}: it holds the reporter's highest committed
 *       sequence whichever kind of report committed it, so after any failover a replay of an
 *       acknowledged sequence, or of a lower one, is refused.
 *   <li>The check proves that at the commit point the line held exactly these addresses from this
 *       reporter: leaving the node as it is gives the same addresses as rewriting it would. A
 *       change by anyone in between fails the check, and the report is decided again (and then
 *       rewrites the line). So the line's addresses stay those of the highest acknowledged report
 *       that changed them, and an acknowledged confirmation is never followed by an older address.
 *   <li>The line's report keeps the sequence, {@code observedAt} and {@code committedAt} of the
 *       report that last set its addresses; the latest confirmation is in {@code agents/<id>}.
 *       Keeping the line node unchanged spares every node's warm view a watch event and a re-read.
 * </ol>
 *
 * <p><b>Exact resubmission.</b> A report with the sequence last committed by its reporter is
 * acknowledged again without a write when {@code agents/<id>} records that very report (same line,
 * family, addresses as a set and {@code observedAt}); a confirmation is thus re-acknowledged as
 * well as a change. For nodes written before the report was recorded there, the line's stored
 * report is compared instead. Anything else at or below the last sequence is stale.
 */
final class AddressWrites {
  private static final Logger log = LoggerFactory.getLogger(AddressWrites.class);
  private static final int MAX_ATTEMPTS = 20;
  private static final int ABSENT = -1;

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final ZkCall zk;
  private final InstantSource clock;

  /** Last seen states by agent id and by line: hints for the next transaction's conditions. */
  private final Map<String, Seen<AgentState>> agents = new ConcurrentHashMap<>();

  private final Map<String, Seen<LineAddressState>> lines = new ConcurrentHashMap<>();

  AddressWrites(
      CuratorFramework client, ZkPaths paths, StoreCodec codec, ZkCall zk, InstantSource clock) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
    this.zk = zk;
    this.clock = clock;
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

  AddressCommit put(AddressSubmission s) {
    String addressPath = paths.lineAddress(s.line());
    String agentPath = paths.agent(s.agent());
    boolean fresh = false;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Seen<AgentState> agent = fresh ? null : agents.get(s.agent());
      Seen<LineAddressState> line = fresh ? null : lines.get(s.line());
      if (agent == null || line == null) {
        fresh = true;
        List<CuratorEvent> reads =
            zk.callAll(
                "address read",
                List.of(
                    cb -> client.getData().inBackground(cb).forPath(addressPath),
                    cb -> client.getData().inBackground(cb).forPath(agentPath)));
        line = readLine(reads.get(0), s.line());
        agent = readAgent(reads.get(1), s.agent());
        if (!line.exists()) {
          createIfAbsent(paths.line(s.line()));
        }
      }
      long last = agent.value().sequence();
      long sequence = s.sequence().orElse(last + 1);
      if (sequence <= last) {
        if (!fresh) {
          // Never refuse nor re-acknowledge on remembered state: read what ZooKeeper holds now.
          fresh = true;
          continue;
        }
        return sequence == last ? resubmission(s, agent.value(), line.value()) : stale(last);
      }
      LineAddressReport report =
          new LineAddressReport(
              s.line(),
              s.family(),
              s.addresses(),
              s.observedAt(),
              sequence,
              s.agent(),
              s.receivedBy(),
              clock.instant());
      LineAddressReport current = line.value().report(s.family()).orElse(null);
      boolean changed = current == null || !sameAddresses(current, report);
      boolean confirm = !changed && current.agent().equals(s.agent());
      LineAddressState after = confirm ? line.value() : line.value().with(report);
      List<CuratorOp> ops =
          List.of(
              confirm
                  ? check(addressPath, line.version())
                  : write(addressPath, line.version(), codec.encode(after)),
              write(agentPath, agent.version(), codec.encodeAgent(report)));
      CuratorEvent result =
          zk.call("address commit", cb -> client.transaction().inBackground(cb).forOperations(ops));
      Code code = ZkCall.code(result);
      if (code == Code.OK) {
        agents.put(
            s.agent(), new Seen<>(new AgentState(sequence, Optional.of(report)), agent.next()));
        lines.put(s.line(), confirm ? line : new Seen<>(after, line.next()));
        return new AddressCommit.Committed(report, changed);
      }
      if (code != Code.BADVERSION && code != Code.NODEEXISTS && code != Code.NONODE) {
        throw new StoreUnavailableException(
            "address commit line=" + s.line() + ": " + code, KeeperException.create(code));
      }
      // Another node committed for this line or reporter since these versions were seen (or the
      // line's container was removed): forget them, read again and decide again.
      agents.remove(s.agent());
      lines.remove(s.line());
      fresh = false;
      log.debug("line={} agent={} address commit raced ({}), retrying", s.line(), s.agent(), code);
    }
    throw new StoreUnavailableException(
        "address commit line=" + s.line() + ": contended over " + MAX_ATTEMPTS + " attempts", null);
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

  private Seen<LineAddressState> readLine(CuratorEvent e, String line) {
    byte[] data = read(e);
    Seen<LineAddressState> seen =
        data == null
            ? new Seen<>(LineAddressState.empty(line), ABSENT)
            : new Seen<>(codec.decodeAddress(data), e.getStat().getVersion());
    lines.put(line, seen);
    return seen;
  }

  private Seen<AgentState> readAgent(CuratorEvent e, String id) {
    byte[] data = read(e);
    Seen<AgentState> seen =
        data == null
            ? new Seen<>(AgentState.NONE, ABSENT)
            : new Seen<>(codec.decodeAgent(data), e.getStat().getVersion());
    agents.put(id, seen);
    return seen;
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

  private void createIfAbsent(String path) {
    CuratorEvent e =
        zk.call(
            "line node",
            cb -> client.create().creatingParentsIfNeeded().inBackground(cb).forPath(path));
    Code code = ZkCall.code(e);
    if (code != Code.OK && code != Code.NODEEXISTS) {
      throw new StoreUnavailableException(
          "line node " + path + ": " + code, KeeperException.create(code));
    }
  }
}
