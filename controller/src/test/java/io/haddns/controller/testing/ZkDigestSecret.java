package io.haddns.controller.testing;

import io.haddns.controller.store.ZkAccess;
import io.haddns.controller.zookeeper.ZkSecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The digest identity test clusters authenticate to curator-test's ZooKeeper with (digest works on
 * any server without server settings): a 0600 secret file in the test's directory, made once and
 * reused, as the embedded ZooKeeper does.
 */
public final class ZkDigestSecret {
  /** The file's name in the test's directory. */
  public static final String FILE_NAME = "zk-digest.secret";

  private ZkDigestSecret() {}

  /** The {@code cluster.zookeeperAuth} value of nodes sharing {@code dir}'s secret. */
  public static String yaml(Path dir) {
    ZkSecretFile file = file(dir);
    read(file);
    return file.clusterAuthYaml();
  }

  /** The access of an in-JVM client with the same identity as the nodes, e.g. to inspect state. */
  public static ZkAccess access(Path dir) {
    return ZkAccess.digest(ZkSecretFile.USER, read(file(dir)));
  }

  private static ZkSecretFile file(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ZkSecretFile(dir.toAbsolutePath().resolve(FILE_NAME), new SecureRandom());
  }

  private static String read(ZkSecretFile file) {
    try {
      return file.loadOrCreate();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
