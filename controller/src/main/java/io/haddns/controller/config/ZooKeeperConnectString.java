package io.haddns.controller.config;

import java.util.Arrays;
import java.util.Optional;
import org.apache.zookeeper.common.PathUtils;

/**
 * Checks a ZooKeeper connect string, {@code host:port[,host:port…][/chroot]}, the way ZooKeeper's
 * own {@code ConnectStringParser} reads it (a missing port means 2181), but failing at start
 * instead of at the first connection attempt.
 */
final class ZooKeeperConnectString {
  static final int DEFAULT_PORT = 2181;

  private ZooKeeperConnectString() {}

  /** {@code connect} without blanks around its servers: "zk-0:2181, zk-1:2181" is common. */
  static String normalize(String connect) {
    int slash = connect.indexOf('/');
    String servers = slash >= 0 ? connect.substring(0, slash) : connect;
    String chroot = slash >= 0 ? connect.substring(slash).trim() : "";
    return String.join(",", Arrays.stream(servers.split(",", -1)).map(String::trim).toList())
        + chroot;
  }

  /** Why {@code connect} is malformed, or empty when it is fine. */
  static Optional<String> problem(String connect) {
    String servers = connect;
    int slash = connect.indexOf('/');
    if (slash >= 0) {
      String chroot = connect.substring(slash);
      servers = connect.substring(0, slash);
      if (chroot.length() > 1) {
        try {
          PathUtils.validatePath(chroot);
        } catch (IllegalArgumentException e) {
          return Optional.of("chroot '" + chroot + "' is not a valid ZooKeeper path");
        }
      }
    }
    if (servers.isBlank()) {
      return Optional.of("names no server; expected host:port[,host:port…][/chroot]");
    }
    for (String server : servers.split(",", -1)) {
      try {
        HostPort.parse(server, DEFAULT_PORT);
      } catch (IllegalArgumentException e) {
        return Optional.of(
            "server '" + server.trim() + "' " + e.getMessage() + " (expected host:port)");
      }
    }
    return Optional.empty();
  }
}
