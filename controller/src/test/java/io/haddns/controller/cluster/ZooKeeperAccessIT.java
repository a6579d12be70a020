package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.runtime.StartupException;
import io.haddns.controller.store.OpenTreeException;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.testing.FastLines;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.zookeeper.EmbeddedZooKeeper;
import io.haddns.controller.zookeeper.ZkSecretFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * haddns owns its ZooKeeper state: on the embedded ZooKeeper (as the demo and one-machine installs
 * run it) a client without the cluster's secret can neither read nor change any node, the secret
 * file is readable by its owner only, and a tree others may change is refused at start.
 */
class ZooKeeperAccessIT {
  private static final String ZONE = "access.test";
  private static final String RECORD = "app.access.test";
  private static final String FORGED = "203.0.113.66";

  @TempDir Path dir;
  private EmbeddedZooKeeper zk;
  private LineListener lineA;
  private LineListener lineB;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    // Traversable by anyone, so that only the secret file's own mode keeps other users out.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path zkData = Files.createDirectories(dir.resolve("zookeeper"));
    Files.setPosixFilePermissions(zkData, PosixFilePermissions.fromString("rwxr-xr-x"));
    zk = new EmbeddedZooKeeper(zkData, "127.0.0.1", 0);
    zk.start(Duration.ofSeconds(30));
    InetAddress a = InetAddress.getByName("127.0.0.21");
    InetAddress b = InetAddress.getByName("127.0.0.22");
    int port = LineListener.freePort(a, b);
    lineA = new LineListener(a, port).open();
    lineB = new LineListener(b, port).open();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    lineA.close();
    lineB.close();
    zk.close();
  }

  @Test
  void refusesEveryChangeFromAClientWithoutTheClusterSecret() throws Exception {
    String secret = Files.readString(zk.secretFile()).strip();
    try (LogCapture logs = LogCapture.start()) {
      NodeRuntime node = start(config(zk.clusterAuthYaml()));
      await().atMost(Duration.ofSeconds(20)).until(() -> node.node().isLeader());
      String recordPath = new ZkPaths("access").record(new RecordKey(RECORD, RecordType.A));
      await().atMost(Duration.ofSeconds(20)).until(() -> answers(node).contains("127.0.0.21"));

      CuratorFramework owner = client(Optional.of(ZkSecretFile.USER + ":" + secret));
      String latch = latchNode(owner);
      CuratorFramework stranger = client(Optional.empty());
      CuratorFramework guesser = client(Optional.of("haddns:not-the-secret"));
      for (CuratorFramework c : List.of(stranger, guesser)) {
        assertThatThrownBy(() -> c.setData().forPath(recordPath, forged()))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> c.getData().forPath(recordPath))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(
                () -> c.create().forPath(new ZkPaths("access").recordName("evil.access.test")))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> c.delete().forPath(latch))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> c.delete().forPath("/haddns/access/members"))
            .isInstanceOf(KeeperException.NoAuthException.class);
      }
      assertThat(answers(node)).containsExactly("127.0.0.21");

      // Every node haddns made (parents, latch, members, records…) grants the cluster only.
      List<ACL> ours = List.of(new ACL(Perms.ALL, new Id("digest", digest(secret))));
      List<String> tree = subtree(owner, "/haddns");
      assertThat(tree).contains(recordPath).hasSizeGreaterThan(12);
      for (String path : tree) {
        assertThat(owner.getACL().forPath(path)).as(path).isEqualTo(ours);
      }

      String status = get(node.admin().address(), "/api/v1/status");
      assertThat(status).doesNotContain(secret);
      assertThat(String.join("\n", logs.lines()))
          .doesNotContain(secret)
          .doesNotContain(digest(secret));
    }
  }

  @Test
  void keepsTheSecretFileFromOtherUsers() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zk.secretFile())))
        .isEqualTo("rw-------");
    Process cat =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "cat",
                zk.secretFile().toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cat.exitValue()).isNotZero();
    assertThat(out).contains("Permission denied");
    // The directory let nobody in: only the file's mode refused it.
    Process ls =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "ls",
                zk.secretFile().getParent().toString())
            .redirectErrorStream(true)
            .start();
    String listing = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ls.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(listing).contains(ZkSecretFile.FILE_NAME);
  }

  @Test
  void refusesToStartOnATreeOthersMayChangeAndMigratesItWhenAsked() throws Exception {
    // An older version made the tree with world:anyone ALL.
    CuratorFramework old = client(Optional.empty());
    String records = new ZkPaths("access").records();
    old.create().creatingParentsIfNeeded().forPath(records);

    assertThatThrownBy(() -> start(config(zk.clusterAuthYaml())))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("zookeeper node /haddns/access ")
        .hasMessageContaining("world:anyone:cdrwa")
        .hasMessageContaining("migrateAcl: true");
    old.setData().forPath(records, forged());

    String migrating = zk.clusterAuthYaml().replace(" }", ", migrateAcl: true }");
    NodeRuntime node = start(config(migrating));
    assertThatThrownBy(() -> old.setData().forPath(records, forged()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> old.create().forPath(records + "/" + RECORD))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> old.setData().forPath("/haddns/access", forged()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> node.node().isLeader());
  }

  @Test
  void refusesATermOnATreeOthersMayChangeWhenTheStartCheckCouldNotRun() throws Exception {
    // A node that found ZooKeeper unreachable at start checks before its first term instead.
    CuratorFramework old = client(Optional.empty());
    String latch = new ZkPaths("access").leader() + "/latch-0000000000";
    old.create().creatingParentsIfNeeded().forPath(latch);
    ZkClient client =
        new ZkClient(
            zk.connectString(), Duration.ofSeconds(3), Duration.ofSeconds(2), zk.clientAccess());
    closing.add(client);
    client.start();
    ZkStateStore store =
        new ZkStateStore(
            client, new ZkPaths("access"), "n1", InstantSource.system(), StoreSettings.defaults());
    closing.add(store);
    store.start();

    assertThatThrownBy(() -> store.beginTerm(latch))
        .isInstanceOf(OpenTreeException.class)
        .hasMessageContaining("zookeeper node /haddns/access has ACL [world:anyone:cdrwa]");
    assertThat(store.currentEpoch()).isZero();
  }

  private NodeRuntime start(HaddnsConfig cfg) throws Exception {
    NodeRuntime node = NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "test");
    closing.add(node);
    return node;
  }

  private HaddnsConfig config(String auth) throws Exception {
    String yaml =
        """
        cluster:
          name: access
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: 3s
          connectionTimeout: 2s
        %szones:
          - name: %s
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: %s, type: A, ttl: 5, policy: failover, lines: [a, b] }
        node:
          id: n1
          http: { host: 127.0.0.1, port: 0 }
          dns: { host: 127.0.0.1, port: 0 }
        """
            .formatted(
                zk.connectString(),
                auth,
                FastLines.yaml(
                    lineA.address().getHostAddress(),
                    lineA.port(),
                    lineB.address().getHostAddress(),
                    lineB.port()),
                ZONE,
                RECORD);
    return new ConfigLoader(Map.of()).parse(yaml, "access-it.yaml", dir);
  }

  private CuratorFramework client(Optional<String> digestCredentials) throws Exception {
    CuratorFrameworkFactory.Builder b =
        CuratorFrameworkFactory.builder()
            .connectString(zk.connectString())
            .retryPolicy(new RetryOneTime(100))
            .sessionTimeoutMs(5000)
            .connectionTimeoutMs(2000);
    digestCredentials.ifPresent(c -> b.authorization("digest", c.getBytes(StandardCharsets.UTF_8)));
    CuratorFramework c = b.build();
    closing.add(c);
    c.start();
    assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    return c;
  }

  private static String latchNode(CuratorFramework c) throws Exception {
    String leader = new ZkPaths("access").leader();
    List<String> children = c.getChildren().forPath(leader);
    assertThat(children).isNotEmpty();
    return leader + "/" + children.get(0);
  }

  private static List<String> subtree(CuratorFramework c, String root) throws Exception {
    List<String> all = new ArrayList<>();
    Deque<String> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      String p = pending.pop();
      all.add(p);
      for (String child : c.getChildren().forPath(p)) {
        pending.push(p + "/" + child);
      }
    }
    return all;
  }

  private static List<String> answers(NodeRuntime node) throws Exception {
    InetSocketAddress dns = node.dnsAddress().orElseThrow();
    SimpleResolver resolver = new SimpleResolver(dns);
    resolver.setTimeout(Duration.ofSeconds(2));
    Lookup lookup = new Lookup(RECORD, Type.A);
    lookup.setResolver(resolver);
    lookup.setCache(null);
    Record[] records = lookup.run();
    List<String> out = new ArrayList<>();
    if (records != null) {
      for (Record r : records) {
        out.add(((ARecord) r).getAddress().getHostAddress());
      }
    }
    return out;
  }

  private static byte[] forged() {
    return ("{\"zone\":\"" + ZONE + "\",\"addresses\":[\"" + FORGED + "\"]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String digest(String secret) throws Exception {
    return DigestAuthenticationProvider.generateDigest(ZkSecretFile.USER + ":" + secret);
  }

  private static String get(InetSocketAddress admin, String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
  }
}
