package io.haddns.controller.admin;

import io.haddns.controller.auth.Authenticator;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.gateway.LoginFailures;
import io.haddns.controller.netty.EventLoops;
import io.haddns.controller.netty.Listener;
import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.netty.WorkerPools;
import io.haddns.controller.ui.DashboardAssets;
import io.haddns.controller.ui.SessionRoutes;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server for operators: health, readiness, Prometheus metrics, the admin API
 * ({@code GET /api/v1/status}, {@code GET /api/v1/whoami} and the routes given) and the web
 * dashboard ({@code /ui/}, docs/dashboard.md), with operator authentication (see {@link
 * AdminHandler}) and optional TLS and client certificates ({@code operators.tls}). Every node runs
 * one, leader or not. Lifecycle: {@link #start(EventLoops)} binds on the node's event loops, {@link
 * #start()} on event loops of its own (and either fails clearly if the port is taken or the TLS
 * files are unusable), {@link #close()} unbinds and closes its connections.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** 64 connections, 16 per source, a request within 10 s of its first byte. */
  public static final ListenerLimits DEFAULT_LIMITS =
      new ListenerLimits(64, 16, Duration.ofSeconds(10));

  private static final int WORKERS = 2;
  private static final int WORKER_QUEUE = 64;
  private static final int AUDIT_QUEUE = 10_000;
  private static final OpenApiDocument OPENAPI = OpenApiDocument.load();

  private final String host;
  private final int port;
  private final StatusSource source;
  private final PrometheusRegistry registry;
  private final ListenerLimits limits;
  private final AdminSecurity security;
  private final List<ApiRoute> routes;
  private EventLoops ownLoops;
  private ThreadPoolExecutor apiWorkers;
  private ThreadPoolExecutor auditWorker;
  private Listener listener;

  /** With the default connection limits and no operator credentials. */
  public AdminServer(String host, int port, StatusSource source, PrometheusRegistry registry) {
    this(host, port, source, registry, DEFAULT_LIMITS);
  }

  /** Without operator credentials: reads open, mutations refused. */
  public AdminServer(
      String host,
      int port,
      StatusSource source,
      PrometheusRegistry registry,
      ListenerLimits limits) {
    this(host, port, source, registry, limits, AdminSecurity.open(), List.of());
  }

  /**
   * @param routes admin API routes besides {@code GET /api/v1/status}
   */
  public AdminServer(
      String host,
      int port,
      StatusSource source,
      PrometheusRegistry registry,
      ListenerLimits limits,
      AdminSecurity security,
      List<ApiRoute> routes) {
    this.host = host;
    this.port = port;
    this.source = source;
    this.registry = registry;
    this.limits = limits;
    this.security = security;
    this.routes = List.copyOf(routes);
  }

  /** Binds on event loops of its own, closed with this server. */
  public void start() {
    ownLoops = EventLoops.standalone("haddns-admin", this::start);
  }

  /** Binds on {@code loops}, which outlive this server. */
  public void start(EventLoops loops) {
    Optional<SslContext> tls = security.operators().tls().map(AdminServer::sslContext);
    apiWorkers = WorkerPools.bounded("haddns-admin-api-", WORKERS, WORKER_QUEUE);
    auditWorker = WorkerPools.bounded("haddns-admin-audit-", 1, AUDIT_QUEUE);
    AdminContext shared = context(source, registry, security, routes, apiWorkers, auditWorker);
    try {
      listener =
          Listener.tcp(
              loops,
              "admin server",
              host,
              port,
              new AdminServerInitializer(shared, limits, tls),
              // Few answers, some of them megabytes (the status of 10,000 records): from the
              // shared pool, the largest would stay allocated in every pool arena that served
              // one; unpooled, each answer's buffer is freed once it is written
              // (docs/benchmarks.md, "Controller memory").
              b -> b.childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT));
    } catch (IllegalStateException e) {
      close();
      throw e;
    }
    log.info(
        "admin server listening address={} tls={} operatorCredentials={}",
        address(),
        tls.isPresent(),
        security.operators().anyCredential());
  }

  /** The handlers' shared state; separate so tests can build a pipeline without a server. */
  static AdminContext context(
      StatusSource source,
      PrometheusRegistry registry,
      AdminSecurity security,
      List<ApiRoute> routes,
      java.util.concurrent.Executor apiWorkers,
      java.util.concurrent.Executor auditWorker) {
    OperatorsConfig operators = security.operators();
    return new AdminContext(
        source,
        registry,
        table(source, routes),
        new Authenticator(security.cluster(), operators, security.clock()),
        new LoginFailures(
            operators.maxFailuresPerMinute(), Duration.ofMinutes(1), security.clock()),
        new OperatorAudit(security.auditSink(), auditWorker, security.clock(), security.nodeId()),
        operators.metricsRequireToken(),
        apiWorkers,
        DashboardAssets.shipped());
  }

  /**
   * Every admin API route this server serves: {@code GET /api/v1/status}, {@code GET} {@value
   * OpenApiDocument#PATH}, the session's ({@code GET /api/v1/whoami}) and the routes it was given.
   * Health, readiness and metrics are not API routes.
   */
  public List<ApiRoute> routes() {
    return table(source, routes);
  }

  private static List<ApiRoute> table(StatusSource source, List<ApiRoute> routes) {
    List<ApiRoute> all = new ArrayList<>();
    all.add(
        ApiRoute.of(
            HttpMethod.GET,
            "/api/v1/status",
            OperatorRole.VIEWER,
            r -> CompletableFuture.completedFuture(ApiResponse.ok(source.status()))));
    all.add(ApiRoute.of(HttpMethod.GET, OpenApiDocument.PATH, OperatorRole.VIEWER, OPENAPI::serve));
    all.addAll(SessionRoutes.routes());
    all.addAll(routes);
    return List.copyOf(all);
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
    if (apiWorkers != null) {
      apiWorkers.shutdown();
      auditWorker.shutdown();
      try {
        // Audit events already accepted are written before the node lets go of ZooKeeper.
        auditWorker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The admin port's TLS, built as the gateway's: PEM chain and PKCS#8 key; with a client CA, a
   * client certificate that CA signed is required in the handshake.
   */
  private static SslContext sslContext(OperatorsConfig.Tls tls) {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(tls.certificateFile().toFile(), tls.keyFile().toFile());
      if (tls.clientCaFile().isPresent()) {
        b.trustManager(tls.clientCaFile().get().toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "admin TLS: cannot use certificate "
              + tls.certificateFile()
              + ", key "
              + tls.keyFile()
              + tls.clientCaFile().map(c -> " and client CA " + c).orElse("")
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
