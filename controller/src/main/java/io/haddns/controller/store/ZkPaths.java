package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every ZooKeeper path haddns uses, all under {@code /haddns/<cluster>/}. No other class builds
 * paths by hand, so the layout (docs/architecture.md, "ZooKeeper layout") lives in one place:
 *
 * <pre>
 * epoch                       leader term; its data version is the fencing token
 * leader/…                    LeaderLatch nodes
 * lease                       the leader's lease: epoch, node and latch node, renewed every
 *                             cluster.leaderLease.renewInterval (fenced by the epoch)
 * members/&lt;node&gt;              ephemeral member info
 * lines/&lt;line&gt;/health         last decided health (leader, on transitions)
 * lines/&lt;line&gt;/address        current addresses (any node, compare-and-set)
 * records/&lt;name&gt;              name node: written with every record under it in one transaction
 * records/&lt;name&gt;/&lt;type&gt;       RRset last applied to the provider
 * audit/e-&lt;millis&gt;-&lt;seq&gt;      append-only audit trail of leader events (persistent sequential)
 * audit/l-&lt;millis&gt;-&lt;n&gt;-&lt;seq&gt;  n leader events written in one transaction, millis the newest one's
 * audit/g-&lt;millis&gt;-&lt;n&gt;-&lt;seq&gt;  a batch of n gateway events (reports, refusals), millis the newest
 *                             one's; trimmed apart (older versions wrote g-&lt;millis&gt;-&lt;seq&gt;, one each)
 * drills/&lt;id&gt;                 a failover drill: request, progress, report (its parent's data
 *                             version changes with every drill started)
 * overrides/&lt;line&gt;            an operator's forced line state (any node, compare-and-set)
 * pauses/&lt;zone&gt;               an operator's write pause of a zone (any node, compare-and-set)
 * stepdown                    a pending request that the leader yield (any node)
 * agents/&lt;id&gt;                 a reporter's last committed sequence (any node, compare-and-set)
 * outbox/n-&lt;millis&gt;-&lt;seq&gt;     a notification not yet delivered to every receiver (leader, fenced)
 * deadletters/d-&lt;millis&gt;-&lt;seq&gt; a notification a receiver refused or never took (leader, fenced)
 * refusals/&lt;node&gt;            a node's summary of its gateway refusals over the threshold in the
 *                             current window (that node, unfenced, rate-limited)
 * abuse-notices/&lt;notice&gt;     a gateway-abuse notification already stored for a window, category
 *                             and source (leader, fenced, in the notification's transaction)
 * serials/&lt;zone&gt;              a zone's SOA serial: the node's data version, advanced with each
 *                             applied change (in the leader's fenced transaction) and each change
 *                             of the members serving DNS (any node)
 * </pre>
 *
 * <p>Path segments (cluster, node, line, record name, drill id) must be non-empty, must not be
 * {@code .} or {@code ..} and must not contain {@code /} or control characters.
 */
public final class ZkPaths {
  /** Audit entries of the cluster: a leader's fenced events. */
  static final String AUDIT_PREFIX = "e-";

  /** Audit entries of the cluster: several fenced events of a leader, written together. */
  static final String LEADER_BATCH_PREFIX = "l-";

  /** Audit entries of any node's gateway: reports and refusals, trimmed apart from the above. */
  static final String GATEWAY_AUDIT_PREFIX = "g-";

  private final String root;

  public ZkPaths(String cluster) {
    this.root = "/haddns/" + segment("cluster", cluster);
  }

  public String root() {
    return root;
  }

  /** The fixed nodes under the root that every cluster has, made at start. */
  public List<String> layout() {
    return List.of(
        epoch(),
        leader(),
        members(),
        lines(),
        records(),
        audit(),
        drills(),
        agents(),
        serials(),
        overrides(),
        pauses(),
        outbox(),
        deadLetters());
  }

  public String epoch() {
    return root + "/epoch";
  }

  public String leader() {
    return root + "/leader";
  }

  /** The leader's lease, which followers watch to take over before a dead leader's session ends. */
  public String leaderLease() {
    return root + "/lease";
  }

  public String members() {
    return root + "/members";
  }

  public String member(String nodeId) {
    return members() + "/" + segment("node", nodeId);
  }

  public String lines() {
    return root + "/lines";
  }

  public String line(String line) {
    return lines() + "/" + segment("line", line);
  }

  public String lineHealth(String line) {
    return line(line) + "/health";
  }

  public String lineAddress(String line) {
    return line(line) + "/address";
  }

  public String records() {
    return root + "/records";
  }

  public String recordName(String name) {
    return records() + "/" + segment("record name", name);
  }

  public String record(RecordKey key) {
    return recordName(key.name()) + "/" + key.type().name();
  }

  public String audit() {
    return root + "/audit";
  }

  /** Prefix for a new persistent-sequential audit node; the event time keeps age trims cheap. */
  public String auditEntryPrefix(long atMillis) {
    return audit() + "/" + AUDIT_PREFIX + atMillis + "-";
  }

  /**
   * Prefix for a new persistent-sequential node holding a batch of {@code events} fenced leader
   * events written together, {@code newestMillis} the time of the newest (see {@link
   * #gatewayAuditBatchPrefix}).
   */
  public String leaderAuditBatchPrefix(long newestMillis, int events) {
    return batchPrefix(LEADER_BATCH_PREFIX, newestMillis, events);
  }

  /**
   * Prefix for a new persistent-sequential node holding a batch of {@code events} gateway events
   * (unfenced, from any node), {@code newestMillis} the time of the newest: the count keeps count
   * trims and reads of the newest events free of extra reads, the time keeps age trims so.
   */
  public String gatewayAuditBatchPrefix(long newestMillis, int events) {
    return batchPrefix(GATEWAY_AUDIT_PREFIX, newestMillis, events);
  }

  private String batchPrefix(String kind, long newestMillis, int events) {
    if (events < 1) {
      throw new IllegalArgumentException("an audit batch holds at least one event, was " + events);
    }
    return audit() + "/" + kind + newestMillis + "-" + events + "-";
  }

  /** Notifications waiting for delivery (docs/notifications.md). */
  public String outbox() {
    return root + "/outbox";
  }

  /** Prefix for a new persistent-sequential outbox entry; names sort by time, then sequence. */
  public String outboxEntryPrefix(long atMillis) {
    return outbox() + "/n-" + atMillis + "-";
  }

  /** Notifications that a receiver refused or that ran out of attempts. */
  public String deadLetters() {
    return root + "/deadletters";
  }

  /** Prefix for a new persistent-sequential dead letter. */
  public String deadLetterPrefix(long atMillis) {
    return deadLetters() + "/d-" + atMillis + "-";
  }

  public String refusals() {
    return root + "/refusals";
  }

  public String refusalSummary(String node) {
    return refusals() + "/" + segment("node", node);
  }

  public String abuseNotices() {
    return root + "/abuse-notices";
  }

  public String abuseNotice(String notice) {
    return abuseNotices() + "/" + segment("notice", notice);
  }

  public String drills() {
    return root + "/drills";
  }

  public String drill(String id) {
    return drills() + "/" + segment("drill id", id);
  }

  public String agents() {
    return root + "/agents";
  }

  /** The last committed sequence of a reporter (an agent id or a dyndns2 user name). */
  public String agent(String id) {
    return agents() + "/" + segment("agent id", id);
  }

  public String serials() {
    return root + "/serials";
  }

  /** The node whose data version is the SOA serial of {@code zone} (canonical name). */
  public String serial(String zone) {
    return serials() + "/" + segment("zone", zone);
  }

  public String overrides() {
    return root + "/overrides";
  }

  /** The operator's override of {@code line}. */
  public String override(String line) {
    return overrides() + "/" + segment("line", line);
  }

  public String pauses() {
    return root + "/pauses";
  }

  /** The operator's write pause of {@code zone} (canonical name). */
  public String pause(String zone) {
    return pauses() + "/" + segment("zone", zone);
  }

  /** The pending step-down request. */
  public String stepDown() {
    return root + "/stepdown";
  }

  /** The line whose override node {@code path} is, if it is one. */
  public Optional<String> lineOfOverride(String path) {
    return childOf(overrides(), path, 1).map(p -> p[0]);
  }

  /** The zone whose pause node {@code path} is, if it is one. */
  public Optional<String> zoneOfPause(String path) {
    return childOf(pauses(), path, 1).map(p -> p[0]);
  }

  /** The drill id whose node {@code path} is, if it is one. */
  public Optional<String> drillOf(String path) {
    return childOf(drills(), path, 1).map(p -> p[0]);
  }

  /** The zone whose serial node {@code path} is, if it is one. */
  public Optional<String> zoneOfSerial(String path) {
    return childOf(serials(), path, 1).map(p -> p[0]);
  }

  /** The line whose address node {@code path} is, if it is one. */
  public Optional<String> lineOfAddress(String path) {
    return childOf(lines(), path, 2).filter(p -> p[1].equals("address")).map(p -> p[0]);
  }

  /** The line whose health node {@code path} is, if it is one. */
  public Optional<String> lineOfHealth(String path) {
    return childOf(lines(), path, 2).filter(p -> p[1].equals("health")).map(p -> p[0]);
  }

  /** The record name whose name node ({@code records/<name>}) {@code path} is, if it is one. */
  public Optional<String> recordNameOf(String path) {
    return childOf(records(), path, 1).map(p -> p[0]);
  }

  /** The record key whose applied node {@code path} is, if it is one. */
  public Optional<RecordKey> recordKeyOf(String path) {
    return childOf(records(), path, 2)
        .flatMap(
            p -> {
              for (RecordType t : RecordType.values()) {
                if (t.name().equals(p[1])) {
                  return Optional.of(new RecordKey(p[0], t));
                }
              }
              return Optional.empty();
            });
  }

  /** The node id whose member node {@code path} is, if it is one. */
  public Optional<String> memberOf(String path) {
    return childOf(members(), path, 1).map(p -> p[0]);
  }

  private static Optional<String[]> childOf(String parent, String path, int depth) {
    if (!path.startsWith(parent + "/")) {
      return Optional.empty();
    }
    String[] parts = path.substring(parent.length() + 1).split("/", -1);
    return parts.length == depth ? Optional.of(parts) : Optional.empty();
  }

  static String segment(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.equals(".") || value.equals("..") || value.indexOf('/') >= 0) {
      throw new IllegalArgumentException(what + " is not a valid ZooKeeper path segment: " + value);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(what + " contains a control character: " + value);
      }
    }
    return value;
  }
}
