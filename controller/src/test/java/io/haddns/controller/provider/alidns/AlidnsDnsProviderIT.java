package io.haddns.controller.provider.alidns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.BadAnswersContract;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ForeignRecordsContract;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TermGuard;
import io.haddns.controller.provider.TransientProviderException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AlidnsDnsProvider} against {@link FakeAlidnsServer} over HTTP on 127.0.0.1. */
class AlidnsDnsProviderIT implements ForeignRecordsContract, BadAnswersContract {
  private static final String ZONE = "example.com";

  private FakeAlidnsServer server;
  private final List<AlidnsDnsProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeAlidnsServer(ZONE);
  }

  @AfterEach
  void stop() {
    providers.forEach(AlidnsDnsProvider::close);
    server.close();
  }

  private AlidnsDnsProvider provider(String secret, int perSecond) {
    return provider(secret, perSecond, Set.of());
  }

  private AlidnsDnsProvider provider(String secret, int perSecond, Set<RecordKey> adopted) {
    ProviderConfig.Alidns config =
        new ProviderConfig.Alidns(
            server.endpoint(),
            FakeAlidnsServer.KEY_ID,
            new Secret(secret.getBytes(StandardCharsets.US_ASCII), "test"),
            "default",
            perSecond,
            Duration.ofSeconds(5));
    AlidnsDnsProvider p =
        new AlidnsDnsProvider(ZONE, config, TermGuard.NONE, adopted, InstantSource.system());
    providers.add(p);
    return p;
  }

  private AlidnsDnsProvider provider() {
    return provider(FakeAlidnsServer.SECRET, 1000);
  }

  private static RecordSet rs(String name, RecordType type, long ttl, String... addresses) {
    return new RecordSet(
        new RecordKey(name, type),
        ttl,
        Arrays.stream(addresses).map(AlidnsDnsProviderIT::ip).toList());
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void createsUpdatesAndDeletesRecordSetsMarkingEveryRecord() throws Exception {
    AlidnsDnsProvider p = provider();
    RecordSet app = rs("app.example.com", RecordType.A, 60, "192.0.2.1", "192.0.2.2");
    RecordSet v6 = rs("example.com", RecordType.AAAA, 300, "2001:db8::1");

    p.apply(List.of(new Change.Create(app), new Change.Create(v6)), 1);

    assertThat(p.list()).containsExactlyInAnyOrder(app, v6);
    assertThat(p.ownedKeys()).containsExactlyInAnyOrder(app.key(), v6.key());
    assertThat(server.records()).allSatisfy(r -> assertThat(r.remark).isEqualTo(MARK));
    assertThat(server.records("@", "AAAA"))
        .singleElement()
        .satisfies(r -> assertThat(r.value).isEqualTo("2001:db8::1"));
    List<String> before = server.records("app", "A").stream().map(r -> r.id).sorted().toList();

    RecordSet moved = rs("app.example.com", RecordType.A, 30, "192.0.2.2", "198.51.100.9");
    server.resetCalls();
    p.apply(List.of(new Change.Update(app, moved)), 1);

    assertThat(p.list()).contains(moved);
    assertThat(server.records("app", "A").stream().map(r -> r.id).sorted().toList())
        .as("RecordIds are reused when an address is re-pointed")
        .isEqualTo(before);
    assertThat(server.calls("AddDomainRecord")).isZero();
    assertThat(server.calls("DeleteDomainRecord")).isZero();
    assertThat(server.calls("UpdateDomainRecord")).isEqualTo(2);

    p.apply(List.of(new Change.Delete(moved), new Change.Delete(v6)), 1);

    assertThat(p.list()).isEmpty();
    assertThat(p.ownedKeys()).isEmpty();
    assertThat(server.records()).isEmpty();
  }

  @Test
  void shrinkingAnRrsetDeletesTheSurplusRecord() throws Exception {
    AlidnsDnsProvider p = provider();
    RecordSet two = rs("app.example.com", RecordType.A, 60, "192.0.2.1", "192.0.2.2");
    p.apply(List.of(new Change.Create(two)), 1);
    RecordSet one = rs("app.example.com", RecordType.A, 60, "192.0.2.2");

    p.apply(List.of(new Change.Update(two, one)), 1);

    assertThat(server.records("app", "A"))
        .singleElement()
        .satisfies(r -> assertThat(r.value).isEqualTo("192.0.2.2"));
    assertThat(p.list()).containsExactly(one);
  }

  @Test
  void foreignRecordIsListedButNotOwnedAndItsDeleteIsRefused() throws Exception {
    server.seed(ZONE, "www", "A", "203.0.113.5", 600, "default", null);
    server.seed(ZONE, "www", "A", "203.0.113.6", 600, "telecom", null);
    AlidnsDnsProvider p = provider();

    List<RecordSet> listed = p.list();

    RecordSet www = rs("www.example.com", RecordType.A, 600, "203.0.113.5");
    assertThat(listed).as("records of other lines are not listed").containsExactly(www);
    assertThat(p.ownedKeys()).isEmpty();

    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class, () -> p.apply(List.of(new Change.Delete(www)), 1));

    assertThat(e).hasMessageContaining("www.example.com/A").hasMessageContaining("mark");
    assertThat(server.records("www", "A")).hasSize(2);
    assertThat(server.calls("DeleteDomainRecord")).isZero();
  }

  @Test
  void anAdoptedForeignRecordIsUpdatedAndGainsTheMark() throws Exception {
    server.seed(ZONE, "www", "A", "203.0.113.5", 600, "default", "hand-made");
    AlidnsDnsProvider p = provider();
    RecordSet www = rs("www.example.com", RecordType.A, 600, "203.0.113.5");
    p.list();

    RecordSet desired = rs("www.example.com", RecordType.A, 60, "192.0.2.7");
    p.apply(List.of(new Change.Update(www, desired)), 1);

    assertThat(server.records("www", "A"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value).isEqualTo("192.0.2.7");
              assertThat(r.remark).isEqualTo(MARK);
            });
    assertThat(p.ownedKeys()).containsExactly(desired.key());
  }

  @Override
  public String providerName() {
    return "alidns";
  }

  @Override
  public DnsProvider listedProvider() throws Exception {
    AlidnsDnsProvider p = provider();
    p.list();
    return p;
  }

  @Override
  public String refuseNextWriteForItsType() {
    // AddDomainRecord's answer to an A record on an RR that holds a CNAME.
    server.refuse(
        "AddDomainRecord",
        1,
        400,
        "DomainRecordConflict",
        "The DNS record conflicts with other records.");
    return "DomainRecordConflict";
  }

  @Override
  public void answerNextWriteWithHtml() {
    server.garbageNext();
  }

  @Override
  public void seedApp(String address, long ttl, String note) {
    server.seed(ZONE, "app", "A", address, ttl, "default", note);
  }

  @Override
  public List<String> heldApp() {
    return server.records("app", "A").stream()
        .map(r -> r.value + " " + r.ttl + " " + r.remark)
        .toList();
  }

  @Override
  public DnsProvider provider(Set<RecordKey> adopted) {
    return provider(FakeAlidnsServer.SECRET, 1000, adopted);
  }

  @Override
  public List<String> foreignRecords(DnsProvider provider) {
    return ((AlidnsDnsProvider) provider).foreignRecords();
  }

  private static final String UNAVAILABLE =
      "The request has failed due to a temporary failure of the server.";

  @Test
  void aRemarkThatFailsOnceAfterAnAddIsTriedAgain() throws Exception {
    AlidnsDnsProvider p = provider();
    p.list();
    server.refuse("UpdateDomainRecordRemark", 1, 503, "ServiceUnavailable", UNAVAILABLE);

    p.apply(List.of(new Change.Create(rs("app.example.com", RecordType.A, 600, "192.0.2.1"))), 1);

    assertThat(server.records("app", "A"))
        .singleElement()
        .satisfies(r -> assertThat(r.remark).isEqualTo(MARK));
    assertThat(server.calls("UpdateDomainRecordRemark")).isEqualTo(2);
    assertThat(server.calls("DeleteDomainRecord")).isZero();
  }

  @Test
  void aRemarkThatKeepsFailingAfterAnAddDeletesTheRecordAgainAndIsTransient() throws Exception {
    AlidnsDnsProvider p = provider();
    p.list();
    server.refuse("UpdateDomainRecordRemark", 3, 503, "ServiceUnavailable", UNAVAILABLE);
    RecordSet app = rs("app.example.com", RecordType.A, 600, "192.0.2.1");

    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class, () -> p.apply(List.of(new Change.Create(app)), 1));

    assertThat(e)
        .hasMessageContaining("alidns zone example.com")
        .hasMessageContaining("app.example.com/A")
        .hasMessageContaining("deleted again");
    assertThat(server.records("app", "A")).isEmpty();
    assertThat(server.calls("UpdateDomainRecordRemark")).isEqualTo(3);

    p.apply(List.of(new Change.Create(app)), 1);

    assertThat(server.records("app", "A"))
        .singleElement()
        .satisfies(r -> assertThat(r.remark).isEqualTo(MARK));
  }

  @Test
  void aRecordAddedButNeitherMarkedNorDeletedStaysThisNodesOwn() throws Exception {
    AlidnsDnsProvider p = provider();
    p.list();
    server.refuse("UpdateDomainRecordRemark", 3, 503, "ServiceUnavailable", UNAVAILABLE);
    server.refuse("DeleteDomainRecord", 1, 503, "ServiceUnavailable", UNAVAILABLE);
    RecordSet app = rs("app.example.com", RecordType.A, 600, "192.0.2.1");
    catchThrowableOfType(
        TransientProviderException.class, () -> p.apply(List.of(new Change.Create(app)), 1));
    assertThat(server.records("app", "A"))
        .singleElement()
        .satisfies(r -> assertThat(r.remark).isNull());

    assertThat(p.list()).containsExactly(app);
    assertThat(p.ownedKeys()).containsExactly(app.key());
    assertThat(p.foreignRecords()).isEmpty();
    p.apply(List.of(new Change.Update(app, app)), 1);

    assertThat(server.records("app", "A"))
        .singleElement()
        .satisfies(r -> assertThat(r.remark).isEqualTo(MARK));
  }

  @Test
  void wrongSecretIsPermanentAndNeverQuoted() {
    String wrong = "not-the-secret-abcdef0123";
    AlidnsDnsProvider p = provider(wrong, 1000);

    PermanentProviderException e = catchThrowableOfType(PermanentProviderException.class, p::list);

    assertThat(e)
        .hasMessageContaining("SignatureDoesNotMatch")
        .hasMessageContaining(ZONE)
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(FakeAlidnsServer.SECRET)
        .hasMessageNotContaining("Signature=");
  }

  @Test
  void throttlingIsTransientWithRetryAfterThenSucceeds() throws Exception {
    AlidnsDnsProvider p = provider();
    RecordSet app = rs("app.example.com", RecordType.A, 60, "192.0.2.1");
    server.throttle("AddDomainRecord", 1);

    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class, () -> p.apply(List.of(new Change.Create(app)), 1));

    assertThat(e).hasMessageContaining("Throttling.User");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));

    p.apply(List.of(new Change.Create(app)), 1);

    assertThat(p.list()).containsExactly(app);
    assertThat(server.records()).hasSize(1);
  }

  @Test
  void unknownDomainIsPermanent() {
    server.close();
    try {
      server = new FakeAlidnsServer("other.example");
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
    AlidnsDnsProvider p = provider();

    PermanentProviderException e = catchThrowableOfType(PermanentProviderException.class, p::list);

    assertThat(e).hasMessageContaining("InvalidDomainName.NoExist").hasMessageContaining(ZONE);
  }

  @Test
  void garbageBodyIsPermanentWithAClearMessage() {
    AlidnsDnsProvider p = provider();
    server.garbageNext();

    PermanentProviderException e = catchThrowableOfType(PermanentProviderException.class, p::list);

    assertThat(e).hasMessageContaining("not a JSON object").hasMessageContaining("HTML");
  }

  @Test
  void retryAfterAnAddWhoseAnswerWasLostConvergesWithoutDuplicates() throws Exception {
    AlidnsDnsProvider p = provider();
    p.list();
    RecordSet app = rs("app.example.com", RecordType.A, 60, "192.0.2.1", "192.0.2.2");
    server.failAfterApplying("AddDomainRecord");

    catchThrowableOfType(
        TransientProviderException.class, () -> p.apply(List.of(new Change.Create(app)), 1));
    p.apply(List.of(new Change.Create(app)), 1);

    assertThat(server.records("app", "A"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.remark).isEqualTo(MARK));
    assertThat(p.list()).containsExactly(app);
  }

  @Test
  void duplicateAnswerToAnAddFromAStaleViewRelistsAndCountsAsDone() throws Exception {
    AlidnsDnsProvider stale = provider();
    stale.list();
    RecordSet app = rs("app.example.com", RecordType.A, 60, "192.0.2.1");
    provider().apply(List.of(new Change.Create(app)), 1);

    stale.apply(List.of(new Change.Create(app)), 1);

    assertThat(server.records("app", "A")).hasSize(1);
    assertThat(stale.ownedKeys()).containsExactly(app.key());
  }

  @Test
  void reusedNonceIsRefusedByTheServer() throws Exception {
    ProviderConfig.Alidns config =
        new ProviderConfig.Alidns(
            server.endpoint(),
            FakeAlidnsServer.KEY_ID,
            new Secret(FakeAlidnsServer.SECRET.getBytes(StandardCharsets.US_ASCII), "test"),
            "default",
            1000,
            Duration.ofSeconds(5));
    AlidnsDnsProvider p =
        new AlidnsDnsProvider(
            ZONE,
            config,
            TermGuard.NONE,
            Set.of(),
            InstantSource.system(),
            RequestPacer.realTime(1000),
            () -> "always-the-same-nonce",
            Optional.empty());
    providers.add(p);

    // list() reads the A and then the AAAA records: the second request repeats the nonce.
    TransientProviderException e = catchThrowableOfType(TransientProviderException.class, p::list);

    assertThat(e).hasMessageContaining("SignatureNonceUsed");
    assertThat(server.calls("DescribeDomainRecords")).isEqualTo(1);
  }

  @Test
  void tenThousandRrsetsRepointedCostOneUpdateEachPlusTheListPages() throws Exception {
    int n = 10_000;
    List<RecordSet> old = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String value = "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
      server.seed(ZONE, "h" + i, "A", value, 60, "default", MARK);
      old.add(rs("h" + i + ".example.com", RecordType.A, 60, value));
    }
    // Pacing is configuration: the test runs it fast, production at requestsPerSecond.
    AlidnsDnsProvider p = provider(FakeAlidnsServer.SECRET, 1_000_000);

    assertThat(p.list()).hasSize(n);
    assertThat(p.ownedKeys()).hasSize(n);
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String value = "172.16." + (i / 256) + "." + (i % 256);
      changes.add(
          new Change.Update(old.get(i), rs("h" + i + ".example.com", RecordType.A, 60, value)));
    }
    // As the reconciler does for a backend without batches: maxChangesPerCall() changes a call.
    assertThat(p.maxChangesPerCall()).isEqualTo(1);
    for (Change c : changes) {
      p.apply(List.of(c), 7);
    }

    int listPages = (n + AlidnsApi.PAGE_SIZE - 1) / AlidnsApi.PAGE_SIZE + 1; // A pages + AAAA
    assertThat(server.allCalls())
        .isEqualTo(Map.of("DescribeDomainRecords", listPages, "UpdateDomainRecord", n));
    assertThat(server.records("h9999", "A"))
        .singleElement()
        .satisfies(r -> assertThat(r.value).isEqualTo("172.16.39.15"));
  }
}
