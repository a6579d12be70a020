package io.haddns.controller.runtime;

import io.haddns.controller.config.Secret;
import io.haddns.controller.config.ZooKeeperAccess;
import io.haddns.controller.store.ZkAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Turns {@code cluster.zookeeperAuth} and {@code cluster.zookeeperTls} into a client's access. */
final class ZooKeeperClientAccess {
  /** The JVM-wide property ZooKeeper's SASL login reads the JAAS file from. */
  static final String JAAS_PROPERTY = "java.security.auth.login.config";

  private ZooKeeperClientAccess() {}

  static ZkAccess of(ZooKeeperAccess config) throws StartupException {
    ZkAccess access =
        switch (config.auth()) {
          case ZooKeeperAccess.Auth.None none -> ZkAccess.open();
          case ZooKeeperAccess.Auth.Digest d -> ZkAccess.digest(d.user(), text(d.secret()));
          case ZooKeeperAccess.Auth.Sasl s -> {
            if (s.jaasFile().isPresent()) {
              useJaasFile(s.jaasFile().get());
            }
            yield ZkAccess.sasl(s.principal(), s.loginContext());
          }
        };
    if (config.migrateAcl()) {
      access = access.withAclMigration();
    }
    if (config.tls().isPresent()) {
      ZooKeeperAccess.Tls t = config.tls().get();
      access =
          access.withTls(
              new ZkAccess.Tls(
                  t.keyStore(),
                  t.keyStorePassword().map(ZooKeeperClientAccess::text),
                  t.trustStore(),
                  t.trustStorePassword().map(ZooKeeperClientAccess::text),
                  t.hostnameVerification()));
    }
    return access;
  }

  // ZooKeeper's SASL login takes the JAAS file from this JVM-wide property only; nodes sharing a
  // JVM must therefore name the same file (their loginContext may differ).
  private static synchronized void useJaasFile(Path file) throws StartupException {
    String current = System.getProperty(JAAS_PROPERTY);
    String wanted = file.toAbsolutePath().toString();
    if (current == null) {
      System.setProperty(JAAS_PROPERTY, wanted);
    } else if (!current.equals(wanted)) {
      throw new StartupException(
          "cluster.zookeeperAuth.jaasFile "
              + wanted
              + " differs from the JAAS file this JVM already uses ("
              + JAAS_PROPERTY
              + "="
              + current
              + ")",
          null);
    }
  }

  private static String text(Secret secret) {
    return new String(secret.value(), StandardCharsets.UTF_8);
  }
}
