package io.haddns.controller.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one Curator client, configured the way haddns needs it: an explicit session timeout
 * (never Curator's 60 s default, which servers silently clamp), the standard connection-state error
 * policy (SUSPENDED counts as an error, so a LeaderLatch gives up leadership at once), exponential
 * backoff, and one log line per connection-state change: {@code connecting} at start, {@code not
 * reachable after …, still trying} once if the first connection takes longer than the connection
 * timeout (Curator reports no state before a first connection, and its own per-retry lines are
 * silenced in logback.xml), then {@code connected}, {@code suspended}, {@code lost}, {@code
 * reconnected}, {@code read-only}.
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} never throws because ZooKeeper is
 * unreachable — the client keeps retrying in the background and {@link #isConnected()} tells
 * whether it currently has a connection. Thread-safe.
 */
public final class ZkClient implements AutoCloseable {
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  private static final Logger log = LoggerFactory.getLogger(ZkClient.class);

  private final CuratorFramework curator;
  private final ZkAccess access;
  private final String connectString;
  private final Duration sessionTimeout;
  private final Duration connectionTimeout;
  private final AtomicBoolean everConnected = new AtomicBoolean();
  private final AtomicReference<ConnectionState> state = new AtomicReference<>();
  private final ScheduledExecutorService patience =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("haddns-zk-patience").factory());

  /**
   * @param connectString {@code host:port[,host:port…]}
   * @param sessionTimeout requested session timeout; the server may clamp it to [2, 20] ticks
   * @param connectionTimeout how long one connection attempt may take
   */
  public ZkClient(String connectString, Duration sessionTimeout, Duration connectionTimeout) {
    this(connectString, sessionTimeout, connectionTimeout, ZkAccess.open());
  }

  /**
   * @param access the credentials every session presents and the ACL every node created through
   *     this client carries (parents made by {@code creatingParentsIfNeeded}, transaction creates
   *     and recipes' nodes too: Curator takes them all from the client's ACL provider)
   */
  public ZkClient(
      String connectString, Duration sessionTimeout, Duration connectionTimeout, ZkAccess access) {
    this.access = Objects.requireNonNull(access, "access");
    this.connectString = Objects.requireNonNull(connectString, "connectString");
    requirePositive("sessionTimeout", sessionTimeout);
    requirePositive("connectionTimeout", connectionTimeout);
    this.sessionTimeout = sessionTimeout;
    this.connectionTimeout = connectionTimeout;
    this.curator =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
            .connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
            .retryPolicy(new ExponentialBackoffRetry(100, 5, 1000))
            .connectionStateErrorPolicy(new StandardConnectionStateErrorPolicy())
            // The configured connect string is authoritative: ensemble tracking would replace it
            // with the servers' own addresses from /zookeeper/config, bypassing the names (a
            // Kubernetes service, a proxy) the operator chose.
            .ensembleTracker(false)
            .authorization(access.authInfos())
            .aclProvider(new FixedAclProvider(access.acl()))
            .zkClientConfig(access.clientConfig())
            .build();
  }

  /** Starts connecting in the background; returns at once. */
  public void start() {
    curator.getConnectionStateListenable().addListener((client, newState) -> changed(newState));
    log.info(
        "zookeeper={} connecting (session timeout {}, access {})",
        connectString,
        seconds(sessionTimeout),
        access);
    curator.start();
    patience.schedule(this::stillConnecting, connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void changed(ConnectionState newState) {
    if (!everConnected.get() && newState != ConnectionState.CONNECTED) {
      // Before a first connection, a recipe's failed attempt makes Curator report SUSPENDED and
      // LOST for a session that never existed: "not reachable" already said it.
      log.debug("zookeeper={} state={} before a first connection", connectString, newState);
      return;
    }
    state.set(newState);
    switch (newState) {
      case CONNECTED -> {
        everConnected.set(true);
        log.info("zookeeper={} connected", connectString);
      }
      case RECONNECTED -> log.info("zookeeper={} reconnected", connectString);
      case SUSPENDED ->
          log.warn("zookeeper={} suspended: connection lost, session may survive", connectString);
      case LOST ->
          log.warn(
              "zookeeper={} lost: session expired or unconfirmed, still trying", connectString);
      case READ_ONLY -> log.warn("zookeeper={} read-only", connectString);
    }
  }

  private void stillConnecting() {
    if (!everConnected.get() && curator.getState() == CuratorFrameworkState.STARTED) {
      log.warn(
          "zookeeper={} not reachable after {}, still trying",
          connectString,
          seconds(connectionTimeout));
    }
  }

  /** {@code 6s}, or {@code 2500ms} when not whole seconds. */
  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** True while the client holds a live connection to a ZooKeeper server. */
  public boolean isConnected() {
    return curator.getState() == CuratorFrameworkState.STARTED
        && curator.getZookeeperClient().isConnected();
  }

  /** The client's connection, as a closed set of states for status and metrics. */
  public enum Connection {
    /** Started, never connected yet. */
    CONNECTING,
    CONNECTED,
    /** Connection lost; the session may still be alive. */
    SUSPENDED,
    /** The session expired or was given up; a new one is being made. */
    LOST,
    READ_ONLY,
    CLOSED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The current connection state, from the last connection-state event. */
  public Connection connection() {
    if (curator.getState() == CuratorFrameworkState.STOPPED) {
      return Connection.CLOSED;
    }
    ConnectionState s = state.get();
    if (s == null) {
      return Connection.CONNECTING;
    }
    return switch (s) {
      case CONNECTED, RECONNECTED -> Connection.CONNECTED;
      case SUSPENDED -> Connection.SUSPENDED;
      case LOST -> Connection.LOST;
      case READ_ONLY -> Connection.READ_ONLY;
    };
  }

  /** Waits up to {@code timeout} for a connection; false when none came. */
  public boolean awaitConnected(Duration timeout) {
    try {
      return curator.blockUntilConnected(
          Math.toIntExact(timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The credentials and ACL of this client. */
  public ZkAccess access() {
    return access;
  }

  /** The underlying client, for recipes (LeaderLatch, CuratorCache) and the store. */
  public CuratorFramework curator() {
    return curator;
  }

  @Override
  public void close() {
    patience.shutdownNow();
    curator.close();
  }

  private static void requirePositive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, was " + d);
    }
  }
}
