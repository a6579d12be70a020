package io.haddns.controller.cli;

import io.haddns.controller.zookeeper.EmbeddedZooKeeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code haddns zookeeper}: a standalone single-node ZooKeeper for local multi-process clusters.
 * Its clients authenticate with the digest secret it generates in its data directory; it prints the
 * file and the {@code cluster.zookeeperAuth} value that points nodes at it.
 */
@Command(
    name = "zookeeper",
    description = "Run a standalone single-node ZooKeeper (for local clusters and tests).",
    mixinStandardHelpOptions = true)
final class ZooKeeperCommand implements Callable<Integer> {

  @Option(names = "--data", required = true, description = "Data directory (created if missing).")
  Path data;

  @Option(
      names = "--port",
      defaultValue = "2181",
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(data, host, port);
    try {
      zk.start(Duration.ofSeconds(30));
    } catch (IOException e) {
      spec.commandLine().getErr().println("haddns zookeeper: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println("zookeeper listening on " + zk.connectString());
    spec.commandLine()
        .getOut()
        .println(
            "zookeeper clients authenticate with the secret in "
                + zk.secretFile()
                + " (mode 0600; give nodes a copy readable only by their user)");
    spec.commandLine().getOut().println("  nodes' cluster.zookeeperAuth: " + zk.clusterAuthYaml());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  zk.close();
                  stopped.countDown();
                },
                "haddns-zookeeper-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
