package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

class ZkAccessTest {
  private static final String SECRET = "bm90LWEtcmVhbC1zZWNyZXQ=";

  @Test
  void digestGrantsAllRightsToTheDigestIdentityOnlyAndPresentsTheCredentials() throws Exception {
    ZkAccess access = ZkAccess.digest("haddns", SECRET);

    assertThat(access.acl())
        .containsExactly(
            new ACL(
                Perms.ALL,
                new Id("digest", DigestAuthenticationProvider.generateDigest("haddns:" + SECRET))));
    assertThat(access.authInfos())
        .singleElement()
        .satisfies(a -> assertThat(a.getScheme()).isEqualTo("digest"));
    assertThat(access.isOpen()).isFalse();
  }

  @Test
  void aclListCanBeAskedWhetherItHoldsNullAsZooKeeperCreateDoes() {
    // ZooKeeper.validateACL calls acl.contains(null): an immutable List.of would throw.
    FixedAclProvider provider = new FixedAclProvider(ZkAccess.digest("haddns", SECRET).acl());

    assertThat(provider.getAclForPath("/haddns/x").contains(null)).isFalse();
    assertThat(provider.getDefaultAcl().contains(null)).isFalse();
  }

  @Test
  void saslGrantsThePrincipalAndLogsInThroughItsOwnJaasSectionPerClient() {
    ZkAccess access = ZkAccess.sasl("haddns", "HaddnsClient");

    ZKClientConfig c = access.clientConfig();

    assertThat(access.acl()).containsExactly(new ACL(Perms.ALL, new Id("sasl", "haddns")));
    assertThat(c.getProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY)).isEqualTo("true");
    assertThat(c.getProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY)).isEqualTo("HaddnsClient");
    assertThat(access.authInfos()).isEmpty();
  }

  @Test
  void digestTurnsSaslOffSoThatAJaasFileOfThisJvmIsNotTriedBehindTheOperatorsBack() {
    assertThat(
            ZkAccess.digest("haddns", SECRET)
                .clientConfig()
                .getProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY))
        .isEqualTo("false");
  }

  @Test
  void tlsSetsZooKeepersClientPropertiesOnThisClientOnly() {
    ZkAccess access =
        ZkAccess.digest("haddns", SECRET)
            .withTls(
                new ZkAccess.Tls(
                    Optional.of(Path.of("/etc/haddns/zk-client.p12")),
                    Optional.of("key-pass"),
                    Optional.of(Path.of("/etc/haddns/zk-ca.p12")),
                    Optional.of("trust-pass"),
                    false));

    ZKClientConfig c = access.clientConfig();

    assertThat(c.getProperty(ZKClientConfig.SECURE_CLIENT)).isEqualTo("true");
    assertThat(c.getProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET))
        .isEqualTo("org.apache.zookeeper.ClientCnxnSocketNetty");
    assertThat(c.getProperty("zookeeper.ssl.keyStore.location"))
        .isEqualTo("/etc/haddns/zk-client.p12");
    assertThat(c.getProperty("zookeeper.ssl.keyStore.password")).isEqualTo("key-pass");
    assertThat(c.getProperty("zookeeper.ssl.trustStore.location"))
        .isEqualTo("/etc/haddns/zk-ca.p12");
    assertThat(c.getProperty("zookeeper.ssl.trustStore.password")).isEqualTo("trust-pass");
    assertThat(c.getProperty("zookeeper.ssl.hostnameVerification")).isEqualTo("false");
    assertThat(System.getProperty(ZKClientConfig.SECURE_CLIENT)).isNull();
    assertThat(
            ZkAccess.digest("haddns", SECRET)
                .clientConfig()
                .getProperty(ZKClientConfig.SECURE_CLIENT))
        .isNull();
  }

  @Test
  void describesItselfWithoutTheSecret() {
    ZkAccess access = ZkAccess.digest("haddns", SECRET);

    assertThat(access.toString()).isEqualTo("digest:haddns").doesNotContain(SECRET);
    assertThat(ZkAccess.open().toString()).isEqualTo("none");
    assertThat(TreeAccess.describe(access.acl())).isEqualTo("[digest:haddns:cdrwa]");
  }
}
