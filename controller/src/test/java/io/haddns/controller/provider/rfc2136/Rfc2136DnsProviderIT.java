package io.haddns.controller.provider.rfc2136;

import static io.haddns.controller.provider.rfc2136.TestRecords.a;
import static io.haddns.controller.provider.rfc2136.TestRecords.aaaa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.config.TsigConfig;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.KnotServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The provider against real BIND 9 and Knot processes, each test in a zone of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Rfc2136DnsProviderIT {
  private static final int ZONES = 16;

  private final List<DnsTestServer> servers = new ArrayList<>();
  private final Map<String, AtomicInteger> nextZone = new ConcurrentHashMap<>();
  private final List<Rfc2136DnsProvider> providers = new ArrayList<>();

  @BeforeAll
  void startServers(@TempDir Path tmp) throws IOException {
    String[] zones =
        IntStream.rangeClosed(1, ZONES).mapToObj(i -> "z" + i + ".test").toArray(String[]::new);
    servers.add(BindServer.start(tmp.resolve("bind"), zones));
    servers.add(KnotServer.start(tmp.resolve("knot"), zones));
  }

  @AfterAll
  void stopServers() {
    providers.forEach(Rfc2136DnsProvider::close);
    servers.forEach(DnsTestServer::close);
  }

  Stream<Named<DnsTestServer>> servers() {
    return servers.stream().map(s -> Named.of(s.kind(), s));
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void createsReplacesAndDeletesRecordSets(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    p.claim(1);
    RecordSet app = a("app." + zone, 30, "192.0.2.1", "192.0.2.2");
    RecordSet v6 = aaaa("v6." + zone, 60, "2001:db8::1");

    p.apply(List.of(new Change.Create(app), new Change.Create(v6)), 1);
    assertThat(addresses(server, "app." + zone, Type.A))
        .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    assertThat(server.query("app." + zone, Type.A))
        .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
    assertThat(addresses(server, "v6." + zone, Type.AAAA)).containsExactly("2001:db8:0:0:0:0:0:1");

    RecordSet moved = a("app." + zone, 30, "198.51.100.9");
    p.apply(List.of(new Change.Update(app, moved), new Change.Delete(v6)), 1);
    assertThat(addresses(server, "app." + zone, Type.A)).containsExactly("198.51.100.9");
    assertThat(server.query("v6." + zone, Type.AAAA)).isEmpty();
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void claimsFenceOfAnUnfencedZone(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    assertThat(p.readFence()).isEmpty();

    p.claim(4);

    assertThat(p.readFence()).contains(4L);
    assertThat(server.query("_haddns-fence." + zone, Type.TXT))
        .singleElement()
        .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("epoch=4"));
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void higherEpochTakesTheFenceOverAndReclaimingIsANoOp(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider old = provider(server, zone, server.tsigConfig(), 100);
    Rfc2136DnsProvider next = provider(server, zone, server.tsigConfig(), 100);
    old.claim(1);

    next.claim(2);
    next.claim(2);

    assertThat(next.readFence()).contains(2L);
    assertThat(server.query("_haddns-fence." + zone, Type.TXT)).hasSize(1);
  }

  /**
   * A claim replaces the term before without reading it first; any other value (terms that never
   * claimed in between) is read, then replaced.
   */
  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void aClaimTakesTheFenceFromTheTermBeforeAndAfterAGap(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    p.claim(1);

    p.claim(2);
    assertThat(p.readFence()).contains(2L);
    p.claim(9);

    assertThat(p.readFence()).contains(9L);
    assertThat(server.query("_haddns-fence." + zone, Type.TXT))
        .singleElement()
        .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("epoch=9"));
  }

  /** A follower's preparation talks to the server as a claim does, and writes nothing. */
  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void preparingReadsTheFenceAndChangesNothingAtTheServer(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    provider(server, zone, server.tsigConfig(), 100).claim(5);
    long serial = ((SOARecord) server.query(zone, Type.SOA).get(0)).getSerial();
    Rfc2136DnsProvider follower = provider(server, zone, server.tsigConfig(), 100);
    Rfc2136DnsProvider wrongKey = provider(server, zone, server.wrongSecretTsigConfig(), 100);

    follower.prepare();

    assertThat(((SOARecord) server.query(zone, Type.SOA).get(0)).getSerial()).isEqualTo(serial);
    assertThat(follower.readFence()).contains(5L);
    assertThatThrownBy(wrongKey::prepare)
        .as("it reaches the server with the zone's key")
        .isInstanceOf(PermanentProviderException.class);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void staleEpochCannotClaimTheFence(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    p.claim(7);

    assertThatThrownBy(() -> p.claim(3))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining(zone)
        .hasMessageContaining("epoch=7");
    assertThat(p.readFence()).contains(7L);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void staleLeadersApplyIsFencedAndChangesNothing(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider stale = provider(server, zone, server.tsigConfig(), 100);
    Rfc2136DnsProvider leader = provider(server, zone, server.tsigConfig(), 100);
    RecordSet app = a("app." + zone, 30, "192.0.2.1");
    stale.claim(1);
    stale.apply(List.of(new Change.Create(app)), 1);
    leader.claim(2);

    RecordSet hijack = a("app." + zone, 30, "203.0.113.66");
    assertThatThrownBy(
            () ->
                stale.apply(
                    List.of(
                        new Change.Update(app, hijack),
                        new Change.Create(a("new." + zone, 30, "203.0.113.67"))),
                    1))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining(zone)
        .hasMessageContaining("epoch=1");

    assertThat(addresses(server, "app." + zone, Type.A)).containsExactly("192.0.2.1");
    assertThat(server.query("new." + zone, Type.A)).isEmpty();
    leader.apply(List.of(new Change.Update(app, hijack)), 2);
    assertThat(addresses(server, "app." + zone, Type.A)).containsExactly("203.0.113.66");
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void wrongTsigSecretIsPermanentNamesTheKeyAndAppliesNothing(DnsTestServer server)
      throws Exception {
    String zone = freshZone(server);
    provider(server, zone, server.tsigConfig(), 100).claim(1);
    Rfc2136DnsProvider wrong = provider(server, zone, server.wrongSecretTsigConfig(), 100);

    assertThatThrownBy(
            () -> wrong.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("refused the TSIG key 'haddns' for zone " + zone)
        .hasMessageContaining("NOTAUTH/BADSIG")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(server.wrongTsigSecretBase64()));
    assertThatThrownBy(wrong::list)
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining(zone);

    assertThat(server.query("app." + zone, Type.A)).isEmpty();
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void keyWithTheRightSecretButAnotherAlgorithmIsPermanentNamesZoneServerAndKeyAndAppliesNothing(
      DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    provider(server, zone, server.tsigConfig(), 100).claim(1);
    // The server holds this secret as hmac-sha256; the provider signs with hmac-sha512.
    assertThat(DnsTestServer.TSIG_ALGORITHM).isEqualTo("hmac-sha256");
    TsigConfig otherAlgorithm =
        new TsigConfig(
            server.tsigName(),
            "hmac-sha512",
            new Secret(Base64.getDecoder().decode(server.tsigSecretBase64()), "test"));
    Rfc2136DnsProvider wrong = provider(server, zone, otherAlgorithm, 100);

    String refused =
        "server 127.0.0.1:"
            + server.port()
            + " refused the TSIG key '"
            + server.tsigName()
            + "' for zone "
            + zone;
    assertThatThrownBy(
            () -> wrong.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining(refused)
        .hasMessageContaining("NOTAUTH/")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(server.tsigSecretBase64()));
    assertThatThrownBy(() -> wrong.claim(2))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining(refused)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(server.tsigSecretBase64()));

    // At the server: no record, and the fence still holds the epoch the right key claimed.
    assertThat(server.query("app." + zone, Type.A)).isEmpty();
    assertThat(server.query("_haddns-fence." + zone, Type.TXT))
        .singleElement()
        .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("epoch=1"));
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void keyWithoutUpdateRightsIsPermanentAndAppliesNothing(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    provider(server, zone, server.tsigConfig(), 100).claim(1);
    Rfc2136DnsProvider denied = provider(server, zone, server.deniedTsigConfig(), 100);

    assertThatThrownBy(
            () -> denied.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining(zone)
        .hasMessageContaining("haddns-denied");

    assertThat(server.query("app." + zone, Type.A)).isEmpty();
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void stoppedServerIsTransientAndTheSameApplySucceedsAfterRestart(DnsTestServer server)
      throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    p.claim(3);
    List<Change> changes = List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1")));

    server.stop();
    try {
      assertThatThrownBy(() -> p.apply(changes, 3))
          .isInstanceOf(TransientProviderException.class)
          .hasMessageContaining(zone);
      assertThatThrownBy(p::list).isInstanceOf(TransientProviderException.class);
    } finally {
      server.start();
    }

    p.apply(changes, 3);
    assertThat(addresses(server, "app." + zone, Type.A)).containsExactly("192.0.2.1");
    assertThat(p.readFence()).contains(3L);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void listReturnsAppliedRecordSetsButNotTheFence(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    p.claim(1);
    RecordSet app = a("app." + zone, 30, "192.0.2.2", "192.0.2.1");
    RecordSet v6 = aaaa("App." + zone, 60, "2001:db8::2");
    p.apply(List.of(new Change.Create(app), new Change.Create(v6)), 1);

    assertThat(p.list()).containsExactly(app, v6);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void thousandRecordApplyLandsCompletelyInBatches(DnsTestServer server) throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p = provider(server, zone, server.tsigConfig(), 100);
    p.claim(1);
    List<RecordSet> wanted =
        IntStream.range(0, 1000)
            .mapToObj(i -> a("h" + i + "." + zone, 30, "10.0." + (i / 250) + "." + (i % 250 + 1)))
            .toList();

    p.apply(wanted.stream().<Change>map(Change.Create::new).toList(), 1);

    assertThat(p.list()).containsExactlyInAnyOrderElementsOf(wanted);
    assertThat(addresses(server, "h999." + zone, Type.A)).containsExactly("10.0.3.250");
  }

  @Test
  void repointsTenThousandRecordsAtBindInOneUpdatePerBatch() throws Exception {
    DnsTestServer bind =
        servers.stream().filter(s -> s.kind().equals("bind")).findFirst().orElseThrow();
    String zone = freshZone(bind);
    int batchSize = 500;
    ProviderConfig.Rfc2136 config = bind.rfc2136(Optional.of(bind.tsigConfig()), batchSize);
    // The seam: the same TSIG-signed TCP exchange the provider builds, counting UPDATE messages.
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", bind.port()));
    resolver.setTCP(true);
    resolver.setTimeout(Duration.ofSeconds(30));
    resolver.setTSIGKey(TsigSigner.create(zone, bind.tsigConfig(), InstantSource.system()));
    AtomicInteger updates = new AtomicInteger();
    Rfc2136DnsProvider p =
        track(
            new Rfc2136DnsProvider(
                zone,
                config,
                Optional.empty(),
                InstantSource.system(),
                Optional.of(
                    query -> {
                      if (query.getHeader().getOpcode() == Opcode.UPDATE) {
                        updates.incrementAndGet();
                      }
                      return resolver.send(query);
                    })));
    p.claim(1);
    List<RecordSet> before =
        IntStream.range(0, 10_000)
            .mapToObj(i -> a("h" + i + "." + zone, 30, "10." + (i / 250) + ".0." + (i % 250 + 1)))
            .toList();
    p.apply(before.stream().<Change>map(Change.Create::new).toList(), 1);
    List<RecordSet> after =
        IntStream.range(0, 10_000).mapToObj(i -> a("h" + i + "." + zone, 30, "192.0.2.7")).toList();
    List<Change> repoint = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      repoint.add(new Change.Update(before.get(i), after.get(i)));
    }
    updates.set(0);

    p.apply(repoint, 1);

    assertThat(updates.get()).isEqualTo((10_000 + batchSize - 1) / batchSize);
    assertThat(p.list()).containsExactlyInAnyOrderElementsOf(after);
    assertThat(addresses(bind, "h0." + zone, Type.A)).containsExactly("192.0.2.7");
    assertThat(addresses(bind, "h9999." + zone, Type.A)).containsExactly("192.0.2.7");
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  void serverLogAttributesUpdatesToTheConfiguredSourceAddress(DnsTestServer server)
      throws Exception {
    String zone = freshZone(server);
    Rfc2136DnsProvider p =
        track(
            new Rfc2136DnsProvider(
                zone,
                server.rfc2136(Optional.of(server.tsigConfig()), 100),
                Optional.of(InetAddress.getByName("127.0.0.7")),
                InstantSource.system()));
    p.claim(1);
    p.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 1);

    assertThat(server.updateLogLines()).anySatisfy(l -> assertThat(l).contains("127.0.0.7"));
  }

  private String freshZone(DnsTestServer server) {
    int i = nextZone.computeIfAbsent(server.kind(), k -> new AtomicInteger()).getAndIncrement();
    assertThat(i).as("test zones left on " + server.kind()).isLessThan(ZONES);
    return server.zones().get(i);
  }

  private Rfc2136DnsProvider provider(
      DnsTestServer server, String zone, TsigConfig tsig, int batchSize) {
    return track(
        new Rfc2136DnsProvider(
            zone,
            server.rfc2136(Optional.of(tsig), batchSize),
            Optional.empty(),
            InstantSource.system()));
  }

  private Rfc2136DnsProvider track(Rfc2136DnsProvider p) {
    providers.add(p);
    return p;
  }

  private static List<String> addresses(DnsTestServer server, String name, int type)
      throws IOException {
    return server.query(name, type).stream().map(Rfc2136DnsProviderIT::address).toList();
  }

  private static String address(Record r) {
    return r instanceof ARecord a
        ? a.getAddress().getHostAddress()
        : ((AAAARecord) r).getAddress().getHostAddress();
  }
}
