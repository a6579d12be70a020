package io.haddns.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.store.ZkClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperIT {
  @TempDir Path dir;

  private static ZkClient connect(EmbeddedZooKeeper zk) {
    ZkClient c = new ZkClient(zk.connectString(), Duration.ofSeconds(6), Duration.ofSeconds(3));
    c.start();
    assertThat(c.awaitConnected(Duration.ofSeconds(10))).isTrue();
    return c;
  }

  @Test
  void keepsDataAcrossRestartOnTheSameDirectory() throws Exception {
    int port;
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir, "127.0.0.1", 0)) {
      zk.start(Duration.ofSeconds(30));
      port = zk.port();
      try (ZkClient c = connect(zk)) {
        c.curator()
            .create()
            .creatingParentsIfNeeded()
            .forPath("/haddns/x", "kept".getBytes(StandardCharsets.UTF_8));
      }
    }
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir, "127.0.0.1", port)) {
      zk.start(Duration.ofSeconds(30));
      try (ZkClient c = connect(zk)) {
        assertThat(new String(c.curator().getData().forPath("/haddns/x"), StandardCharsets.UTF_8))
            .isEqualTo("kept");
      }
    }
  }

  @Test
  void honoursShortSessionTimeouts() throws Exception {
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir, "127.0.0.1", 0)) {
      zk.start(Duration.ofSeconds(30));
      ZkClient c = new ZkClient(zk.connectString(), Duration.ofSeconds(2), Duration.ofSeconds(1));
      c.start();
      try (c) {
        assertThat(c.awaitConnected(Duration.ofSeconds(10))).isTrue();
        assertThat(c.curator().getZookeeperClient().getZooKeeper().getSessionTimeout())
            .isEqualTo(2000);
      }
    }
  }

  @Test
  void portInUseFailsWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir, "127.0.0.1", taken.getLocalPort());
      assertThatThrownBy(() -> zk.start(Duration.ofSeconds(10)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("in use");
    }
  }

  @Test
  void unwritableDataDirectoryFailsWithAClearMessage() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(file.resolve("zk"), "127.0.0.1", 0);
    assertThatThrownBy(() -> zk.start(Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("data directory");
  }
}
