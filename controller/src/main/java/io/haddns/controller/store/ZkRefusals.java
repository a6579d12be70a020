package io.haddns.controller.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;

/**
 * The gateway refusal summaries every node writes for itself ({@code refusals/<node>}, unfenced)
 * and the notices the leader has stored ({@code abuse-notices/}, written with the notification by
 * {@link ZkStateStore#auditNotice}); docs/notifications.md, "Gateway abuse". Contents are opaque
 * bytes here.
 *
 * <p>Blocking: every call waits at most the store's operation timeout per round trip and throws
 * {@link StoreUnavailableException} when ZooKeeper cannot be reached. Thread-safe.
 */
public final class ZkRefusals {
  /** A summary's content is bounded by its writer; this is a guard against anything else. */
  static final int MAX_SUMMARY_BYTES = 64 * 1024;

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final ZkCall zk;
  private final StoreSettings settings;

  ZkRefusals(CuratorFramework client, ZkPaths paths, ZkCall zk, StoreSettings settings) {
    this.client = client;
    this.paths = paths;
    this.zk = zk;
    this.settings = settings;
  }

  /**
   * Writes {@code node}'s summary, replacing its previous one. Not fenced: any node may call it.
   */
  public void publish(String node, byte[] summary) {
    if (summary.length > MAX_SUMMARY_BYTES) {
      throw new IllegalArgumentException(
          "refusal summary of " + summary.length + " bytes is over " + MAX_SUMMARY_BYTES);
    }
    String path = paths.refusalSummary(node);
    CuratorEvent set =
        zk.call("refusals write", cb -> client.setData().inBackground(cb).forPath(path, summary));
    Code code = ZkCall.code(set);
    if (code == Code.NONODE) {
      CuratorEvent made =
          zk.call(
              "refusals create",
              cb ->
                  client
                      .create()
                      .creatingParentsIfNeeded()
                      .inBackground(cb)
                      .forPath(path, summary));
      code = ZkCall.code(made);
      if (code == Code.NODEEXISTS) {
        publish(node, summary);
        return;
      }
    }
    check("refusals write " + path, code);
  }

  /** Every node's latest summary (unreadable or vanished ones left out). */
  public List<byte[]> summaries() {
    List<String> names = children(paths.refusals());
    List<ZkCall.Op> reads = new ArrayList<>();
    for (String n : names) {
      reads.add(cb -> client.getData().inBackground(cb).forPath(paths.refusals() + "/" + n));
    }
    List<byte[]> out = new ArrayList<>();
    for (CuratorEvent e : zk.callAll("refusals read", reads)) {
      if (ZkCall.code(e) == Code.OK && e.getData() != null) {
        out.add(e.getData());
      }
    }
    return out;
  }

  /** The names of the notices stored. */
  public Set<String> notices() {
    return new HashSet<>(children(paths.abuseNotices()));
  }

  /**
   * Removes notices no longer needed (of windows past), in transactions checked against {@code
   * epoch} like every leader write.
   */
  public void forget(long epoch, List<String> notices) throws NotLeaderException {
    if (notices.isEmpty()) {
      return;
    }
    Set<String> existing = new HashSet<>();
    List<FencedWrites.Mutation> removes = new ArrayList<>();
    for (String n : notices) {
      String path = paths.abuseNotice(n);
      existing.add(path);
      removes.add(new FencedWrites.Remove(path));
    }
    new FencedWrites(client, paths, zk, settings, existing::contains).apply(epoch, removes);
  }

  private List<String> children(String parent) {
    CuratorEvent e =
        zk.call("refusals list", cb -> client.getChildren().inBackground(cb).forPath(parent));
    Code code = ZkCall.code(e);
    if (code == Code.NONODE) {
      return List.of();
    }
    check("refusals list " + parent, code);
    return e.getChildren();
  }

  private static void check(String what, Code code) {
    if (code != Code.OK) {
      throw new StoreUnavailableException(what + ": " + code, KeeperException.create(code));
    }
  }
}
