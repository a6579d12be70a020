package io.haddns.controller.store;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.Stat;

/**
 * The notification outbox ({@code outbox/}) and its dead letters ({@code deadletters/}) in
 * ZooKeeper (docs/notifications.md). Entries are added by the leader's fenced writes (see {@link
 * OutboxEvents}); this class reads them and records delivery progress, each change checked against
 * the writer's epoch like every leader write, so a deposed leader cannot mark anything delivered.
 *
 * <p>Blocking: every call waits at most the store's operation timeout per round trip and throws
 * {@link StoreUnavailableException} when ZooKeeper cannot be reached. Thread-safe. Entry contents
 * are opaque bytes here.
 */
public final class ZkOutbox {
  /** An outbox entry or a dead letter: its node name (stable, sorts by creation) and content. */
  public record Entry(String name, byte[] data) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(data, "data");
    }
  }

  /** One change of delivery progress. */
  public sealed interface Settlement {}

  /** The entry stays pending with new content (attempts, receivers done). */
  public record Rewrite(String name, byte[] data) implements Settlement {}

  /** The entry is done with: every receiver took it or gave up on it. */
  public record Done(String name) implements Settlement {}

  /** A new dead letter. */
  public record DeadLetter(byte[] data) implements Settlement {}

  /** The oldest dead letter is dropped (the kept number is bounded). */
  public record DropDeadLetter(String name) implements Settlement {}

  private static final Comparator<String> BY_SEQUENCE =
      Comparator.comparing((String n) -> n.substring(Math.max(0, n.length() - 10)))
          .thenComparing(Comparator.naturalOrder());

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final ZkCall zk;
  private final StoreSettings settings;
  private final InstantSource clock;

  ZkOutbox(
      CuratorFramework client,
      ZkPaths paths,
      ZkCall zk,
      StoreSettings settings,
      InstantSource clock) {
    this.client = client;
    this.paths = paths;
    this.zk = zk;
    this.settings = settings;
    this.clock = clock;
  }

  /** Up to {@code limit} pending entries, oldest first. */
  public List<Entry> pending(int limit) {
    return read(paths.outbox(), limit, false);
  }

  /** Up to {@code limit} dead letters, the newest ones, oldest first. */
  public List<Entry> deadLetters(int limit) {
    return read(paths.deadLetters(), limit, true);
  }

  /**
   * How many entries are pending and how many dead letters are kept, and a number that changes
   * whenever a dead letter is added or dropped; one round trip.
   */
  public Counts counts() {
    List<CuratorEvent> e =
        zk.callAll(
            "outbox count",
            List.of(
                cb -> client.checkExists().inBackground(cb).forPath(paths.outbox()),
                cb -> client.checkExists().inBackground(cb).forPath(paths.deadLetters())));
    Stat out = e.get(0).getStat();
    Stat dead = e.get(1).getStat();
    return new Counts(
        out == null ? 0 : out.getNumChildren(),
        dead == null ? 0 : dead.getNumChildren(),
        dead == null ? 0 : dead.getCversion());
  }

  /** See {@link #counts()}. */
  public record Counts(int pending, int deadLetters, int deadLetterChanges) {}

  /** The names of every dead letter, oldest first. */
  public List<String> deadLetterNames() {
    return names(paths.deadLetters());
  }

  /**
   * Records {@code settlements} in transactions that each check that {@code epoch} is still
   * current; a deposed leader's progress is not stored (the next leader delivers again, with the
   * same event ids).
   */
  public void settle(long epoch, List<Settlement> settlements) throws NotLeaderException {
    if (settlements.isEmpty()) {
      return;
    }
    Set<String> existing = new HashSet<>();
    existing.add(paths.outbox());
    existing.add(paths.deadLetters());
    List<FencedWrites.Mutation> mutations = new ArrayList<>();
    for (Settlement s : settlements) {
      switch (s) {
        case Rewrite r -> {
          String path = paths.outbox() + "/" + ZkPaths.segment("outbox entry", r.name());
          existing.add(path);
          mutations.add(new FencedWrites.Upsert(path, paths.outbox(), r.data()));
        }
        case Done d -> {
          String path = paths.outbox() + "/" + ZkPaths.segment("outbox entry", d.name());
          existing.add(path);
          mutations.add(new FencedWrites.Remove(path));
        }
        case DeadLetter l ->
            mutations.add(
                new FencedWrites.Append(paths.deadLetterPrefix(clock.millis()), l.data()));
        case DropDeadLetter d -> {
          String path = paths.deadLetters() + "/" + ZkPaths.segment("dead letter", d.name());
          existing.add(path);
          mutations.add(new FencedWrites.Remove(path));
        }
      }
    }
    new FencedWrites(client, paths, zk, settings, existing::contains).apply(epoch, mutations);
  }

  private List<String> names(String parent) {
    CuratorEvent e =
        zk.call("outbox list", cb -> client.getChildren().inBackground(cb).forPath(parent));
    Code code = ZkCall.code(e);
    if (code == Code.NONODE) {
      return List.of();
    }
    if (code != Code.OK) {
      throw new StoreUnavailableException(
          "outbox list " + parent + ": " + code, KeeperException.create(code));
    }
    List<String> names = new ArrayList<>(e.getChildren());
    names.sort(BY_SEQUENCE);
    return names;
  }

  private List<Entry> read(String parent, int limit, boolean newest) {
    List<String> names = names(parent);
    if (names.size() > limit) {
      names = newest ? names.subList(names.size() - limit, names.size()) : names.subList(0, limit);
    }
    List<ZkCall.Op> reads = new ArrayList<>(names.size());
    for (String n : names) {
      reads.add(cb -> client.getData().inBackground(cb).forPath(parent + "/" + n));
    }
    List<CuratorEvent> events = zk.callAll("outbox read", reads);
    List<Entry> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      CuratorEvent e = events.get(i);
      if (ZkCall.code(e) == Code.OK && e.getData() != null) {
        out.add(new Entry(names.get(i), e.getData()));
      }
    }
    return out;
  }
}
