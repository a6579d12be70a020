package io.haddns.controller.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How nodes authenticate to an external ZooKeeper ensemble ({@code cluster.zookeeperAuth}) and
 * whether they speak TLS to it ({@code cluster.zookeeperTls}). The embedded ZooKeeper needs none of
 * it: its clients use the secret it generates.
 *
 * @param migrateAcl whether a tree an older version left open may be re-secured at start
 */
public record ZooKeeperAccess(Auth auth, boolean migrateAcl, Optional<Tls> tls) {
  public ZooKeeperAccess {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(tls, "tls");
  }

  /** The authentication scheme: a closed set. */
  public sealed interface Auth {
    /** No authentication: the tree is open to anyone who can reach ZooKeeper. */
    record None() implements Auth {}

    /** ZooKeeper digest authentication; the secret's bytes are the password (UTF-8 text). */
    record Digest(String user, Secret secret) implements Auth {
      public Digest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
      }
    }

    /**
     * SASL (Kerberos) through JAAS.
     *
     * @param principal the name the servers authenticate haddns as: the ACL grants it all rights
     * @param loginContext the JAAS section to log in with
     * @param jaasFile the JAAS file, when not given to the JVM as {@code
     *     java.security.auth.login.config} already
     */
    record Sasl(String principal, String loginContext, Optional<Path> jaasFile) implements Auth {
      public Sasl {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(loginContext, "loginContext");
        Objects.requireNonNull(jaasFile, "jaasFile");
      }
    }
  }

  /** TLS to the ensemble (ZooKeeper's {@code zookeeper.client.secure}). */
  public record Tls(
      Optional<Path> keyStore,
      Optional<Secret> keyStorePassword,
      Optional<Path> trustStore,
      Optional<Secret> trustStorePassword,
      boolean hostnameVerification) {
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(keyStorePassword, "keyStorePassword");
      Objects.requireNonNull(trustStore, "trustStore");
      Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    }
  }
}
