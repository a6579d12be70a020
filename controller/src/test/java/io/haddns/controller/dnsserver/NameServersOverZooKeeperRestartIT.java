package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A zone whose name servers follow the members keeps its NS RRset and serial while ZooKeeper
 * restarts and this node's session expires: the members view going empty and filling again is not a
 * change of name servers.
 */
class NameServersOverZooKeeperRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ZONE = "example.com";

  @Test
  void keepsNsRrsetAndSerialWhileMembersAreBrieflyUnknown() throws Exception {
    ZkPaths paths = new ZkPaths("ns-restart-it");
    ExecutorService notifier = Executors.newSingleThreadExecutor();
    try (TestingServer zookeeper = ZkTestServers.server();
        ZkClient client = ZkTestServers.client(zookeeper.getConnectString());
        ZkStateStore store =
            new ZkStateStore(
                client, paths, "n1", InstantSource.system(), StoreSettings.defaults())) {
      store.start();
      assertThat(store.awaitPrimed(WAIT)).isTrue();
      AppliedStateZoneSource source = new AppliedStateZoneSource(store, List.of(ZONE));
      store.addListener(source, notifier);
      try (EmbeddedDnsServer dns =
          new EmbeddedDnsServer(
              DnsServerSettings.of("127.0.0.1", 0, List.of(ServedZone.ofMembers(ZONE))),
              source,
              DnsServerObserver.NOOP)) {
        dns.start();
        store.registerMember(
            new MemberInfo(
                "n1",
                "127.0.0.1:1",
                "test",
                Instant.EPOCH,
                List.of(InetAddress.getByName("192.0.2.53"))));
        await().atMost(WAIT).until(() -> glue(dns).equals(List.of("192.0.2.53")));
        long serial = serial(dns);

        List<List<String>> seen = new CopyOnWriteArrayList<>();
        Thread watcher =
            Thread.ofPlatform()
                .start(
                    () -> {
                      while (!Thread.currentThread().isInterrupted()) {
                        try {
                          seen.add(glue(dns));
                          Thread.sleep(20);
                        } catch (InterruptedException e) {
                          return;
                        } catch (Exception e) {
                          if (Thread.currentThread().isInterrupted()
                              || e.getCause() instanceof InterruptedException) {
                            return; // stopped by the test while a query was in flight
                          }
                          seen.add(List.of("error " + e));
                        }
                      }
                    });
        zookeeper.stop();
        Thread.sleep(ZkTestServers.SESSION.multipliedBy(2).toMillis());
        zookeeper.restart();
        // The member node comes back with the new session, and the views have reloaded since.
        await().atMost(WAIT).until(() -> memberOfCurrentSession(client, paths) && store.isPrimed());
        await().atMost(WAIT).until(() -> !store.members().isEmpty());
        Thread.sleep(1000);
        watcher.interrupt();
        watcher.join();

        assertThat(seen).isNotEmpty().allSatisfy(g -> assertThat(g).containsExactly("192.0.2.53"));
        assertThat(serial(dns)).isEqualTo(serial);
      }
    } finally {
      notifier.shutdownNow();
    }
  }

  private static boolean memberOfCurrentSession(ZkClient client, ZkPaths paths) throws Exception {
    org.apache.zookeeper.data.Stat stat =
        client.curator().checkExists().forPath(paths.member("n1"));
    long session = client.curator().getZookeeperClient().getZooKeeper().getSessionId();
    return stat != null && stat.getEphemeralOwner() == session;
  }

  private static Message ask(EmbeddedDnsServer dns, int type) throws Exception {
    SimpleResolver r =
        new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(
        Message.newQuery(Record.newRecord(Name.fromString(ZONE, Name.root), type, DClass.IN)));
  }

  /** The glue addresses of the NS answer: one entry per name server with an address. */
  private static List<String> glue(EmbeddedDnsServer dns) throws Exception {
    return ask(dns, Type.NS).getSection(Section.ADDITIONAL).stream()
        .filter(r -> r.getType() == Type.A)
        .map(Record::rdataToString)
        .toList();
  }

  private static long serial(EmbeddedDnsServer dns) throws Exception {
    return ((SOARecord) ask(dns, Type.SOA).getSection(Section.ANSWER).get(0)).getSerial();
  }
}
