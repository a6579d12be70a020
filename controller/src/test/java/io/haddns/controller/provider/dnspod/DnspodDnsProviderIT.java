package io.haddns.controller.provider.dnspod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.BadAnswersContract;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.ForeignRecordsContract;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TermGuard;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.SettableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DNSPod provider against a local server that verifies TC3 signatures and the API contract. */
class DnspodDnsProviderIT implements ForeignRecordsContract, BadAnswersContract {
  private static final String ZONE = "example.com";
  private DnspodContractServer server;

  @BeforeEach
  void start() throws Exception {
    server = new DnspodContractServer(ZONE);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private DnspodDnsProvider provider(String zone, String id, String key, String line) {
    return provider(zone, id, key, line, TermGuard.NONE, Set.of());
  }

  private DnspodDnsProvider provider(
      String zone, String id, String key, String line, TermGuard guard, Set<RecordKey> adopted) {
    return new DnspodDnsProvider(
        zone, config(id, key, line), guard, adopted, InstantSource.system());
  }

  private ProviderConfig.Dnspod config(String id, String key, String line) {
    return new ProviderConfig.Dnspod(
        new Secret(id.getBytes(StandardCharsets.UTF_8), "test"),
        new Secret(key.getBytes(StandardCharsets.UTF_8), "test"),
        Optional.of("ap-guangzhou"),
        line,
        server.baseUrl(),
        Duration.ofSeconds(5),
        10_000);
  }

  private ProviderConfig.Dnspod config() {
    return config(DnspodContractServer.SECRET_ID, DnspodContractServer.SECRET_KEY, "默认");
  }

  private DnspodDnsProvider provider() {
    return provider(ZONE, DnspodContractServer.SECRET_ID, DnspodContractServer.SECRET_KEY, "默认");
  }

  private static RecordSet set(String name, RecordType type, long ttl, String... ips)
      throws Exception {
    List<InetAddress> a = new ArrayList<>();
    for (String ip : ips) {
      a.add(InetAddress.getByName(ip));
    }
    return new RecordSet(new RecordKey(name, type), ttl, a);
  }

  @Test
  void listsTheConfiguredLineAcrossPagesWithOwnership() throws Exception {
    server.maxLimit = 4;
    for (int i = 0; i < 10; i++) {
      server.add("h" + i, "A", "192.0.2." + i, 600, "默认", MARK);
    }
    server.add("@", "A", "192.0.2.50", 600, "默认", "");
    server.add("@", "A", "203.0.113.50", 600, "电信", MARK);
    server.add("v6", "AAAA", "2001:db8::7", 300, "默认", MARK);
    server.add("txt", "TXT", "hello", 600, "默认", MARK);

    try (DnspodDnsProvider p = provider()) {
      List<RecordSet> sets = p.list();

      assertThat(sets).hasSize(12);
      assertThat(sets).contains(set("example.com", RecordType.A, 600, "192.0.2.50"));
      assertThat(sets).contains(set("v6.example.com", RecordType.AAAA, 300, "2001:db8::7"));
      assertThat(p.ownedKeys())
          .contains(new RecordKey("h3.example.com", RecordType.A))
          .doesNotContain(new RecordKey("example.com", RecordType.A))
          .hasSize(11);
      assertThat(server.calls("DescribeRecordList")).isEqualTo(3 + 1);
    }
  }

  @Test
  void createsUpdatesAndDeletesOnTheDefaultLineWithTheRemark() throws Exception {
    server.add("www", "A", "192.0.2.1", 600, "默认", MARK);
    server.add("old", "A", "192.0.2.9", 600, "默认", MARK);
    try (DnspodDnsProvider p = provider()) {
      p.list();
      p.apply(
          List.of(
              new Change.Create(
                  set("app.example.com", RecordType.AAAA, 300, "2001:db8::1", "2001:db8::2")),
              new Change.Update(
                  set("www.example.com", RecordType.A, 600, "192.0.2.1"),
                  set("www.example.com", RecordType.A, 120, "198.51.100.7")),
              new Change.Delete(set("old.example.com", RecordType.A, 600, "192.0.2.9"))),
          1);

      assertThat(server.calls("CreateRecord")).isEqualTo(2);
      assertThat(server.calls("ModifyRecord")).isEqualTo(1);
      assertThat(server.calls("DeleteRecord")).isEqualTo(1);
      assertThat(server.records.values())
          .allMatch(
              r -> r.path("Line").asText().equals("默认") && r.path("Remark").asText().equals(MARK));
      assertThat(p.list())
          .containsExactlyInAnyOrder(
              set("app.example.com", RecordType.AAAA, 300, "2001:db8::1", "2001:db8::2"),
              set("www.example.com", RecordType.A, 120, "198.51.100.7"));
    }
  }

  @Test
  void writesAnotherLineWhenConfigured() throws Exception {
    try (DnspodDnsProvider p =
        provider(ZONE, DnspodContractServer.SECRET_ID, DnspodContractServer.SECRET_KEY, "电信")) {
      p.apply(List.of(new Change.Create(set("example.com", RecordType.A, 600, "203.0.113.5"))), 1);

      assertThat(server.records.values())
          .singleElement()
          .satisfies(r -> assertThat(r.path("Line").asText()).isEqualTo("电信"))
          .satisfies(r -> assertThat(r.path("Name").asText()).isEqualTo("@"));
    }
  }

  @Test
  void aWrongSecretKeyFailsTheSignatureAsPermanentWithoutLeakingIt() {
    String wrong = "wrongSecretKeyThatMustNotLeak000";
    try (DnspodDnsProvider p = provider(ZONE, DnspodContractServer.SECRET_ID, wrong, "默认")) {
      PermanentProviderException e =
          catchThrowableOfType(PermanentProviderException.class, p::list);

      assertThat(e)
          .hasMessageContaining("AuthFailure.SignatureFailure")
          .hasMessageContaining("example.com");
      assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain("Signature=");
    }
  }

  @Test
  void anUnknownSecretIdIsPermanent() {
    try (DnspodDnsProvider p =
        provider(ZONE, "AKIDunknown", DnspodContractServer.SECRET_KEY, "默认")) {
      assertThat(catchThrowableOfType(PermanentProviderException.class, p::list))
          .hasMessageContaining("AuthFailure.SecretIdNotFound");
    }
  }

  @Test
  void anEmptyZoneListsNothing() throws Exception {
    try (DnspodDnsProvider p = provider()) {
      assertThat(p.list()).isEmpty();
      assertThat(server.calls("DescribeRecordList")).isEqualTo(2);
    }
  }

  @Test
  void aDomainDnspodDoesNotHaveIsPermanent() {
    try (DnspodDnsProvider p =
        provider(
            "example.org", DnspodContractServer.SECRET_ID, DnspodContractServer.SECRET_KEY, "默认")) {
      assertThat(catchThrowableOfType(PermanentProviderException.class, p::list))
          .hasMessageContaining("DomainNotExists")
          .hasMessageContaining("example.org");
    }
  }

  @Test
  void throttlingIsTransientWithADelayAndTheRetryConverges() throws Exception {
    try (DnspodDnsProvider p = provider()) {
      p.list();
      server.throttleNext = true;
      List<Change> changes =
          List.of(
              new Change.Create(set("a.example.com", RecordType.A, 600, "192.0.2.1", "192.0.2.2")));

      TransientProviderException e =
          catchThrowableOfType(TransientProviderException.class, () -> p.apply(changes, 1));
      assertThat(e).hasMessageContaining("RequestLimitExceeded");
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));

      p.apply(changes, 1);
      assertThat(p.list())
          .containsExactly(set("a.example.com", RecordType.A, 600, "192.0.2.1", "192.0.2.2"));
      assertThat(server.records).hasSize(2);
    }
  }

  @Test
  void neverDeletesAnUnmarkedRecordButMarksItWhenAnAdoptedRecordIsUpdated() throws Exception {
    ObjectNode foreign = server.add("mail", "A", "192.0.2.25", 600, "默认", "mx host");
    Change delete = new Change.Delete(set("mail.example.com", RecordType.A, 600, "192.0.2.25"));
    Change update =
        new Change.Update(
            set("mail.example.com", RecordType.A, 600, "192.0.2.25"),
            set("mail.example.com", RecordType.A, 600, "198.51.100.25"));
    try (DnspodDnsProvider p = provider()) {
      p.list();
      assertThat(p.ownedKeys()).doesNotContain(new RecordKey("mail.example.com", RecordType.A));
      assertThat(
              catchThrowableOfType(
                  PermanentProviderException.class, () -> p.apply(List.of(delete), 1)))
          .hasMessageContaining("mail.example.com")
          .hasMessageContaining("never deletes");
      assertThat(server.calls("DeleteRecord")).isZero();

      // The reconciler sends an update only for a record configured with adopt: true.
      p.apply(List.of(update), 1);
      ObjectNode r = server.records.get(foreign.path("RecordId").asLong());
      assertThat(r.path("Value").asText()).isEqualTo("198.51.100.25");
      assertThat(r.path("Remark").asText()).isEqualTo("mx host " + MARK);
      p.list();
      assertThat(p.ownedKeys()).contains(new RecordKey("mail.example.com", RecordType.A));
    }
  }

  @Test
  void aLostTermStopsTheRemainingWriteCalls() throws Exception {
    AtomicLong term = new AtomicLong(1);
    // The cluster moves on to epoch 2 once two records have been created.
    TermGuard guard =
        epoch -> {
          if (server.calls("CreateRecord") >= 2) {
            term.set(2);
          }
          TermGuard.behind(ZONE, term::get).check(epoch);
        };
    List<Change> creates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      creates.add(new Change.Create(set("r" + i + ".example.com", RecordType.A, 600, "192.0.2.1")));
    }
    try (DnspodDnsProvider p =
        new DnspodDnsProvider(ZONE, config(), guard, Set.of(), InstantSource.system())) {
      p.list();

      assertThat(catchThrowableOfType(FencedException.class, () -> p.apply(creates, 1)))
          .hasMessageContaining("epoch 1 is stale");
      assertThat(server.calls("CreateRecord")).isEqualTo(2);
      assertThat(server.records).hasSize(2);
      assertThat(catchThrowableOfType(FencedException.class, () -> p.claim(1)))
          .hasMessageContaining("epoch 1 is stale");
    }
  }

  @Test
  void signsEachRequestOnlyAfterThePacerLetsItGo() throws Exception {
    SettableClock clock = new SettableClock(Instant.now().minusSeconds(150));
    long start = clock.instant().getEpochSecond();
    // A pacer wait stands for a long queue of requests: it moves the clock 100 s on.
    RequestPacer pacer = new RequestPacer(1, clock, d -> clock.advance(Duration.ofSeconds(100)));
    try (DnspodDnsProvider p =
        new DnspodDnsProvider(ZONE, config(), TermGuard.NONE, Set.of(), clock, pacer)) {
      p.list();
      p.apply(
          List.of(new Change.Create(set("app.example.com", RecordType.A, 600, "192.0.2.1"))), 1);
    }

    // Requests 1 (A list) and 3 (create) go at once; request 2 (AAAA list) waits for the pacer.
    assertThat(server.timestamps).containsExactly(start, start + 100, start + 100);
    assertThat(server.records).hasSize(1);
  }

  @Override
  public String providerName() {
    return "dnspod";
  }

  @Override
  public DnsProvider listedProvider() throws Exception {
    DnspodDnsProvider p = provider();
    p.list();
    return p;
  }

  @Override
  public String refuseNextWriteForItsType() {
    server.refuseNext =
        new String[] {
          "CreateRecord", "InvalidParameter.RecordTypeInvalid", "The record type is incorrect."
        };
    return "InvalidParameter.RecordTypeInvalid";
  }

  @Override
  public void answerNextWriteWithHtml() {
    server.htmlNext =
        "<html><head><title>Login</title></head><body>Sign in to continue</body></html>";
  }

  @Override
  public void seedApp(String address, long ttl, String note) {
    server.add("app", "A", address, ttl, "默认", note);
  }

  @Override
  public List<String> heldApp() {
    return server.records.values().stream()
        .filter(r -> r.path("Name").asText().equals("app"))
        .map(
            r ->
                r.path("Value").asText()
                    + " "
                    + r.path("TTL").asLong()
                    + " "
                    + r.path("Remark").asText())
        .toList();
  }

  @Override
  public DnsProvider provider(Set<RecordKey> adopted) {
    return provider(
        ZONE,
        DnspodContractServer.SECRET_ID,
        DnspodContractServer.SECRET_KEY,
        "默认",
        TermGuard.NONE,
        adopted);
  }

  @Override
  public List<String> foreignRecords(DnsProvider provider) {
    return ((DnspodDnsProvider) provider).foreignRecords();
  }

  @Test
  void repointsTenThousandRrsetsWithOneCallEach() throws Exception {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String old = "10." + (i / 256 / 256) + "." + (i / 256 % 256) + "." + (i % 256);
      server.add("host" + i, "A", old, 600, "默认", MARK);
      String name = "host" + i + ".example.com";
      changes.add(
          new Change.Update(
              set(name, RecordType.A, 600, old), set(name, RecordType.A, 600, "198.51.100.7")));
    }
    try (DnspodDnsProvider p = provider()) {
      p.list();
      p.apply(changes, 1);

      assertThat(p.maxChangesPerCall()).isEqualTo(1);
      assertThat(server.calls("ModifyRecord")).isEqualTo(10_000);
      assertThat(server.calls("DescribeRecordList")).isEqualTo(4 + 1);
      assertThat(server.records.values())
          .hasSize(10_000)
          .allMatch(r -> r.path("Value").asText().equals("198.51.100.7"));
    }
  }
}
