package io.haddns.controller.zookeeper;

import io.haddns.controller.store.ZkAccess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node ZooKeeper server inside this process, for one-machine installs and local clusters.
 * Data is kept under {@code dataDir} and survives restarts; old snapshots and logs are purged
 * automatically. Clients authenticate with ZooKeeper digest authentication, user {@code haddns},
 * and a secret generated on first start and kept in {@code dataDir} (see {@link ZkSecretFile}); the
 * nodes haddns creates grant rights to that identity only. The admin HTTP server is off, and
 * ZooKeeper's exit handler only logs: it never ends the process. Clients connect to it as to any
 * ZooKeeper.
 *
 * <p>The tick is short (250 ms) so that session timeouts from 1 s to 60 s are honoured as
 * configured (ZooKeeper clamps sessions to 2–20 ticks unless told otherwise).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
  private static final int TICK_MS = 250;

  private final Path dataDir;
  private final String host;
  private final int requestedPort;
  private final ZkSecretFile secretFile;
  private ZooKeeperServerEmbedded server;
  private int port;
  private String secret;

  /**
   * @param port the client port; 0 picks a free one
   */
  public EmbeddedZooKeeper(Path dataDir, String host, int port) {
    this.dataDir = dataDir;
    this.host = host;
    this.requestedPort = port;
    this.secretFile = new ZkSecretFile(dataDir.resolve(ZkSecretFile.FILE_NAME), new SecureRandom());
  }

  /** Starts the server and waits until it serves; fails clearly on an unusable dir or port. */
  public void start(Duration timeout) throws IOException {
    try {
      if (!Files.isDirectory(dataDir)) {
        // Owner only: the data holds every record and the clients' secret.
        Files.createDirectories(
            dataDir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new IOException("zookeeper data directory " + dataDir + " cannot be created: " + e, e);
    }
    if (!Files.isWritable(dataDir)) {
      throw new IOException("zookeeper data directory " + dataDir + " is not writable");
    }
    secret = secretFile.loadOrCreate();
    port = requestedPort == 0 ? freePort(host) : requestedPort;
    ensurePortFree(host, port);
    Properties p = new Properties();
    p.setProperty("tickTime", Integer.toString(TICK_MS));
    p.setProperty("minSessionTimeout", "1000");
    p.setProperty("maxSessionTimeout", "60000");
    p.setProperty("initLimit", "20");
    p.setProperty("syncLimit", "10");
    p.setProperty("dataDir", dataDir.resolve("data").toAbsolutePath().toString());
    p.setProperty("clientPortAddress", host);
    p.setProperty("clientPort", Integer.toString(port));
    p.setProperty("admin.enableServer", "false");
    p.setProperty("autopurge.snapRetainCount", "3");
    p.setProperty("autopurge.purgeInterval", "1");
    p.setProperty("4lw.commands.whitelist", "ruok,srvr,mntr");
    try {
      server =
          ZooKeeperServerEmbedded.builder()
              .baseDir(dataDir.toAbsolutePath())
              .configuration(p)
              .exitHandler(ExitHandler.LOG_ONLY)
              .build();
      server.start(timeout.toMillis());
    } catch (IOException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IOException("zookeeper could not start on " + host + ":" + port + ": " + e, e);
    }
    log.info("zookeeper embedded started address={}:{} dataDir={}", host, port, dataDir);
  }

  /**
   * The file holding the digest secret its clients authenticate with (mode 0600, in the data
   * directory); nodes point {@code cluster.zookeeperAuth.secretFile} at it.
   */
  public Path secretFile() {
    return secretFile.file();
  }

  /**
   * The {@code cluster.zookeeperAuth} value for nodes in other processes (see {@link
   * ZkSecretFile}).
   */
  public String clusterAuthYaml() {
    return secretFile.clusterAuthYaml();
  }

  /** How haddns nodes in this process authenticate to this server; only after {@link #start}. */
  public ZkAccess clientAccess() {
    if (secret == null) {
      throw new IllegalStateException("zookeeper embedded: not started");
    }
    return ZkAccess.digest(ZkSecretFile.USER, secret);
  }

  /** The connect string for clients, e.g. {@code 127.0.0.1:2181}. */
  public String connectString() {
    return host + ":" + port;
  }

  public int port() {
    return port;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  private static void ensurePortFree(String host, int port) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IOException(
          "zookeeper cannot listen on "
              + host
              + ":"
              + port
              + " (already in use?): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
      server = null;
      log.info("zookeeper embedded stopped address={}:{}", host, port);
    }
  }
}
