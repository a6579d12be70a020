package io.haddns.controller.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Cluster-wide settings.
 *
 * @param zookeeper connect string; empty means an embedded single-node ZooKeeper under dataDir
 * @param zookeeperAccess authentication and TLS to the external ensemble; empty with the embedded
 *     ZooKeeper, whose clients use the secret it generates
 * @param dataDir absolute or relative to the working directory; the loader resolves a relative path
 *     in the file against the file's directory
 * @param resyncInterval how often the leader reads every zone back and repairs drift
 * @param leaderLease how followers detect a dead leader before its session expires
 */
public record ClusterConfig(
    String name,
    Optional<String> zookeeper,
    Optional<ZooKeeperAccess> zookeeperAccess,
    Duration sessionTimeout,
    Duration connectionTimeout,
    Path dataDir,
    Duration resyncInterval,
    LeaderLeaseConfig leaderLease) {

  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(60);

  /** Relative to the configuration file's directory. */
  public static final Path DEFAULT_DATA_DIR = Path.of("data");

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(zookeeper, "zookeeper");
    Objects.requireNonNull(zookeeperAccess, "zookeeperAccess");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    Objects.requireNonNull(leaderLease, "leaderLease");
  }

  /** Settings with the default leader lease. */
  public ClusterConfig(
      String name,
      Optional<String> zookeeper,
      Optional<ZooKeeperAccess> zookeeperAccess,
      Duration sessionTimeout,
      Duration connectionTimeout,
      Path dataDir,
      Duration resyncInterval) {
    this(
        name,
        zookeeper,
        zookeeperAccess,
        sessionTimeout,
        connectionTimeout,
        dataDir,
        resyncInterval,
        LeaderLeaseConfig.DEFAULTS);
  }

  /** Settings without {@code zookeeperAccess}, for the embedded ZooKeeper and tests. */
  public ClusterConfig(
      String name,
      Optional<String> zookeeper,
      Duration sessionTimeout,
      Duration connectionTimeout,
      Path dataDir,
      Duration resyncInterval) {
    this(
        name,
        zookeeper,
        Optional.empty(),
        sessionTimeout,
        connectionTimeout,
        dataDir,
        resyncInterval);
  }

  /**
   * How long one call to a DNS backend that cannot fence writes may take, and so how long a new
   * leader waits before its first write to such a backend: 30 % of the session timeout, shorter
   * than the third after which a cut-off leader has noticed it lost its session (see
   * docs/architecture.md).
   */
  public Duration unfencedCallLimit() {
    return sessionTimeout.multipliedBy(3).dividedBy(10);
  }
}
