package io.haddns.controller.node;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.admin.StatusSource;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.ZoneConfig;
import io.haddns.controller.election.LeaderElection;
import io.haddns.controller.metrics.ClusterView;
import io.haddns.controller.reconcile.ZoneReport;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.LineAddressState;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.ZonePause;
import io.haddns.controller.verify.ServerAnswers;
import io.haddns.probe.Health;
import io.haddns.probe.engine.ProbeObserver;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Assembles this node's view of the cluster for the admin API, and answers the metrics' narrower
 * questions one view at a time, from in-memory views only.
 */
public final class NodeStatus implements StatusSource, ClusterView {
  private final HaddnsConfig config;
  private final ControllerNode node;
  private final StateStore store;
  private final BooleanSupplier connected;
  private final BooleanSupplier caughtUp;
  private final InstantSource clock;
  private final Details details;
  private final LineSources sources;

  /**
   * What the status says beyond the replicated state: the reported addresses (their source), this
   * node's latest probe results, the health history it kept and the verify step's answers.
   */
  public record Details(
      Supplier<Map<String, LineAddressState>> reported,
      LatestProbes probes,
      HealthHistory history,
      ServerAnswers verified) {}

  /** Without probe results, verify answers or reported addresses (a node that has none). */
  public NodeStatus(
      HaddnsConfig config,
      ControllerNode node,
      StateStore store,
      BooleanSupplier connected,
      BooleanSupplier caughtUp,
      InstantSource clock) {
    this(
        config,
        node,
        store,
        connected,
        caughtUp,
        clock,
        new Details(
            Map::of,
            new LatestProbes(ProbeObserver.NOOP, clock),
            new HealthHistory(store::health),
            new ServerAnswers()));
  }

  public NodeStatus(
      HaddnsConfig config,
      ControllerNode node,
      StateStore store,
      BooleanSupplier connected,
      BooleanSupplier caughtUp,
      InstantSource clock,
      Details details) {
    this.details = details;
    this.sources = new LineSources(config);
    this.config = config;
    this.node = node;
    this.store = store;
    this.connected = connected;
    this.caughtUp = caughtUp;
    this.clock = clock;
  }

  @Override
  public boolean ready() {
    return connected.getAsBoolean() && caughtUp.getAsBoolean();
  }

  @Override
  public List<String> memberAddresses() {
    return store.members().stream().map(MemberInfo::httpAddress).toList();
  }

  @Override
  public boolean leading() {
    return node.isLeader();
  }

  @Override
  public long epoch() {
    return Math.max(store.currentEpoch(), node.epoch());
  }

  @Override
  public int members() {
    return store.members().size();
  }

  @Override
  public boolean zookeeperConnected() {
    return connected.getAsBoolean();
  }

  @Override
  public Map<String, Health> lineHealth() {
    var states = node.lineStates();
    Map<String, Health> out = new LinkedHashMap<>();
    for (LineConfig l : config.lines()) {
      out.put(l.name(), states.get(l.name()).health());
    }
    return out;
  }

  @Override
  public Map<String, ZoneApplied> appliedByZone() {
    Map<String, ZoneApplied> out = new TreeMap<>();
    for (AppliedRecord a : store.applied().values()) {
      out.merge(a.zone(), new ZoneApplied(1, a.appliedAt()), (was, one) -> was.plus(one.oldest()));
    }
    return out;
  }

  @Override
  public ClusterStatus status() {
    LeaderElection election = node.election();
    String leader = election == null ? "" : election.leaderId().orElse("");
    List<ClusterStatus.Member> members = new ArrayList<>();
    for (MemberInfo m :
        store.members().stream().sorted(Comparator.comparing(MemberInfo::nodeId)).toList()) {
      members.add(
          new ClusterStatus.Member(
              m.nodeId(), m.httpAddress(), m.version(), m.startedAt().toString()));
    }
    Map<String, LineHealth> known = store.health();
    details.history().record(known);
    boolean leading = node.isLeader();
    Map<String, LineAddressState> reported = details.reported().get();
    Instant now = clock.instant();
    List<ClusterStatus.Line> lines = new ArrayList<>();
    var states = node.lineStates();
    Map<String, LineOverride> overrides = node.activeOverrides();
    for (LineConfig l : config.lines()) {
      LineHealth k = known.get(l.name());
      var state = states.get(l.name());
      LineOverride o = overrides.get(l.name());
      lines.add(
          new ClusterStatus.Line(
              l.name(),
              state.health().label(),
              hosts(state.addresses()),
              o != null ? o.at().toString() : k == null ? "" : k.since().toString(),
              o != null ? describe(o) : k == null ? "" : k.reason(),
              o == null ? null : override(o),
              sources.of(l, reported, now),
              leading ? details.probes().of(l.name(), state.addresses()) : null,
              details.history().of(l.name())));
    }
    List<ClusterStatus.Record> records = new ArrayList<>();
    for (AppliedRecord a :
        store.applied().values().stream()
            .sorted(Comparator.comparing(a -> a.record().key()))
            .toList()) {
      records.add(
          new ClusterStatus.Record(
              a.record().key().name(),
              a.record().key().type().name(),
              a.zone(),
              a.record().ttl(),
              hosts(a.record().addresses()),
              a.epoch(),
              a.appliedAt().toString(),
              Math.max(0, Duration.between(a.appliedAt(), now).toSeconds()),
              leading ? details.verified().of(a.record().key()) : null));
    }
    return new ClusterStatus(
        config.cluster().name(),
        config.node().id(),
        connected.getAsBoolean(),
        leading,
        leader,
        epoch(),
        members,
        lines,
        records,
        zones());
  }

  /** Every configured zone, with this node's last reconcile report and the zone's pause. */
  private List<ClusterStatus.Zone> zones() {
    Map<String, ZoneReport> reports = new HashMap<>();
    node.zoneReports().forEach(r -> reports.put(r.zone(), r));
    Map<String, ZonePause> pauses = node.zonePauses();
    List<ClusterStatus.Zone> out = new ArrayList<>();
    for (ZoneConfig z : config.zones()) {
      ZoneReport r = reports.get(z.name());
      ZonePause p = pauses.get(z.name());
      out.add(
          new ClusterStatus.Zone(
              z.name(),
              r == null ? z.dryRun() : r.dryRun(),
              r == null ? List.of() : r.planned(),
              r == null ? List.of() : r.foreign().stream().map(Object::toString).toList(),
              p == null ? null : new ClusterStatus.Pause(p.by(), p.reason(), p.at().toString())));
    }
    return out;
  }

  private static ClusterStatus.Override override(LineOverride o) {
    return new ClusterStatus.Override(
        o.forced().label(),
        o.by(),
        o.reason(),
        o.at().toString(),
        o.until().map(Object::toString).orElse(null));
  }

  /** Who forced the line, why and until when, in the line's reason. */
  static String describe(LineOverride o) {
    return "forced "
        + o.forced().label()
        + " by "
        + o.by()
        + o.until().map(u -> " until " + u).orElse(" until cleared")
        + ": "
        + o.reason();
  }

  private static List<String> hosts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList();
  }
}
