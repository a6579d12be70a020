package io.haddns.controller.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.BadAnswersContract;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.SettableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The provider through the real AWS SDK against {@link FakeRoute53Server} on loopback. */
class Route53DnsProviderIT implements BadAnswersContract {
  private static final String ZONE = "example.com";
  private FakeRoute53Server server;
  private final List<Route53DnsProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeRoute53Server(ZONE);
  }

  @AfterEach
  void stop() {
    providers.forEach(Route53DnsProvider::close);
    server.close();
  }

  private ProviderConfig.Route53 config(Optional<String> zoneId, boolean waitForSync) {
    return new ProviderConfig.Route53(
        zoneId,
        Optional.empty(),
        "us-east-1",
        Optional.of(server.endpoint()),
        waitForSync,
        Duration.ofSeconds(5));
  }

  private Route53DnsProvider provider(ProviderConfig.Route53 config, String secret, int perSecond) {
    return provider(
        config,
        secret,
        RequestPacer.realTime(perSecond),
        InstantSource.system(),
        d -> Thread.sleep(d.toMillis()),
        Duration.ofMillis(10));
  }

  private Route53DnsProvider provider(
      ProviderConfig.Route53 config,
      String secret,
      RequestPacer pacer,
      InstantSource clock,
      RequestPacer.Sleeper sleeper,
      Duration syncPoll) {
    var client =
        Route53DnsProvider.client(
            config,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(FakeRoute53Server.ACCESS_KEY, secret)));
    Route53DnsProvider p =
        new Route53DnsProvider(ZONE, config, client, pacer, clock, sleeper, syncPoll);
    providers.add(p);
    return p;
  }

  /** A provider that waits for INSYNC on a clock that moves only while it waits. */
  private Route53DnsProvider syncingProvider(SettableClock clock) {
    return provider(
        config(Optional.of(FakeRoute53Server.ZONE_ID), true),
        FakeRoute53Server.SECRET,
        RequestPacer.realTime(1000),
        clock,
        clock::advance,
        Duration.ofSeconds(2));
  }

  private static List<Change> creates(int n) throws Exception {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Change.Create(a("r" + i + ".example.com", "192.0.2." + (i % 250 + 1))));
    }
    return out;
  }

  @Test
  void waitsForTheChangesOfAllBatchesTogetherWithinOneDeadline() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Route53DnsProvider p = syncingProvider(clock);
    p.claim(1);
    int before = server.changeCalls.size();
    // Each change is PENDING for 15 polls (30 s at one poll per 2 s).
    server.pendingPolls.set(15);
    Instant start = clock.instant();

    p.apply(creates(1200), 1);

    assertThat(server.changeCalls.size() - before).as("change batches").isGreaterThan(2);
    assertThat(Duration.between(start, clock.instant()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(30))
        .isLessThanOrEqualTo(Route53DnsProvider.SYNC_TIMEOUT);
    assertThat(server.rrsets).containsKey(FakeRoute53Server.key("r1199.example.com", "A"));
  }

  @Test
  void changesNotInsyncWithinTheDeadlineAreATransientError() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Route53DnsProvider p = syncingProvider(clock);
    p.claim(1);
    server.pendingPolls.set(30);
    Instant start = clock.instant();

    TransientProviderException e =
        catchThrowableOfType(TransientProviderException.class, () -> p.apply(creates(1200), 1));

    assertThat(e).hasMessageContaining("not INSYNC within");
    assertThat(Duration.between(start, clock.instant()))
        .isLessThanOrEqualTo(Route53DnsProvider.SYNC_TIMEOUT.plusSeconds(2));
  }

  private Route53DnsProvider provider() {
    return provider(config(Optional.empty(), false), FakeRoute53Server.SECRET, 1000);
  }

  private static RecordSet a(String name, String... ips) throws Exception {
    List<InetAddress> list = new ArrayList<>();
    for (String ip : ips) {
      list.add(InetAddress.getByName(ip));
    }
    return new RecordSet(
        new RecordKey(name, ips[0].contains(":") ? RecordType.AAAA : RecordType.A), 300, list);
  }

  @Test
  void claimsCreatesListsUpdatesAndDeletesWithOwnerRecords() throws Exception {
    Route53DnsProvider p = provider();
    p.claim(1);
    assertThat(server.get("_haddns-fence.example.com", "TXT").orElseThrow().values())
        .containsExactly("\"epoch=1\"");

    p.apply(
        List.of(
            new Change.Create(a("www.example.com", "192.0.2.1", "192.0.2.2")),
            new Change.Create(a("*.example.com", "2001:db8::1"))),
        1);
    assertThat(server.get("www.example.com", "A").orElseThrow().values())
        .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    assertThat(server.get("_haddns-owner-a.www.example.com", "TXT")).isPresent();

    Route53DnsProvider fresh = provider();
    assertThat(fresh.list())
        .containsExactly(
            a("*.example.com", "2001:db8::1"), a("www.example.com", "192.0.2.1", "192.0.2.2"));
    assertThat(fresh.ownedKeys())
        .containsExactlyInAnyOrder(
            new RecordKey("www.example.com", RecordType.A),
            new RecordKey("*.example.com", RecordType.AAAA));

    fresh.apply(
        List.of(
            new Change.Update(
                a("www.example.com", "192.0.2.1", "192.0.2.2"), a("www.example.com", "192.0.2.9")),
            new Change.Delete(a("*.example.com", "2001:db8::1"))),
        1);
    assertThat(server.get("www.example.com", "A").orElseThrow().values())
        .containsExactly("192.0.2.9");
    assertThat(server.get("*.example.com", "AAAA")).isEmpty();
    assertThat(server.get("_haddns-owner-aaaa.*.example.com", "TXT")).isEmpty();
    assertThat(server.refusedSignatures.get()).isZero();
  }

  @Test
  void staleLeaderIsFencedAfterANewerClaim() throws Exception {
    Route53DnsProvider old = provider();
    old.claim(1);
    old.apply(List.of(new Change.Create(a("www.example.com", "192.0.2.1"))), 1);
    Route53DnsProvider next = provider();
    next.claim(2);

    assertThatThrownBy(
            () ->
                old.apply(
                    List.of(
                        new Change.Update(
                            a("www.example.com", "192.0.2.1"), a("www.example.com", "192.0.2.66"))),
                    1))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch=1");
    assertThat(server.get("www.example.com", "A").orElseThrow().values())
        .containsExactly("192.0.2.1");
    assertThatThrownBy(() -> old.claim(1)).isInstanceOf(FencedException.class);
  }

  @Test
  void retriedApplyAfterASuccessIsIdempotent() throws Exception {
    Route53DnsProvider p = provider();
    p.claim(3);
    List<Change> changes = List.of(new Change.Create(a("api.example.com", "192.0.2.7")));
    p.apply(changes, 3);
    // A second leader view that has not seen the write re-sends the same plan.
    Route53DnsProvider stale = provider();
    stale.apply(List.of(new Change.Delete(a("gone.example.com", "192.0.2.8"))), 3);
    stale.apply(changes, 3);
    p.apply(List.of(new Change.Delete(a("api.example.com", "192.0.2.7"))), 3);
    p.apply(List.of(new Change.Delete(a("api.example.com", "192.0.2.7"))), 3);
    assertThat(server.get("api.example.com", "A")).isEmpty();
  }

  @Test
  void neverDeletesARecordWithoutOwnerMarkButTakesOneOverWhenTold() throws Exception {
    server.put("mail.example.com", "A", 300, "192.0.2.25");
    Route53DnsProvider p = provider();
    p.claim(1);
    assertThat(p.list()).containsExactly(a("mail.example.com", "192.0.2.25"));
    assertThat(p.ownedKeys()).isEmpty();
    assertThatThrownBy(
            () -> p.apply(List.of(new Change.Delete(a("mail.example.com", "192.0.2.25"))), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("mail.example.com/A")
        .hasMessageContaining("never deletes");
    assertThat(server.get("mail.example.com", "A")).isPresent();

    // The reconciler sends an update only for a record configured with adopt: true.
    p.apply(
        List.of(
            new Change.Update(
                a("mail.example.com", "192.0.2.25"), a("mail.example.com", "192.0.2.26"))),
        1);
    p.list();
    assertThat(p.ownedKeys()).containsExactly(a("mail.example.com", "192.0.2.26").key());
  }

  @Test
  void throttlingIsTransientWithRetryAfterAndTheRetrySucceeds() throws Exception {
    Route53DnsProvider p = provider();
    server.throttleNext.set(1);
    assertThatThrownBy(() -> p.claim(1))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)))
        .hasMessageContaining("Throttling");
    p.claim(1);
    assertThat(server.get("_haddns-fence.example.com", "TXT")).isPresent();
  }

  @Test
  void wrongSecretIsPermanentAndNeverEchoed() {
    Route53DnsProvider p = provider(config(Optional.empty(), false), "not-the-secret-42", 1000);
    assertThatThrownBy(p::list)
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("SignatureDoesNotMatch")
        .hasMessageNotContaining("not-the-secret-42");
    assertThat(server.refusedSignatures.get()).isPositive();
  }

  @Test
  void unknownHostedZoneIdIsPermanent() {
    Route53DnsProvider p =
        provider(config(Optional.of("ZNOSUCHZONE"), false), FakeRoute53Server.SECRET, 1000);
    assertThatThrownBy(p::list)
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("NoSuchHostedZone");
  }

  @Override
  public String providerName() {
    return "route53";
  }

  @Override
  public DnsProvider listedProvider() throws Exception {
    Route53DnsProvider p =
        provider(
            config(Optional.of(FakeRoute53Server.ZONE_ID), false), FakeRoute53Server.SECRET, 1000);
    p.claim(1);
    p.list();
    return p;
  }

  @Override
  public String refuseNextWriteForItsType() {
    // Route 53's answer to an A RRset on a name that holds a CNAME; the provider re-lists and
    // tries once more, so both attempts are refused.
    server.cannedChange =
        new String[] {
          "400",
          "text/xml",
          "<?xml version=\"1.0\"?>\n<InvalidChangeBatch"
              + " xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Messages><Message>RRSet of"
              + " type A with DNS name app.example.com. is not permitted because a conflicting RRSet"
              + " of type CNAME with the same DNS name already exists in zone"
              + " example.com.</Message></Messages><RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb"
              + "</RequestId></InvalidChangeBatch>"
        };
    server.cannedChanges.set(2);
    return "InvalidChangeBatch";
  }

  @Override
  public void answerNextWriteWithHtml() {
    server.cannedChange =
        new String[] {
          "200",
          "text/html",
          "<html><head><title>Login</title></head><body>Sign in to continue</body></html>"
        };
    server.cannedChanges.set(1);
  }

  @Test
  void waitsForInsyncWhenAsked() throws Exception {
    Route53DnsProvider p =
        provider(
            config(Optional.of(FakeRoute53Server.ZONE_ID), true), FakeRoute53Server.SECRET, 1000);
    server.pendingPolls.set(2);
    p.claim(1);
    assertThat(server.getChangeCalls.get()).isEqualTo(3);
  }

  @Test
  void listingFollowsPagination() throws Exception {
    for (int i = 0; i < 250; i++) {
      server.put("h" + i + ".example.com", "A", 60, "192.0.2." + (i % 250 + 1));
    }
    Route53DnsProvider p = provider();
    assertThat(p.list()).hasSize(250);
    assertThat(server.listCalls.get()).isEqualTo(3);
  }

  @Test
  void neverSendsMoreThanFiveRequestsInAnySecond() throws Exception {
    for (int i = 0; i < 1000; i++) {
      server.put("h" + i + ".example.com", "A", 60, "192.0.2.1");
    }
    Route53DnsProvider p = provider(config(Optional.empty(), false), FakeRoute53Server.SECRET, 5);
    p.list(); // 1 zone lookup + 10 pages
    List<Long> t = server.requestTimes;
    assertThat(t).hasSize(11);
    // The pacer spaces requests 210 ms apart (RequestPacerTest checks that exactly); arrival times
    // at the server also carry this machine's scheduling jitter, so allow 10 % of it here. Without
    // pacing, five requests arrive within a few milliseconds.
    for (int i = 5; i < t.size(); i++) {
      assertThat(t.get(i) - t.get(i - 5)).isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
    }
  }

  @Test
  void repointsTenThousandRecordsWithinTheRequestLimits() throws Exception {
    for (int i = 0; i < 10_000; i++) {
      String name = "r" + i + ".example.com";
      server.put(name, "A", 60, "10.0." + (i / 250) + "." + (i % 250 + 1));
      server.put("_haddns-owner-a." + name, "TXT", 60, "\"managed-by=haddns\"");
    }
    Route53DnsProvider p = provider();
    p.claim(7);
    List<RecordSet> before = p.list();
    assertThat(before).hasSize(10_000);
    List<Change> changes = new ArrayList<>();
    for (RecordSet rs : before) {
      changes.add(
          new Change.Update(
              rs, new RecordSet(rs.key(), 60, List.of(InetAddress.getByName("198.51.100.200")))));
    }
    int claimCalls = server.changeCalls.size();
    p.apply(changes, 7);

    List<FakeRoute53Server.ChangeCall> calls =
        server.changeCalls.subList(claimCalls, server.changeCalls.size());
    // Each UPSERT of one address counts 2 of the 1,000 ResourceRecord elements; the fence's
    // DELETE+CREATE takes 2: 499 RRsets per request.
    assertThat(calls).hasSize((10_000 + 498) / 499);
    assertThat(calls).allSatisfy(c -> assertThat(c.records()).isLessThanOrEqualTo(1000));
    assertThat(server.get("r9999.example.com", "A").orElseThrow().values())
        .containsExactly("198.51.100.200");
  }

  @Test
  void longAddressesAreSplitByTheCharacterLimit() throws Exception {
    Route53DnsProvider p = provider();
    p.claim(1);
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      changes.add(
          new Change.Create(
              a(
                  "v6-" + i + ".example.com",
                  String.format("2001:db8:1234:5678:9abc:def0:%04x:5678", i))));
    }
    int before = server.changeCalls.size();
    p.apply(changes, 1);
    List<FakeRoute53Server.ChangeCall> calls =
        server.changeCalls.subList(before, server.changeCalls.size());
    assertThat(calls).allSatisfy(c -> assertThat(c.chars()).isLessThanOrEqualTo(32_000));
    assertThat(calls.size()).isGreaterThan(2000 / 499 + 1);
    assertThat(provider().list()).hasSize(2000);
  }
}
