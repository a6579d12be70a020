package io.haddns.controller.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the {@code cluster} section. */
final class ClusterSection {
  static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(2);
  static final Duration MAX_SESSION_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private ClusterSection() {}

  static Optional<ClusterConfig> read(YamlValue value, Path baseDir, SecretReader secrets) {
    Optional<YamlMap> section = value.map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map =
        section
            .get()
            .allow(
                "name",
                "zookeeper",
                "sessionTimeout",
                "connectionTimeout",
                "dataDir",
                "resyncInterval",
                "zookeeperAuth",
                "zookeeperTls",
                "leaderLease");
    Optional<String> name =
        map.required("name").flatMap(YamlValue::string).filter(n -> validName(map, n));
    Optional<String> zookeeper = Optional.empty();
    boolean zookeeperOk = true;
    if (map.get("zookeeper").isPresent()) {
      YamlValue zk = map.get("zookeeper").get();
      zookeeper = zk.string().map(ZooKeeperConnectString::normalize);
      Optional<String> problem = zookeeper.flatMap(ZooKeeperConnectString::problem);
      problem.ifPresent(zk::problem);
      zookeeperOk = zookeeper.isPresent() && problem.isEmpty();
    }
    Optional<ZooKeeperAccess> access = Optional.empty();
    boolean accessOk = true;
    if (map.has("zookeeper")) {
      access = new ZooKeeperAccessSection(secrets, baseDir).read(map);
      accessOk = access.isPresent();
    } else {
      for (String key : List.of("zookeeperAuth", "zookeeperTls")) {
        map.get(key)
            .ifPresent(
                v ->
                    v.problemHidingValue(
                        "applies only with cluster.zookeeper; the embedded ZooKeeper's clients"
                            + " use the secret it generates in its data directory"));
        accessOk &= !map.has(key);
      }
    }
    Optional<Duration> session =
        map.get("sessionTimeout")
            .map(v -> v.duration(MIN_SESSION_TIMEOUT, MAX_SESSION_TIMEOUT))
            .orElse(Optional.of(ClusterConfig.DEFAULT_SESSION_TIMEOUT));
    Optional<Duration> connection =
        map.get("connectionTimeout")
            .map(v -> v.duration(Duration.ofMillis(1)))
            .orElse(Optional.of(ClusterConfig.DEFAULT_CONNECTION_TIMEOUT));
    if (session.isPresent()
        && connection.isPresent()
        && connection.get().compareTo(session.get()) > 0) {
      YamlValue where =
          map.get("connectionTimeout").or(() -> map.get("sessionTimeout")).orElseThrow();
      where.problem(
          "cluster.connectionTimeout ("
              + DurationSyntax.format(connection.get())
              + ") must not exceed cluster.sessionTimeout ("
              + DurationSyntax.format(session.get())
              + "): Curator would cut it to the session timeout");
      connection = Optional.empty();
    }
    Optional<Path> dataDir =
        map.get("dataDir")
            .map(v -> v.string().flatMap(s -> path(v, s)))
            .orElse(Optional.of(ClusterConfig.DEFAULT_DATA_DIR))
            .map(p -> baseDir.resolve(p).normalize());
    Optional<Duration> resync =
        map.get("resyncInterval")
            .map(v -> v.duration(Duration.ofSeconds(1)))
            .orElse(Optional.of(ClusterConfig.DEFAULT_RESYNC_INTERVAL));
    Optional<LeaderLeaseConfig> lease =
        session.flatMap(s -> LeaderLeaseSection.read(map.get("leaderLease"), s));
    if (name.isEmpty()
        || lease.isEmpty()
        || !zookeeperOk
        || !accessOk
        || session.isEmpty()
        || connection.isEmpty()
        || dataDir.isEmpty()
        || resync.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ClusterConfig(
            name.get(),
            zookeeper,
            access,
            session.get(),
            connection.get(),
            dataDir.get(),
            resync.get(),
            lease.get()));
  }

  private static boolean validName(YamlMap map, String name) {
    if (NAME.matcher(name).matches()) {
      return true;
    }
    map.get("name")
        .orElseThrow()
        .problem(
            "must be 1 to 63 lower-case letters, digits or '-', starting with a letter or digit"
                + " (it names the cluster's ZooKeeper path)");
    return false;
  }

  static Optional<Path> path(YamlValue value, String text) {
    if (text.isBlank()) {
      value.problem("must not be empty");
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      value.problem("is not a valid path: " + e.getReason());
      return Optional.empty();
    }
  }
}
