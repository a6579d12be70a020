package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.HaddnsJar;
import io.haddns.controller.zookeeper.ZkSecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haddns zookeeper --data DIR --port N} run as its own process, as a local cluster uses it.
 */
class ZooKeeperCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void servesClientsAndKeepsItsDataAcrossARestart() throws Exception {
    HaddnsJar jar = HaddnsJar.require();
    int port = ZkTestServers.freePort();
    Path data = dir.resolve("zk");
    String connect = "127.0.0.1:" + port;
    String secret;

    try (Standalone zk = Standalone.start(jar, dir, data, port, "first")) {
      zk.awaitListening(connect);
      Path secretFile = data.resolve(ZkSecretFile.FILE_NAME);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  Files.readString(zk.stdout())
                      .contains(
                          "nodes' cluster.zookeeperAuth: "
                              + new ZkSecretFile(secretFile, new SecureRandom())
                                  .clusterAuthYaml()));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)))
          .isEqualTo("rw-------");
      secret = Files.readString(secretFile);
      assertThat(Files.readString(zk.stdout())).doesNotContain(secret.strip());
      try (ZkClient client = ZkTestServers.client(connect)) {
        assertThat(client.awaitConnected(WAIT)).isTrue();
        client
            .curator()
            .create()
            .creatingParentsIfNeeded()
            .forPath("/it/kept", "written before the restart".getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(data).isDirectory();

    try (Standalone zk = Standalone.start(jar, dir, data, port, "second")) {
      zk.awaitListening(connect);
      assertThat(Files.readString(data.resolve(ZkSecretFile.FILE_NAME)))
          .as("the secret is reused after a restart")
          .isEqualTo(secret);
      try (ZkClient client = ZkTestServers.client(connect)) {
        assertThat(client.awaitConnected(WAIT)).isTrue();
        byte[] kept = client.curator().getData().forPath("/it/kept");
        assertThat(new String(kept, StandardCharsets.UTF_8))
            .isEqualTo("written before the restart");
      }
    }
  }

  /** One {@code haddns zookeeper} process; closing it sends SIGTERM and waits for it to exit. */
  private record Standalone(Process process, Path stdout) implements AutoCloseable {
    static Standalone start(HaddnsJar jar, Path dir, Path data, int port, String name)
        throws IOException {
      Path out = dir.resolve(name + ".stdout");
      Process p =
          new ProcessBuilder(
                  jar.command(
                      "zookeeper", "--data", data.toString(), "--port", Integer.toString(port)))
              .redirectOutput(out.toFile())
              .redirectError(dir.resolve(name + ".stderr").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      return new Standalone(p, out);
    }

    void awaitListening(String connect) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                assertThat(process.isAlive()).as("haddns zookeeper is running").isTrue();
                return Files.readString(stdout).contains("zookeeper listening on " + connect);
              });
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("haddns zookeeper did not stop on SIGTERM within 20 s");
      }
    }
  }
}
