package io.haddns.controller.store;

import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unfenced compare-and-set writes of line addresses: read {@code lines/<line>/address} and {@code
 * agents/<id>}, decide, then write both in one transaction conditional on the versions read (or on
 * their absence). A concurrent writer makes the transaction fail as a whole; it is then re-read and
 * decided again, so a lower sequence can never overwrite a higher one and no update is lost. A
 * resubmission of exactly the report last committed for the line and family is acknowledged again
 * without a write.
 */
final class AddressWrites {
  private static final Logger log = LoggerFactory.getLogger(AddressWrites.class);
  private static final int MAX_ATTEMPTS = 20;

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final ZkCall zk;
  private final InstantSource clock;

  AddressWrites(
      CuratorFramework client, ZkPaths paths, StoreCodec codec, ZkCall zk, InstantSource clock) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
    this.zk = zk;
    this.clock = clock;
  }

  /** A node as read: its data and version, or absent. */
  private record Read(byte[] data, int version) {
    boolean exists() {
      return data != null;
    }
  }

  AddressCommit put(AddressSubmission s) {
    String addressPath = paths.lineAddress(s.line());
    String agentPath = paths.agent(s.agent());
    createIfAbsent(paths.line(s.line()));
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      List<CuratorEvent> reads =
          zk.callAll(
              "address read",
              List.of(
                  cb -> client.getData().inBackground(cb).forPath(addressPath),
                  cb -> client.getData().inBackground(cb).forPath(agentPath)));
      Read address = read(reads.get(0));
      Read agent = read(reads.get(1));
      long last = agent.exists() ? codec.decodeAgentSequence(agent.data()) : 0;
      long sequence = s.sequence().orElse(last + 1);
      LineAddressState before =
          address.exists() ? codec.decodeAddress(address.data()) : LineAddressState.empty(s.line());
      if (sequence <= last) {
        // A reporter whose answer was lost (timeout, node killed after the commit) retries the same
        // signed report, often at another node: that very report is acknowledged again, unchanged.
        return before
            .report(s.family())
            .filter(r -> sequence == last && isSameReport(r, s))
            .<AddressCommit>map(r -> new AddressCommit.Committed(r, false))
            .orElse(new AddressCommit.Stale(last));
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
      boolean changed =
          before
              .report(s.family())
              .map(r -> !r.addresses().equals(report.addresses()))
              .orElse(true);
      byte[] addressData = codec.encode(before.with(report));
      byte[] agentData = codec.encodeAgent(s.agent(), sequence, s.line(), report.committedAt());
      List<CuratorOp> ops =
          List.of(write(addressPath, address, addressData), write(agentPath, agent, agentData));
      CuratorEvent result =
          zk.call("address commit", cb -> client.transaction().inBackground(cb).forOperations(ops));
      Code code = ZkCall.code(result);
      if (code == Code.OK) {
        return new AddressCommit.Committed(report, changed);
      }
      if (code != Code.BADVERSION && code != Code.NODEEXISTS && code != Code.NONODE) {
        throw new StoreUnavailableException(
            "address commit line=" + s.line() + ": " + code, KeeperException.create(code));
      }
      // Another node committed for this line or reporter in between (or the line's container was
      // removed): read again and decide again.
      if (code == Code.NONODE) {
        createIfAbsent(paths.line(s.line()));
      }
      log.debug("line={} agent={} address commit raced ({}), retrying", s.line(), s.agent(), code);
    }
    throw new StoreUnavailableException(
        "address commit line=" + s.line() + ": contended over " + MAX_ATTEMPTS + " attempts", null);
  }

  private static boolean isSameReport(LineAddressReport stored, AddressSubmission s) {
    return stored.sequence() == s.sequence().orElse(-1)
        && stored.agent().equals(s.agent())
        && Set.copyOf(stored.addresses()).equals(Set.copyOf(s.addresses()))
        && stored.observedAt().equals(s.observedAt());
  }

  private static Read read(CuratorEvent e) {
    Code code = ZkCall.code(e);
    if (code == Code.NONODE) {
      return new Read(null, -1);
    }
    if (code != Code.OK) {
      throw new StoreUnavailableException(
          "address read " + e.getPath() + ": " + code, KeeperException.create(code));
    }
    return new Read(e.getData() == null ? new byte[0] : e.getData(), e.getStat().getVersion());
  }

  private CuratorOp write(String path, Read read, byte[] data) {
    TransactionOp tx = client.transactionOp();
    try {
      return read.exists()
          ? tx.setData().withVersion(read.version()).forPath(path, data)
          : tx.create().forPath(path, data);
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
