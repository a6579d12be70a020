package io.haddns.controller.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.curator.framework.AuthInfo;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * Who haddns is to ZooKeeper, and who may touch its nodes: the credentials a session presents, the
 * ACL every node haddns creates carries (all rights for the cluster's identity, none for anyone
 * else), and the client settings (SASL, TLS) of one client. Settings are per client (a {@link
 * ZKClientConfig}), never JVM-wide, so that several nodes in one process do not clash; only the
 * JAAS file of SASL is JVM-wide, as ZooKeeper reads it so.
 *
 * <p>Never prints a secret: {@link #toString()} names the scheme and the identity only.
 */
public final class ZkAccess {
  /** ZooKeeper's client socket that speaks TLS. */
  static final String NETTY_SOCKET = "org.apache.zookeeper.ClientCnxnSocketNetty";

  private final String scheme;
  private final String identity;
  private final List<AuthInfo> authInfos;
  private final List<ACL> acl;
  private final boolean sasl;
  private final String loginContext;
  private final Optional<Tls> tls;
  private final boolean migrateAcl;

  private ZkAccess(
      String scheme,
      String identity,
      List<AuthInfo> authInfos,
      List<ACL> acl,
      boolean sasl,
      String loginContext,
      Optional<Tls> tls,
      boolean migrateAcl) {
    this.scheme = scheme;
    this.identity = identity;
    this.authInfos = List.copyOf(authInfos);
    // Not List.copyOf: ZooKeeper's create() asks the list whether it contains null, which an
    // immutable List answers with a NullPointerException.
    this.acl = Collections.unmodifiableList(new ArrayList<>(acl));
    this.sasl = sasl;
    this.loginContext = loginContext;
    this.tls = tls;
    this.migrateAcl = migrateAcl;
  }

  /**
   * TLS to ZooKeeper (ZooKeeper's {@code zookeeper.client.secure} with the Netty socket).
   *
   * @param keyStore the client's key store, for servers that require client certificates
   * @param trustStore the CAs that sign the servers' certificates
   * @param hostnameVerification whether server certificates must name the host connected to
   */
  public record Tls(
      Optional<Path> keyStore,
      Optional<String> keyStorePassword,
      Optional<Path> trustStore,
      Optional<String> trustStorePassword,
      boolean hostnameVerification) {
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(keyStorePassword, "keyStorePassword");
      Objects.requireNonNull(trustStore, "trustStore");
      Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
  }

  /**
   * No authentication: nodes are created open to anyone who can reach ZooKeeper. Only for an
   * operator who explicitly chose it (or tests of the refusal).
   */
  public static ZkAccess open() {
    return new ZkAccess(
        "none",
        "anyone",
        List.of(),
        List.of(new ACL(Perms.ALL, new Id("world", "anyone"))),
        false,
        "",
        Optional.empty(),
        false);
  }

  /** ZooKeeper digest authentication as {@code user} with {@code password}. */
  public static ZkAccess digest(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("digest user must be non-empty without ':', was " + user);
    }
    String credentials = user + ":" + password;
    String digest;
    try {
      digest = DigestAuthenticationProvider.generateDigest(credentials);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("digest: SHA-1 is not available in this JVM", e);
    }
    return new ZkAccess(
        "digest",
        user,
        List.of(new AuthInfo("digest", credentials.getBytes(StandardCharsets.UTF_8))),
        List.of(new ACL(Perms.ALL, new Id("digest", digest))),
        false,
        "",
        Optional.empty(),
        false);
  }

  /**
   * SASL (Kerberos, or DIGEST-MD5) through the JAAS section {@code loginContext}; the ACL grants
   * all rights to {@code principal}, the name the servers authenticate the client as.
   */
  public static ZkAccess sasl(String principal, String loginContext) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(loginContext, "loginContext");
    return new ZkAccess(
        "sasl",
        principal,
        List.of(),
        List.of(new ACL(Perms.ALL, new Id("sasl", principal))),
        true,
        loginContext,
        Optional.empty(),
        false);
  }

  /** The same access over TLS. */
  public ZkAccess withTls(Tls settings) {
    return new ZkAccess(
        scheme, identity, authInfos, acl, sasl, loginContext, Optional.of(settings), migrateAcl);
  }

  /**
   * The same access, allowed to re-secure a tree an older version left open: every node under the
   * cluster's root gets this access's ACL (see docs/architecture.md, ZooKeeper access).
   */
  public ZkAccess withAclMigration() {
    return new ZkAccess(scheme, identity, authInfos, acl, sasl, loginContext, tls, true);
  }

  /** Whether an open tree may be re-secured rather than refused. */
  public boolean migratesAcl() {
    return migrateAcl;
  }

  /** {@code digest}, {@code sasl} or {@code none}. */
  public String scheme() {
    return scheme;
  }

  /** True when no authentication is configured: the tree is open to anyone. */
  public boolean isOpen() {
    return authInfos.isEmpty() && !sasl;
  }

  /** The credentials each session presents (none for SASL, which presents them itself). */
  List<AuthInfo> authInfos() {
    return authInfos;
  }

  /** The ACL of every node haddns creates. */
  public List<ACL> acl() {
    return acl;
  }

  public boolean usesTls() {
    return tls.isPresent();
  }

  /** A fresh client configuration for one client: SASL on or off, TLS settings. */
  public ZKClientConfig clientConfig() {
    ZKClientConfig c = new ZKClientConfig();
    // Off unless configured: a JAAS file set for something else in this JVM must not make the
    // client try SASL (and fail its connection) behind the operator's back.
    c.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, Boolean.toString(sasl));
    if (sasl) {
      c.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, loginContext);
    }
    tls.ifPresent(
        t -> {
          c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
          c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, NETTY_SOCKET);
          t.keyStore()
              .ifPresent(p -> c.setProperty("zookeeper.ssl.keyStore.location", p.toString()));
          t.keyStorePassword().ifPresent(p -> c.setProperty("zookeeper.ssl.keyStore.password", p));
          t.trustStore()
              .ifPresent(p -> c.setProperty("zookeeper.ssl.trustStore.location", p.toString()));
          t.trustStorePassword()
              .ifPresent(p -> c.setProperty("zookeeper.ssl.trustStore.password", p));
          c.setProperty(
              "zookeeper.ssl.hostnameVerification", Boolean.toString(t.hostnameVerification()));
        });
    return c;
  }

  /** {@code digest:haddns}, {@code sasl:haddns@EXAMPLE.ORG}, {@code none}, plus {@code +tls}. */
  @Override
  public String toString() {
    return (isOpen() ? "none" : scheme + ":" + identity) + (tls.isPresent() ? "+tls" : "");
  }
}
