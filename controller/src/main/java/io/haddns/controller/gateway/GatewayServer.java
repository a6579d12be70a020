package io.haddns.controller.gateway;

import io.haddns.controller.netty.EventLoops;
import io.haddns.controller.netty.Listener;
import io.haddns.controller.netty.WorkerPools;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineAddressStore;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway every node runs, leader or not: the agent report endpoint ({@code POST
 * /api/v1/report}, docs/agent-protocol.md) and the dyndns2 endpoint ({@code GET /nic/update},
 * {@code /v3/update}). Reports are committed through {@link LineAddressStore#putLineAddress} before
 * they are acknowledged; outcomes go to the audit trail and the {@link GatewayObserver}.
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start(EventLoops)} reads the TLS material (if
 * any) and binds on the node's event loops, {@link #start()} on event loops of its own, failing
 * clearly when it cannot; {@link #close()} unbinds, closes its connections and stops the workers.
 * Work runs on bounded worker pools, never on the event loop: agent reports' parsing and Ed25519
 * verification on one (as many threads as cores by default; the ZooKeeper commit is group-committed
 * by the store and answered from its completion, holding no thread), dyndns2 updates (bcrypt, a
 * blocking commit) on a small one of their own, so password guessing cannot starve agents. A
 * saturated pool answers {@code unavailable} / {@code 911}.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
  private static final int WORK_QUEUE = 1_024;
  private static final int DYNDNS2_QUEUE = 64;

  private final GatewaySettings settings;
  private final GatewayCredentials credentials;
  private final LineAddressStore store;
  private final Consumer<List<AuditEvent>> audit;
  private final InstantSource clock;
  private final String nodeId;
  private final GatewayObserver observer;
  private EventLoops ownLoops;
  private ThreadPoolExecutor workers;
  private ThreadPoolExecutor dyndns2Workers;
  private AuditQueue auditor;
  private Listener listener;

  /**
   * @param audit appends a batch to the audit trail (e.g. {@code store::audit}); may block; events
   *     it cannot write, or that find the audit queue full, are counted in {@link
   *     GatewayObserver#auditShed} and logged at WARN once per interval
   * @param nodeId this node, recorded as {@code receivedBy}
   */
  public GatewayServer(
      GatewaySettings settings,
      GatewayCredentials credentials,
      LineAddressStore store,
      Consumer<List<AuditEvent>> audit,
      InstantSource clock,
      String nodeId,
      GatewayObserver observer) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.store = Objects.requireNonNull(store, "store");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** Binds on event loops of its own, closed with this server. */
  public void start() {
    ownLoops = EventLoops.standalone("haddns-gateway", this::start);
  }

  /** Binds on {@code loops}, which outlive this server. */
  public void start(EventLoops loops) {
    Optional<SslContext> tls = settings.tls().map(GatewayServer::sslContext);
    workers = WorkerPools.bounded("haddns-gateway-", settings.workerThreads(), WORK_QUEUE);
    dyndns2Workers =
        WorkerPools.bounded("haddns-gateway-dyndns2-", settings.passwordThreads(), DYNDNS2_QUEUE);
    auditor = new AuditQueue(AuditQueue.CAPACITY, audit, observer, clock);
    auditor.start();
    RefusalAudit refusals = new RefusalAudit(auditor, clock, nodeId);
    RateLimits perSource =
        new RateLimits("source", settings.perSourcePermits(), settings.rateLimitPeriod());
    RateLimits perAgent =
        new RateLimits("agent", settings.perCredentialPermits(), settings.rateLimitPeriod());
    LoginFailures loginFailures =
        new LoginFailures(settings.perCredentialPermits(), settings.rateLimitPeriod(), clock);
    AgentReports reports =
        new AgentReports(
            credentials,
            store,
            auditor,
            Runnable::run,
            clock,
            nodeId,
            settings.clockSkew(),
            perAgent);
    Dyndns2Updates dyndns2 =
        new Dyndns2Updates(
            credentials, store, auditor, Runnable::run, clock, nodeId, loginFailures);
    try {
      listener =
          Listener.tcp(
              loops,
              "gateway",
              settings.host(),
              settings.port(),
              new GatewayServerInitializer(
                  tls,
                  settings,
                  observer,
                  refusals,
                  () ->
                      new GatewayHandler(
                          reports,
                          dyndns2,
                          perSource,
                          workers,
                          dyndns2Workers,
                          observer,
                          refusals)),
              b -> b);
    } catch (IllegalStateException e) {
      close();
      throw e;
    }
    log.info("gateway listening address={} tls={}", address(), tls.isPresent());
  }

  /** The bound address (useful when started on port 0). */
  public InetSocketAddress address() {
    return listener.address();
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
    if (ownLoops != null) {
      ownLoops.close();
    }
    if (workers != null) {
      workers.shutdown();
      dyndns2Workers.shutdown();
    }
    if (auditor != null) {
      auditor.close();
    }
  }

  private static SslContext sslContext(GatewaySettings.Tls tls) {
    try {
      return SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile())
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "gateway TLS: cannot use certificate "
              + tls.certificateChain()
              + " and key "
              + tls.privateKey()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
