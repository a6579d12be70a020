package io.haddns.controller.runtime;

import io.haddns.controller.admin.AdminSecurity;
import io.haddns.controller.admin.AdminServer;
import io.haddns.controller.admin.AgentRoutes;
import io.haddns.controller.admin.ApiRoute;
import io.haddns.controller.admin.DrillRoutes;
import io.haddns.controller.admin.NotifyRoutes;
import io.haddns.controller.admin.OperatorRoutes;
import io.haddns.controller.admin.UpdateEndpoint;
import io.haddns.controller.config.GatewayListen;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.TcpProbeMethod;
import io.haddns.controller.config.ZoneConfig;
import io.haddns.controller.dnsserver.AppliedStateZoneSource;
import io.haddns.controller.dnsserver.DnsServerSettings;
import io.haddns.controller.dnsserver.EmbeddedDnsServer;
import io.haddns.controller.dnsserver.ServedZone;
import io.haddns.controller.election.CuratorLeaderElection;
import io.haddns.controller.gateway.AddressUpdates;
import io.haddns.controller.gateway.GatewayCredentials;
import io.haddns.controller.gateway.GatewayServer;
import io.haddns.controller.gateway.GatewaySettings;
import io.haddns.controller.metrics.BuildMetrics;
import io.haddns.controller.metrics.ClusterMetrics;
import io.haddns.controller.metrics.DnsMetrics;
import io.haddns.controller.metrics.DrillMetrics;
import io.haddns.controller.metrics.GatewayMetrics;
import io.haddns.controller.metrics.LeadershipMetrics;
import io.haddns.controller.metrics.OperatorMetrics;
import io.haddns.controller.metrics.ProbeMetrics;
import io.haddns.controller.metrics.ReconcileMetrics;
import io.haddns.controller.metrics.ResilienceMetrics;
import io.haddns.controller.metrics.TcpProberMetrics;
import io.haddns.controller.metrics.TransitionMetrics;
import io.haddns.controller.metrics.VerifyMetrics;
import io.haddns.controller.metrics.ZooKeeperMetrics;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.netty.DescriptorBudget;
import io.haddns.controller.netty.EventLoops;
import io.haddns.controller.node.ControllerNode;
import io.haddns.controller.node.ControllerNodeSettings;
import io.haddns.controller.node.DrillRunner;
import io.haddns.controller.node.EngineLineProbing;
import io.haddns.controller.node.HealthHistory;
import io.haddns.controller.node.LatestProbes;
import io.haddns.controller.node.NodeStatus;
import io.haddns.controller.node.OutageDrillProvider;
import io.haddns.controller.notify.GatewayAbuseWatch;
import io.haddns.controller.notify.NotificationDispatcher;
import io.haddns.controller.operate.AuditReader;
import io.haddns.controller.operate.DrillApi;
import io.haddns.controller.operate.OperatorApi;
import io.haddns.controller.operate.PracticeDrills;
import io.haddns.controller.operate.Waiter;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ResilientDnsProvider;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.OpenTreeException;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.ThrottledListener;
import io.haddns.controller.store.ZkAccess;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.verify.AnswerVerifier;
import io.haddns.controller.verify.AuthoritativeAnswers;
import io.haddns.controller.verify.RecordAnswers;
import io.haddns.controller.verify.ServerAnswers;
import io.haddns.controller.verify.ZoneNameServers;
import io.haddns.controller.zookeeper.EmbeddedZooKeeper;
import io.haddns.probe.PortProber;
import io.haddns.probe.Prober;
import io.haddns.probe.engine.ProbeSpec;
import io.haddns.probe.icmp.IcmpProber;
import io.haddns.probe.icmp.IcmpUnavailableException;
import io.haddns.probe.tcp.TcpHalfOpenProber;
import io.haddns.probe.tcp.TcpHalfOpenUnavailableException;
import io.haddns.probe.tcp.TcpProberPool;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one controller node from its configuration: ZooKeeper client, state store, election,
 * probers, providers, node and its servers (embedded DNS, gateway, admin), which share one set of
 * {@link EventLoops}. Closing stops them in reverse order, the election first so leadership is
 * handed over at once.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
  private static final Duration FENCED_CALL_LIMIT = Duration.ofSeconds(60);
  private static final Duration HISTORY_THROTTLE = Duration.ofMillis(100);
  // Connects on up to two threads: one cannot keep up with 10,000 lines a second on a loaded host.
  private static final int TCP_PROBE_THREADS =
      Math.min(2, Runtime.getRuntime().availableProcessors());

  /** The exit status of a process halted by a {@code leader-crash} drill (as if SIGKILLed). */
  private static final int HALT_STATUS = 137;

  private final String nodeId;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private ControllerNode node;
  private AdminServer admin;
  private ZkStateStore store;
  private OperatorApi operator;
  private DrillApi drillApi;
  private EmbeddedDnsServer dnsServer;
  private GatewayServer gateway;
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private NodeRuntime(String nodeId) {
    this.nodeId = nodeId;
  }

  /**
   * Starts a node. Connecting to ZooKeeper is not waited for: the node keeps retrying in the
   * background and reports not ready until connected.
   */
  public static NodeRuntime start(
      HaddnsConfig cfg, Optional<InetAddress> dnsSource, InstantSource clock, String version)
      throws StartupException {
    return start(cfg, dnsSource, clock, version, () -> Runtime.getRuntime().halt(HALT_STATUS));
  }

  /**
   * Starts a node whose {@code leader-crash} drills call {@code halt} (in production {@link
   * Runtime#halt}: the process ends at once, nothing closed).
   */
  public static NodeRuntime start(
      HaddnsConfig cfg,
      Optional<InetAddress> dnsSource,
      InstantSource clock,
      String version,
      Runnable halt)
      throws StartupException {
    NodeRuntime rt = new NodeRuntime(cfg.node().id());
    try {
      rt.wire(cfg, dnsSource, clock, version, halt);
      return rt;
    } catch (StartupException | RuntimeException e) {
      rt.close();
      throw e;
    }
  }

  private void wire(
      HaddnsConfig cfg,
      Optional<InetAddress> dnsSource,
      InstantSource clock,
      String version,
      Runnable halt)
      throws StartupException {
    String connect;
    ZkAccess access;
    if (cfg.cluster().zookeeper().isPresent()) {
      connect = cfg.cluster().zookeeper().get();
      access =
          ZooKeeperClientAccess.of(
              cfg.cluster()
                  .zookeeperAccess()
                  .orElseThrow(
                      () ->
                          new StartupException(
                              "cluster.zookeeperAuth is required with cluster.zookeeper")));
    } else {
      EmbeddedZooKeeper embedded =
          new EmbeddedZooKeeper(cfg.cluster().dataDir().resolve("zookeeper"), "127.0.0.1", 0);
      try {
        embedded.start(Duration.ofSeconds(30));
      } catch (IOException e) {
        throw new StartupException(e.getMessage(), e);
      }
      resources.push(embedded);
      connect = embedded.connectString();
      access = embedded.clientAccess();
    }
    if (access.isOpen()) {
      log.warn(
          "zookeeper={} access none: the cluster's tree is writable by anyone who can reach"
              + " ZooKeeper (cluster.zookeeperAuth scheme none)",
          connect);
    }
    Optional<Prober> icmp = Optional.empty();
    if (usesIcmp(cfg)) {
      try {
        IcmpProber p = IcmpProber.open();
        log.info("probe icmp mode={}", p.mode());
        icmp = Optional.of(p);
      } catch (IcmpUnavailableException e) {
        throw new StartupException(e.getMessage(), e);
      }
    }
    TcpProberPool connects = TcpProberPool.open(TCP_PROBE_THREADS, tcpProbeSockets(cfg));
    new TcpProberMetrics(registry, connects);
    PortProber tcp = connects;
    if (cfg.node().tcpProbes() == TcpProbeMethod.HALF_OPEN) {
      try {
        tcp = TcpHalfOpenProber.open(connects);
      } catch (TcpHalfOpenUnavailableException e) {
        connects.close();
        throw new StartupException("node.tcpProbes half-open: " + e.getMessage(), e);
      }
      log.info("probe tcp method=half-open ipv6=connect threads={}", connects.threads());
    } else {
      log.info("probe tcp method=connect threads={}", connects.threads());
    }
    LatestProbes latestProbes = new LatestProbes(probeMetrics(cfg), clock);
    EngineLineProbing probing = new EngineLineProbing(icmp, tcp, latestProbes, clock);
    resources.push(probing);

    ZkClient zk =
        new ZkClient(
            connect, cfg.cluster().sessionTimeout(), cfg.cluster().connectionTimeout(), access);
    resources.push(zk);
    zk.start();
    ZkPaths paths = new ZkPaths(cfg.cluster().name());
    StoreSettings storeSettings =
        StoreSettings.defaults().withAudit(cfg.audit().maxEvents(), cfg.audit().maxAge());
    store =
        new ZkStateStore(zk, paths, nodeId, clock, storeSettings, NotifyWiring.events(cfg, clock));
    resources.push(store);
    store.start();
    verifyAccess(zk, cfg);

    // Filled below, before the node starts: a provider-outage drill's end closes the breaker its
    // injected failures opened.
    Map<String, ResilientDnsProvider> breakers = new java.util.concurrent.ConcurrentHashMap<>();
    DrillRunner drillRunner =
        new DrillRunner(
            cfg,
            store.drills(),
            store.intents(),
            store,
            drillAnswers(cfg),
            clock,
            halt,
            zone -> {
              ResilientDnsProvider p = breakers.get(zone);
              if (p != null) {
                p.forgetFailures();
              }
            });
    resources.push(drillRunner);
    Map<String, DnsProvider> providers = new LinkedHashMap<>();
    Map<String, String> providerTypes = ProviderFactory.types(cfg);
    ResilienceMetrics resilience = new ResilienceMetrics(registry);
    ProviderFactory providerFactory = new ProviderFactory(cfg, store, dnsSource, clock);
    for (ZoneConfig zone : cfg.zones()) {
      DnsProvider backend = providerFactory.backend(zone);
      ResilientDnsProvider provider =
          new ResilientDnsProvider(
              new OutageDrillProvider(backend, drillRunner),
              providerTypes.get(zone.name()),
              timeLimit(backend, cfg),
              resilience,
              clock);
      breakers.put(zone.name(), provider);
      providers.put(zone.name(), provider);
      resources.push(provider);
    }
    int gatewayCap = checkDescriptors(cfg);
    // One set of event loops for the DNS server, the gateway and the admin server, closed after
    // all three.
    EventLoops loops =
        EventLoops.start("haddns", EventLoops.defaultWorkers(), cfg.node().transport());
    resources.push(loops);
    startDnsServer(cfg, loops);
    GatewayAbuseWatch abuse = NotifyWiring.abuse(cfg, store, clock);
    resources.push(abuse);
    startGateway(cfg, gatewayCap, clock, loops, NotifyWiring.auditTap(store, abuse));
    ServerAnswers verified = new ServerAnswers();
    AnswerVerifier verifier = verifier(cfg, verified, clock);
    resources.push(verifier);

    LeadershipMetrics leadership = new LeadershipMetrics(registry);
    node =
        new ControllerNode(
            ControllerNodeSettings.builder(cfg)
                .store(store)
                .reported(store)
                .elections(
                    listener ->
                        new CuratorLeaderElection(
                            zk.curator(),
                            paths,
                            nodeId,
                            store,
                            listener,
                            cfg.cluster().leaderLease(),
                            id ->
                                store.members().stream()
                                    .filter(m -> m.nodeId().equals(id))
                                    .map(MemberInfo::httpAddress)
                                    .findFirst(),
                            leadership))
                .probing(probing)
                .providers(providers)
                .observer(
                    new ReconcileMetrics(
                        registry,
                        ProviderFactory.types(cfg),
                        cfg.cluster().resyncInterval(),
                        clock))
                .transitionObserver(new TransitionMetrics(registry))
                .verification(
                    (zone, changes, appliedAt) -> {
                      verifier.applied(zone, changes, appliedAt);
                      drillRunner.applied(zone, changes, appliedAt);
                    })
                .intents(store.intents())
                .clock(clock)
                .drills(drillRunner)
                .build());

    HealthHistory history = new HealthHistory(store::health);
    // The history walks every line's health per call: at most a few calls a second, however many
    // lines change at once (a regional outage, a new leader's first verdicts).
    ScheduledExecutorService historyThread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("haddns-health-history").factory());
    resources.push(historyThread::shutdownNow);
    store.addListener(
        new ThrottledListener(history, historyThread, HISTORY_THROTTLE), Runnable::run);
    Thread seeding =
        Thread.ofVirtual()
            .name("haddns-history-seed")
            .start(() -> seedHistory(history, 2 * storeSettings.auditMaxEvents()));
    resources.push(seeding::interrupt);
    NodeStatus status =
        new NodeStatus(
            cfg,
            node,
            store,
            zk::isConnected,
            store::isPrimed,
            clock,
            new NodeStatus.Details(store::lineAddresses, latestProbes, history, verified));
    new ClusterMetrics(registry, status, clock);
    new BuildMetrics(registry, version, BuildVersion.revision());
    operator =
        new OperatorApi(
            cfg,
            store.intents(),
            store,
            store::termHolder,
            new AuditReader(store, 2 * storeSettings.auditMaxEvents()),
            Waiter.polling(),
            clock,
            line -> DrillApi.failing(store.drills(), line));
    new OperatorMetrics(
        registry,
        cfg.zones().stream().map(ZoneConfig::name).toList(),
        cfg.lines().stream().map(l -> l.name()).toList(),
        store.intents(),
        clock);
    drillApi =
        new DrillApi(
            cfg,
            store.drills(),
            store.intents(),
            store,
            new AuditReader(store, 2 * storeSettings.auditMaxEvents()),
            Waiter.polling(),
            clock);
    new DrillMetrics(registry, store.drills());
    PracticeDrills practice =
        new PracticeDrills(cfg.drills().practice(), drillApi, () -> node.isLeader(), clock);
    resources.push(practice);
    practice.start();
    new ZooKeeperMetrics(registry, zk::connection);
    NotificationDispatcher notifier = NotifyWiring.dispatcher(cfg, store, node, clock, registry);
    resources.push(notifier);
    Map<String, AddressPolicy> policies = cfg.addressPolicies();
    UpdateEndpoint update =
        new UpdateEndpoint(
            new AddressUpdates(store, clock, nodeId),
            line -> policies.getOrDefault(line, AddressPolicy.PUBLIC_ONLY));
    admin =
        new AdminServer(
            cfg.node().httpHost(),
            cfg.node().httpPort(),
            status,
            registry,
            cfg.node().httpLimits(),
            new AdminSecurity(cfg.cluster().name(), nodeId, cfg.operators(), store::audit, clock),
            Stream.concat(
                    Stream.of(
                        ApiRoute.of(
                            HttpMethod.POST, UpdateEndpoint.PATH, OperatorRole.VIEWER, update)),
                    Stream.of(
                            new OperatorRoutes(operator).routes(),
                            AgentRoutes.of(cfg, store::resetAgentSequence).routes(),
                            new DrillRoutes(drillApi).routes(),
                            new NotifyRoutes(notifier).routes())
                        .flatMap(List::stream))
                .toList());
    try {
      admin.start(loops);
    } catch (IllegalStateException e) {
      throw new StartupException(e.getMessage(), e);
    }
    resources.push(admin);
    InetSocketAddress http = admin.address();
    store.registerMember(
        new MemberInfo(
            nodeId,
            AdminAdvertise.of(cfg.node(), http),
            version,
            clock.instant(),
            dnsServer == null ? List.of() : DnsAdvertise.of(cfg.node())));
    node.start();
    resources.push(node);
    notifier.start();
    abuse.start(node::epoch);
  }

  /**
   * The TCP prober's own cap on sockets held at once: three quarters of the descriptor reserve (the
   * rest stays for ZooKeeper, the DNS providers and the ICMP socket), so probes that pile up never
   * take the descriptors of the rest of the node (docs/configuration.md, "Connection limits").
   */
  private static int tcpProbeSockets(HaddnsConfig cfg) {
    int max =
        DescriptorBudget.measure(Path.of("/proc"), cfg.node().descriptorReserve())
            .map(b -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, b.reserve() * 3 / 4)))
            .orElse(Integer.MAX_VALUE);
    log.info("probe tcp maxSockets={}", max == Integer.MAX_VALUE ? "unlimited" : max);
    return max;
  }

  /**
   * Refuses to start when the connection caps of the servers this node runs do not fit in its file
   * descriptors with the reserve kept free, so a connection flood can never starve the probers or
   * the ZooKeeper client (docs/configuration.md, "Connection limits"). A gateway cap left at its
   * default is lowered to what fits instead; returns the gateway cap to use.
   */
  private int checkDescriptors(HaddnsConfig cfg) throws StartupException {
    Optional<DescriptorBudget> measured =
        DescriptorBudget.measure(Path.of("/proc"), cfg.node().descriptorReserve());
    if (measured.isEmpty()) {
      log.info("descriptors limit=unknown or unlimited, connection caps not checked");
      return cfg.node().gateway().maxConnections();
    }
    DescriptorBudget budget = measured.get();
    Map<String, Integer> caps = new LinkedHashMap<>();
    caps.put("node.http.connections.max", cfg.node().httpLimits().maxConnections());
    if (cfg.zones().stream().anyMatch(z -> z.provider() instanceof ProviderConfig.Embedded)) {
      caps.put("node.dns.connections.max", cfg.node().dnsTcpLimits().maxConnections());
    }
    if (!cfg.agents().isEmpty() || !cfg.dyndns2().isEmpty()) {
      caps.put("node.gateway.connections.max", cfg.node().gateway().maxConnections());
    }
    String gatewayKey = "node.gateway.connections.max";
    if (cfg.node().gateway().maxConnections() == GatewayListen.DEFAULT_MAX_CONNECTIONS) {
      OptionalInt lowered =
          budget.lowered(caps, gatewayKey, cfg.node().gateway().maxConnectionsPerSource());
      if (lowered.isPresent()) {
        log.info(
            "gateway connections.max lowered from its default {} to {}: the descriptor limit {}"
                + " leaves no more (set node.gateway.connections.max, or raise the limit)",
            caps.get(gatewayKey),
            lowered.getAsInt(),
            budget.limit());
        caps.put(gatewayKey, lowered.getAsInt());
      }
    }
    Optional<String> refusal = budget.refusal(caps);
    if (refusal.isPresent()) {
      throw new StartupException(refusal.get());
    }
    long total = caps.values().stream().mapToLong(Integer::longValue).sum();
    log.info(
        "descriptors limit={} inUse={} reserve={} forConnections={} caps={} spare={}",
        budget.limit(),
        budget.inUse(),
        budget.reserve(),
        budget.forConnections(),
        caps,
        budget.forConnections() - total);
    return caps.getOrDefault(gatewayKey, cfg.node().gateway().maxConnections());
  }

  /**
   * Refuses to start on a tree others may change, when ZooKeeper answers within the connection
   * timeout; otherwise the check runs before the node's first term (the store refuses the term).
   */
  private void verifyAccess(ZkClient zk, HaddnsConfig cfg) throws StartupException {
    if (!zk.awaitConnected(cfg.cluster().connectionTimeout())) {
      return;
    }
    try {
      store.verifyAccess();
    } catch (OpenTreeException e) {
      throw new StartupException(e.getMessage(), e);
    } catch (StoreUnavailableException e) {
      log.warn("zookeeper tree access not checked yet, will be before leading: {}", e.getMessage());
    }
  }

  /** Every node serves the zones with provider embedded from the replicated applied state. */
  private void startDnsServer(HaddnsConfig cfg, EventLoops loops) throws StartupException {
    List<ServedZone> served = new ArrayList<>();
    List<String> followMembers = new ArrayList<>();
    for (ZoneConfig zone : cfg.zones()) {
      if (zone.provider() instanceof ProviderConfig.Embedded e) {
        if (e.nameservers().isEmpty()) {
          served.add(ServedZone.ofMembers(zone.name()));
          followMembers.add(zone.name());
        } else {
          served.add(
              ServedZone.withNodes(zone.name(), e.nameservers().stream().map(List::of).toList()));
        }
      }
    }
    if (served.isEmpty()) {
      return;
    }
    ExecutorService notify =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("haddns-dns-zones").factory());
    resources.push(notify::shutdownNow);
    AppliedStateZoneSource source = new AppliedStateZoneSource(store, followMembers);
    store.addListener(
        source,
        task -> {
          // Views may still change while the node shuts down, after this executor has stopped.
          if (!notify.isShutdown()) {
            try {
              notify.execute(task);
            } catch (RejectedExecutionException e) {
              log.debug("dns zone update dropped during shutdown");
            }
          }
        });
    dnsServer =
        new EmbeddedDnsServer(
            DnsServerSettings.of(cfg.node().dnsHost(), cfg.node().dnsPort(), served)
                .withTcpLimits(cfg.node().dnsTcpLimits()),
            source,
            new DnsMetrics(registry));
    try {
      dnsServer.start(loops);
    } catch (RuntimeException e) {
      throw new StartupException(e.getMessage(), e);
    }
    resources.push(dnsServer);
    log.info("dns embedded serving zones={} address={}", served.size(), dnsServer.udpAddress());
  }

  /** Probe metrics with their own line label for the first {@code metrics.probeLines} lines. */
  private ProbeMetrics probeMetrics(HaddnsConfig cfg) {
    return new ProbeMetrics(
        registry,
        cfg.lines().stream()
            .limit(cfg.metrics().probeLines())
            .map(LineConfig::name)
            .collect(Collectors.toSet()));
  }

  /**
   * Every node accepts agent reports and dyndns2 updates when any are configured, leader or not:
   * reports are committed to ZooKeeper, and the leader follows them from there.
   */
  private void startGateway(
      HaddnsConfig cfg,
      int maxConnections,
      InstantSource clock,
      EventLoops loops,
      Consumer<List<AuditEvent>> audit)
      throws StartupException {
    if (cfg.agents().isEmpty() && cfg.dyndns2().isEmpty()) {
      return;
    }
    GatewayListen listen = cfg.node().gateway();
    GatewaySettings defaults = GatewaySettings.defaults(listen.host(), listen.port());
    GatewaySettings.Builder settings =
        GatewaySettings.builder(listen.host(), listen.port())
            .rateLimits(
                listen.perSourcePerMinute(),
                listen.perCredentialPerMinute(),
                defaults.rateLimitPeriod())
            .timeouts(listen.headerTimeout(), listen.requestTimeout(), defaults.idleTimeout())
            .connectionLimits(maxConnections, listen.maxConnectionsPerSource());
    listen
        .tls()
        .ifPresent(
            files ->
                settings.tls(new GatewaySettings.Tls(files.certificateFile(), files.keyFile())));
    gateway =
        new GatewayServer(
            settings.build(),
            GatewayCredentials.of(cfg),
            store,
            audit,
            clock,
            nodeId,
            new GatewayMetrics(registry));
    try {
      gateway.start(loops);
    } catch (RuntimeException e) {
      throw new StartupException(e.getMessage(), e);
    }
    resources.push(gateway);
  }

  /**
   * Verifies applies at the zones' authoritative servers; not for embedded zones (their answers are
   * the applied state itself) nor dry runs.
   */
  private AnswerVerifier verifier(HaddnsConfig cfg, ServerAnswers verified, InstantSource clock) {
    Map<String, ZoneConfig> zones = new LinkedHashMap<>();
    Map<String, Duration> timeouts = new LinkedHashMap<>();
    for (ZoneConfig z : cfg.zones()) {
      zones.put(z.name(), z);
      if (z.verify().enabled()
          && !z.dryRun()
          && !(z.provider() instanceof ProviderConfig.Embedded)) {
        timeouts.put(z.name(), z.verify().timeout());
      }
    }
    return new AnswerVerifier(
        new ZoneNameServers(zones), timeouts, new VerifyMetrics(registry), verified, clock);
  }

  /**
   * What drills ask of the authoritative servers: for an embedded zone the applied state (every
   * member answers from it), else each server the verify step asks.
   */
  private RecordAnswers drillAnswers(HaddnsConfig cfg) {
    Map<String, ZoneConfig> zones = new LinkedHashMap<>();
    cfg.zones().forEach(z -> zones.put(z.name(), z));
    RecordAnswers servers =
        new AuthoritativeAnswers(new ZoneNameServers(zones), Duration.ofMillis(500));
    return (zone, key) -> {
      ZoneConfig z = zones.get(zone);
      if (z != null && z.provider() instanceof ProviderConfig.Embedded) {
        var applied = store.applied().get(key);
        return Optional.of(
            List.of(applied == null ? Set.of() : Set.copyOf(applied.record().addresses())));
      }
      return servers.ask(zone, key);
    };
  }

  /** Where this node's update gateway listens, when it runs one. */
  public Optional<InetSocketAddress> gatewayAddress() {
    return gateway == null ? Optional.empty() : Optional.of(gateway.address());
  }

  /** Where this node's embedded DNS server listens, when it runs one. */
  public Optional<InetSocketAddress> dnsAddress() {
    return dnsServer == null ? Optional.empty() : Optional.of(dnsServer.udpAddress());
  }

  /**
   * How long one provider call may take. A backend that fences writes itself (RFC 2136 with the
   * fence record, the embedded server) refuses a stale leader's late write, so a large batch may
   * take its time; for any other backend 30 % of the session timeout bounds how long a stale
   * leader's last write can still run (docs/architecture.md, "Fencing").
   */
  private static Duration timeLimit(DnsProvider backend, HaddnsConfig cfg) {
    return backend.fencesWrites() ? FENCED_CALL_LIMIT : cfg.cluster().unfencedCallLimit();
  }

  /**
   * Once the store has its first view, puts the line health changes of the audit trail from before
   * this node started into the dashboard's history (docs/dashboard.md).
   */
  private void seedHistory(HealthHistory history, int retained) {
    try {
      while (!store.isPrimed()) {
        Thread.sleep(200);
      }
      history.seed(store.recentAudit(retained));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("health history: audit trail not read, the history starts now: {}", e.toString());
    }
  }

  private static boolean usesIcmp(HaddnsConfig cfg) {
    for (LineConfig l : cfg.lines()) {
      for (ProbeSpec p : l.probes()) {
        if (p instanceof ProbeSpec.Icmp) {
          return true;
        }
      }
    }
    return false;
  }

  public String nodeId() {
    return nodeId;
  }

  public ControllerNode node() {
    return node;
  }

  public AdminServer admin() {
    return admin;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public ZkStateStore store() {
    return store;
  }

  /** The operator control plane of this node (overrides, pauses, step-down, audit reader). */
  public OperatorApi operator() {
    return operator;
  }

  /** The failover drills of this node (start, abort, reports). */
  public DrillApi drills() {
    return drillApi;
  }

  /** Stops everything, the election first. Safe to call more than once. */
  @Override
  public synchronized void close() {
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        log.warn(
            "node={} close of {} failed: {}", nodeId, r.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
