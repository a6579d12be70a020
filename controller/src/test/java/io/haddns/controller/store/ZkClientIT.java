package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.haddns.controller.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZkClientIT {
  private LogCapture logs;
  private TestingServer server;
  private ZkClient client;

  @BeforeEach
  void capture() throws Exception {
    logs = LogCapture.start();
  }

  @AfterEach
  void closeAll() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    logs.close();
  }

  private List<String> lines() {
    return logs.from(ZkClient.class.getName()).stream()
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void logsEachConnectionStateChangeOnceThroughAnOutageLongerThanTheSession() throws Exception {
    server = ZkTestServers.server();
    String name = "zookeeper=" + server.getConnectString();
    client = ZkTestServers.client(server.getConnectString());
    assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();

    int port = server.getPort();
    server.stop();
    // Past the 2.5 s session: Curator declares the session lost while the server is away.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> lines().contains(name + " lost: session expired or unconfirmed, still trying"));
    server.restart();
    assertThat(server.getPort()).isEqualTo(port);
    await().atMost(Duration.ofSeconds(15)).until(() -> lines().contains(name + " reconnected"));

    assertThat(lines())
        .containsExactly(
            name + " connecting (session timeout 2500ms, access none)",
            name + " connected",
            name + " suspended: connection lost, session may survive",
            name + " lost: session expired or unconfirmed, still trying",
            name + " reconnected");
  }

  @Test
  void saysOnceThatZooKeeperIsNotReachableWhileItKeepsTrying() throws Exception {
    int port = ZkTestServers.freePort();
    String name = "zookeeper=127.0.0.1:" + port;
    client = ZkTestServers.client("127.0.0.1:" + port);

    // The connection timeout is 1 s: the warning comes once, however many retries follow.
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> !client.isConnected());
    assertThat(lines())
        .containsExactly(
            name + " connecting (session timeout 2500ms, access none)",
            name + " not reachable after 1s, still trying");

    server = ZkTestServers.server(port);
    assertThat(client.awaitConnected(Duration.ofSeconds(15))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> lines().contains(name + " connected"));
    assertThat(lines()).hasSize(3);
  }

  @Test
  void formatsWholeSecondsAndMilliseconds() {
    assertThat(ZkClient.seconds(Duration.ofSeconds(6))).isEqualTo("6s");
    assertThat(ZkClient.seconds(Duration.ofMillis(2500))).isEqualTo("2500ms");
  }
}
