package io.haddns.controller.node;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.election.LeaderElection;
import io.haddns.controller.election.LeadershipListener;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.reconcile.LeaderTerm;
import io.haddns.controller.reconcile.Reconciler;
import io.haddns.controller.reconcile.RecordingPause;
import io.haddns.controller.reconcile.ZoneReconciler;
import io.haddns.controller.reconcile.ZoneReconcilerSettings;
import io.haddns.controller.reconcile.ZoneRecorders;
import io.haddns.controller.reconcile.ZoneReport;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineAddressState;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.StoreView;
import io.haddns.controller.store.ZonePause;
import io.haddns.probe.Health;
import io.haddns.probe.engine.HealthTransition;
import io.haddns.probe.engine.LineTarget;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One controller node: takes part in the election, and while it leads, probes the lines, records
 * health transitions and reconciles DNS. A follower keeps the replicated views warm and serves
 * status. Lifecycle: constructed without I/O, {@link #start()} once, {@link #close()} once; closing
 * a leader hands leadership over at once.
 */
public final class ControllerNode implements LeadershipListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerNode.class);
  // Health transitions written per fenced write at most (the store cuts it into transactions).
  private static final int RECORD_BATCH = 1_000;

  private final HaddnsConfig config;
  private final StateStore store;
  private final LineAddressStore reported;
  private final Function<LeadershipListener, LeaderElection> elections;
  private final LineProbing probing;
  private final InstantSource clock;
  private final Consumer<HealthTransition> transitionObserver;
  private final LeaderTerm term = new LeaderTerm();
  private final Reconciler reconciler;
  private final ZoneRecorders recorders = new ZoneRecorders();
  private final List<ZoneReconciler> zones;
  private final ExecutorService leaderWork;
  // Transitions decided and not yet written, oldest first; drained on the leader-work thread.
  private final Queue<UnrecordedTransition> unrecorded = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean recordingScheduled = new AtomicBoolean();
  private final LineAddresses lineAddresses;
  private final IntentStore intents;
  private final OperatorIntents operatorIntents;
  private final LeaderHandOver handOver;
  private final ScheduledExecutorService intentTimer;
  private final Optional<DrillRunner> drills;
  private volatile LeaderElection election;
  private volatile boolean closed;

  /** Serialises starting probing with target updates, so the later one sees the newer addresses. */
  private final Object targetsLock = new Object();

  /** The addresses the leader is probing, by line; empty when not leading. */
  private volatile Map<String, List<InetAddress>> probed = Map.of();

  public ControllerNode(ControllerNodeSettings settings) {
    HaddnsConfig config = settings.config();
    StateStore store = settings.store();
    IntentStore intents = settings.intents();
    InstantSource clock = settings.clock();
    Optional<DrillRunner> drills = settings.drills();
    this.config = config;
    this.drills = drills;
    this.intents = intents;
    this.store = store;
    this.reported = settings.reported();
    this.elections = settings.elections();
    this.probing = settings.probing();
    this.clock = clock;
    this.transitionObserver = settings.transitionObserver();
    List<ZoneReconciler> zones = new ArrayList<>();
    for (var zone : config.zones()) {
      DnsProvider provider = settings.providers().get(zone.name());
      if (provider == null) {
        throw new IllegalArgumentException("no provider for zone " + zone.name());
      }
      List<RecordConfig> records =
          config.records().stream().filter(r -> r.zone().equals(zone.name())).toList();
      zones.add(
          new ZoneReconciler(
              ZoneReconcilerSettings.builder(zone.name(), records)
                  .provider(provider)
                  .store(store)
                  .lines(this::lineStates)
                  .term(term)
                  .nodeId(config.node().id())
                  .clock(clock)
                  .dryRun(zone.dryRun())
                  .unfencedGuard(config.cluster().unfencedCallLimit())
                  .verification(settings.verification())
                  .paused(() -> intents.pauses().containsKey(zone.name()))
                  .recorder(recorders.forZone(zone.name()), () -> resyncUnrecorded(zone.name()))
                  // An embedded zone's recording is its DNS write: never held back.
                  .recordingPause(
                      zone.provider() instanceof ProviderConfig.Embedded
                          ? RecordingPause.NONE
                          : RecordingPause.DEFAULT)
                  .build()));
    }
    this.zones = List.copyOf(zones);
    this.reconciler =
        new Reconciler(
            zones,
            term,
            config.cluster().resyncInterval(),
            settings.observer(),
            this::termLostOnWrite);
    this.lineAddresses = new LineAddresses(config, this::addressRefused);
    this.leaderWork =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "haddns-leader-work");
              t.setDaemon(true);
              return t;
            });
    this.intentTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "haddns-intent-timer");
              t.setDaemon(true);
              return t;
            });
    IntentTimers timer =
        (task, delay) -> {
          try {
            var f = intentTimer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
          } catch (RejectedExecutionException e) {
            return () -> {};
          }
        };
    this.operatorIntents =
        new OperatorIntents(
            intents,
            config.node().id(),
            clock,
            timer,
            reconciler::trigger,
            reconciler::resync,
            this::runLeaderWork,
            epoch -> {
              if (term.isCurrent(epoch)) {
                termLostOnWrite("override expiry fenced out");
              }
            });
    this.handOver =
        new LeaderHandOver(
            intents,
            config.node().id(),
            clock,
            timer,
            this::runLeaderWork,
            () -> store.members().stream().map(m -> m.nodeId()).collect(Collectors.toSet()),
            new LeaderHandOver.Election() {
              @Override
              public void leave(String reason) {
                leaveElection(reason);
              }

              @Override
              public void join() {
                joinElection();
              }
            });
    drills.ifPresent(
        d ->
            d.bind(
                new DrillRunner.Leader() {
                  @Override
                  public long epoch() {
                    return term.epoch();
                  }

                  @Override
                  public Map<String, LineState> probedLineStates() {
                    return ControllerNode.this.probedLineStates();
                  }

                  @Override
                  public void reconcile(String why) {
                    reconciler.trigger(why);
                  }

                  @Override
                  public void resync(String zone, String why) {
                    reconciler.resync(zone, why);
                  }

                  @Override
                  public void termLost(String why) {
                    termLostOnWrite(why);
                  }
                }));
  }

  public void start() {
    reported.addListener(
        views -> {
          if (views.contains(StoreView.ADDRESSES)) {
            addressesChanged();
          }
        },
        this::runLeaderWork);
    intents.addIntentListener(this::intentsChanged, this::runLeaderWork);
    reconciler.start();
    election = elections.apply(this);
    election.start();
    log.info("node={} started cluster={}", config.node().id(), config.cluster().name());
    Thread.ofPlatform().daemon().name("haddns-prepare").start(this::prepareTakeover);
  }

  /**
   * A follower rehearses what a new leader runs first, short of probing and writing
   * (docs/architecture.md, "Fast takeover"): its probe engine started on no lines, each zone's
   * first write readied. A takeover then does not run that code for the first time in this process.
   */
  private void prepareTakeover() {
    if (term.epoch() == 0 && !closed) {
      probing.prepare();
    }
    for (ZoneReconciler zone : zones) {
      if (closed) {
        return;
      }
      zone.prepare()
          .ifPresent(why -> log.info("zone={} first write not prepared: {}", zone.zone(), why));
    }
  }

  /** Per zone: dry-run plans and foreign records, as this node last reconciled them. */
  public List<ZoneReport> zoneReports() {
    return zones.stream().map(ZoneReconciler::report).toList();
  }

  /** A zone's applied changes could not be recorded: it is reconciled again with a read-back. */
  private void resyncUnrecorded(String zone) {
    reconciler.resync(zone, "applied changes not recorded");
  }

  /** True while this node leads, its term has begun and is not in doubt. */
  public boolean isLeader() {
    return term.epoch() != 0 && !term.inDoubt();
  }

  /** The epoch this node leads with, or 0. */
  public long epoch() {
    return term.epoch();
  }

  public LeaderElection election() {
    return election;
  }

  @Override
  public void acquired(long epoch) {
    if (closed) {
      return;
    }
    term.begin(epoch);
    // The term's first write (each zone's fence claim) goes out before anything else starts.
    reconciler.claimFences(epoch);
    log.info("node={} leadership acquired epoch={}", config.node().id(), epoch);
    audit(epoch, "leadership", "acquired epoch=" + epoch);
    synchronized (targetsLock) {
      List<LineTarget> targets = targets();
      probing.start(targets, seedHealth(targets), this::onTransition);
      probed = addressesOf(targets);
    }
    reconciler.beginTerm(epoch);
    runLeaderWork(this::intentsChanged);
    drills.ifPresent(d -> d.termChanged(epoch));
  }

  @Override
  public void inDoubt(long epoch) {
    term.doubt(epoch);
    log.warn(
        "node={} leadership in doubt epoch={}: DNS writes held until the lease is confirmed",
        config.node().id(),
        epoch);
  }

  @Override
  public void confirmed(long epoch) {
    if (term.confirm(epoch)) {
      log.info("node={} leadership confirmed epoch={}: writes resume", config.node().id(), epoch);
    }
  }

  /** Intents changed or this node's term did: the leader acts on them (see docs/operations.md). */
  private void intentsChanged() {
    if (closed) {
      return;
    }
    long epoch = term.epoch();
    operatorIntents.changed(epoch);
    handOver.check(epoch);
  }

  /** Leaves the election: a leader's term ends at once and another node takes over. */
  private void leaveElection(String reason) {
    if (closed) {
      return;
    }
    lost(reason);
    LeaderElection old = election;
    if (old != null) {
      old.close();
    }
    election = null;
  }

  /** Joins the election again after {@link #leaveElection}. */
  private void joinElection() {
    if (closed || election != null) {
      return;
    }
    election = elections.apply(this);
    election.start();
  }

  @Override
  public void lost(String reason) {
    long epoch = term.epoch();
    term.end();
    synchronized (targetsLock) {
      probing.stop();
      probed = Map.of();
    }
    reconciler.endTerm();
    runLeaderWork(this::intentsChanged);
    drills.ifPresent(d -> d.termChanged(0));
    if (epoch != 0) {
      log.info("node={} leadership lost epoch={} reason={}", config.node().id(), epoch, reason);
      audit(epoch, "leadership", "lost epoch=" + epoch + " reason=" + reason);
    }
  }

  /** A write found this term over: stop leading and rejoin the election as a follower. */
  private void termLostOnWrite(String reason) {
    leaderWork.execute(
        () -> {
          if (closed) {
            return;
          }
          log.warn("node={} stepping down: {}", config.node().id(), reason);
          leaveElection(reason);
          joinElection();
        });
  }

  /**
   * A reported address changed: the leader probes the new addresses at once (the line restarts from
   * unknown) and reconciles, so the record follows as soon as the line is healthy.
   */
  private void addressesChanged() {
    if (term.epoch() == 0) {
      return;
    }
    synchronized (targetsLock) {
      if (term.epoch() == 0) {
        return;
      }
      List<LineTarget> targets = targets();
      Map<String, List<InetAddress>> next = addressesOf(targets);
      if (sameAddresses(next, probed)) {
        return;
      }
      for (LineTarget t : targets) {
        List<InetAddress> before = probed.getOrDefault(t.line(), List.of());
        if (!LineAddresses.same(before, t.addresses())) {
          log.info(
              "line={} addresses {} -> {} probing at once",
              t.line(),
              hosts(before),
              hosts(t.addresses()));
        }
      }
      probing.update(targets);
      probed = next;
    }
    reconciler.trigger("addresses");
  }

  private static boolean sameAddresses(
      Map<String, List<InetAddress>> a, Map<String, List<InetAddress>> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (var e : a.entrySet()) {
      if (!LineAddresses.same(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, List<InetAddress>> addressesOf(List<LineTarget> targets) {
    Map<String, List<InetAddress>> out = new HashMap<>();
    targets.forEach(t -> out.put(t.line(), t.addresses()));
    return Map.copyOf(out);
  }

  private static List<String> hosts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList();
  }

  @SuppressWarnings("try") // the try-with-resources resources are MDC scopes, never read
  private void onTransition(HealthTransition t) {
    long epoch = term.epoch();
    if (epoch == 0) {
      return;
    }
    // The line and epoch as structured fields of JSON logs (docs/operations.md, "Logs").
    try (var lineField = MDC.putCloseable("line", t.line());
        var epochField = MDC.putCloseable("epoch", Long.toString(epoch))) {
      announceTransition(epoch, t);
    }
  }

  @SuppressWarnings("try") // the try-with-resources resources are MDC scopes, never read
  private void announceTransition(long epoch, HealthTransition t) {
    log.info(
        "line={} health {} -> {} addresses={} reason={}",
        t.line(),
        t.from().label(),
        t.to().label(),
        hosts(t.addresses()),
        t.reason());
    reconciler.trigger("health " + t.line());
    transitionObserver.accept(t);
    unrecorded.add(new UnrecordedTransition(epoch, t));
    if (recordingScheduled.compareAndSet(false, true)) {
      runLeaderWork(this::recordTransitions);
    }
  }

  /**
   * Writes the transitions decided since the last call, in order, as few fenced writes as the store
   * needs: when a region fails, thousands of lines are decided within a second, and one transaction
   * each would keep ZooKeeper and the leader's work thread busy for seconds. A batch ends where the
   * term changes or a line comes again.
   */
  private void recordTransitions() {
    recordingScheduled.set(false);
    List<UnrecordedTransition> batch = new ArrayList<>();
    Set<String> lines = new HashSet<>();
    for (UnrecordedTransition u; (u = unrecorded.poll()) != null; ) {
      if (!batch.isEmpty()
          && (u.epoch() != batch.getFirst().epoch()
              || lines.contains(u.transition().line())
              || batch.size() >= RECORD_BATCH)) {
        recordTransitions(batch);
        batch.clear();
        lines.clear();
      }
      batch.add(u);
      lines.add(u.transition().line());
    }
    if (!batch.isEmpty()) {
      recordTransitions(batch);
    }
  }

  private record UnrecordedTransition(long epoch, HealthTransition transition) {}

  private void recordTransitions(List<UnrecordedTransition> batch) {
    long epoch = batch.getFirst().epoch();
    if (!term.isCurrent(epoch)) {
      return;
    }
    List<StateStore.HealthChange> changes = new ArrayList<>(batch.size());
    for (UnrecordedTransition u : batch) {
      HealthTransition t = u.transition();
      changes.add(
          new StateStore.HealthChange(
              new LineHealth(t.line(), t.to(), t.addresses(), t.at(), epoch, t.reason()),
              event(
                  "health",
                  "line=" + t.line() + " " + t.from().label() + " -> " + t.to().label())));
    }
    MDC.put("epoch", Long.toString(epoch));
    try {
      // Each health with its audit event in one fenced transaction: a stale leader writes neither.
      store.putHealth(epoch, changes);
    } catch (NotLeaderException e) {
      if (term.isCurrent(epoch)) {
        termLostOnWrite(e.getMessage());
      }
    } catch (StoreUnavailableException e) {
      log.warn(
          "lines={} health not recorded, ZooKeeper unavailable: {}",
          batch.size() == 1 ? batch.getFirst().transition().line() : batch.size() + " lines",
          e.getMessage());
    } finally {
      MDC.remove("epoch");
    }
  }

  private List<LineTarget> targets() {
    Map<String, LineAddressState> now = reported.lineAddresses();
    List<LineTarget> out = new ArrayList<>();
    for (LineConfig l : config.lines()) {
      out.add(
          new LineTarget(
              l.name(),
              lineAddresses.of(l, now),
              l.probes(),
              l.interval(),
              l.fastInterval(),
              l.timeout(),
              l.fall(),
              l.rise()));
    }
    return out;
  }

  /**
   * A reported address outside its line's policy: logged once, and audited while leading (the
   * leader is the one that would have probed and published it).
   */
  private void addressRefused(String line, String reason) {
    log.warn("line={} reported address ignored, neither probed nor published: {}", line, reason);
    long epoch = term.epoch();
    if (epoch != 0) {
      audit(epoch, "address-ignored", "line=" + line + " " + reason);
    }
  }

  /** Last known health from the cluster state, for lines whose addresses have not changed. */
  private Map<String, Health> seedHealth(List<LineTarget> targets) {
    Map<String, Health> seed = new HashMap<>();
    Map<String, LineHealth> known = store.health();
    for (LineTarget t : targets) {
      LineHealth h = known.get(t.line());
      if (h != null
          && !t.addresses().isEmpty()
          && LineAddresses.same(h.addresses(), t.addresses())) {
        seed.put(t.line(), h.health());
      }
    }
    return seed;
  }

  /**
   * The planner's view of every line: the leader's own probing of the addresses it probes, else the
   * replicated health, which counts only while it was recorded for the current addresses.
   */
  public Map<String, LineState> lineStates() {
    Map<String, LineState> lines = operatorIntents.overlay(probedLineStates());
    return drills.map(d -> d.overlay(lines)).orElse(lines);
  }

  /** The operators' overrides in force now, by line (expired ones left out). */
  public Map<String, LineOverride> activeOverrides() {
    return operatorIntents.active();
  }

  /** The operators' write pauses in force, by zone. */
  public Map<String, ZonePause> zonePauses() {
    Map<String, ZonePause> out = new HashMap<>();
    intents.pauses().forEach((zone, p) -> out.put(zone, p.value()));
    return Map.copyOf(out);
  }

  /** What probes (or the replicated health) say of every line, without operators' overrides. */
  public Map<String, LineState> probedLineStates() {
    Map<String, List<InetAddress>> probing = probed;
    Map<String, Health> live = this.probing.snapshot();
    Map<String, LineHealth> known = store.health();
    Map<String, LineAddressState> now = reported.lineAddresses();
    Map<String, LineState> out = new HashMap<>();
    for (LineConfig l : config.lines()) {
      List<InetAddress> addresses = probing.get(l.name());
      if (addresses == null) {
        addresses = lineAddresses.of(l, now);
      }
      Health h = live.get(l.name());
      if (h == null) {
        LineHealth k = known.get(l.name());
        h =
            k != null && !addresses.isEmpty() && LineAddresses.same(k.addresses(), addresses)
                ? k.health()
                : Health.UNKNOWN;
      }
      out.put(l.name(), new LineState(l.name(), h, addresses));
    }
    return out;
  }

  /** Runs {@code task} on the leader-work thread unless the node is stopping. */
  private void runLeaderWork(Runnable task) {
    if (leaderWork.isShutdown()) {
      return;
    }
    try {
      leaderWork.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("node={} task dropped while stopping", config.node().id());
    }
  }

  private AuditEvent event(String type, String detail) {
    return new AuditEvent(clock.instant(), config.node().id(), type, detail);
  }

  /**
   * Appends a leadership event of term {@code epoch}, fenced by it, off the calling thread
   * (ZooKeeper may be unreachable). The end of a term is recorded only while no later term has
   * begun: the next leader's {@code acquired} event tells the rest.
   */
  private void audit(long epoch, String type, String detail) {
    AuditEvent event = event(type, detail);
    runLeaderWork(
        () -> {
          try {
            store.audit(epoch, event);
          } catch (NotLeaderException e) {
            log.info("audit type={} epoch={} not written: {}", type, epoch, e.getMessage());
          } catch (StoreUnavailableException e) {
            log.warn("audit type={} not written: {}", type, e.getMessage());
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    LeaderElection e = election;
    if (e != null) {
      e.close();
    }
    lost("node stopping");
    reconciler.close();
    recorders.close();
    intentTimer.shutdownNow();
    probing.close();
    leaderWork.shutdown();
    try {
      if (!leaderWork.awaitTermination(5, TimeUnit.SECONDS)) {
        leaderWork.shutdownNow();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    log.info("node={} stopped", config.node().id());
  }
}
