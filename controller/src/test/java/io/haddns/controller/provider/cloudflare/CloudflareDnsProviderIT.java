package io.haddns.controller.provider.cloudflare;

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
import io.haddns.controller.provider.ForeignRecordsContract;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cloudflare provider against a local server that enforces the documented API contract. */
class CloudflareDnsProviderIT implements ForeignRecordsContract, BadAnswersContract {
  private static final String ZONE = "example.com";
  private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
  private CloudflareContractServer server;

  @BeforeEach
  void start() throws Exception {
    server = new CloudflareContractServer(ZONE);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CloudflareDnsProvider provider(String token, int batchSize) {
    return provider(token, batchSize, Set.of());
  }

  private CloudflareDnsProvider provider(String token, int batchSize, Set<RecordKey> adopted) {
    return new CloudflareDnsProvider(
        ZONE,
        new ProviderConfig.Cloudflare(
            new Secret(token.getBytes(StandardCharsets.UTF_8), "test"),
            Optional.empty(),
            server.baseUrl(),
            batchSize,
            Duration.ofSeconds(5),
            1000),
        adopted,
        clock);
  }

  private CloudflareDnsProvider provider() {
    return provider(CloudflareContractServer.TOKEN, 200);
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
  void listsAddressRecordsAcrossPagesGroupedIntoRrsetsWithOwnership() throws Exception {
    server.maxPerPage = 7;
    for (int i = 0; i < 20; i++) {
      server.add("h" + i + ".example.com", "A", "192.0.2." + i, 60, false, MARK);
    }
    server.add("h0.example.com", "A", "192.0.2.100", 60, false, MARK);
    server.add("v6.example.com", "AAAA", "2001:db8::7", 120, false, null);
    server.add("example.com", "TXT", "v=spf1 -all", 60, false, null);

    try (CloudflareDnsProvider p = provider()) {
      List<RecordSet> sets = p.list();

      assertThat(sets).hasSize(21);
      assertThat(sets)
          .contains(set("h0.example.com", RecordType.A, 60, "192.0.2.0", "192.0.2.100"));
      assertThat(sets).contains(set("v6.example.com", RecordType.AAAA, 120, "2001:db8::7"));
      assertThat(p.ownedKeys())
          .contains(new RecordKey("h19.example.com", RecordType.A))
          .doesNotContain(new RecordKey("v6.example.com", RecordType.AAAA))
          .hasSize(20);
      assertThat(server.listCalls.get()).isEqualTo(4);
    }
  }

  @Test
  void createsUpdatesAndDeletesRrsetsKeepingProxiedAndIds() throws Exception {
    ObjectNode proxied = server.add("www.example.com", "A", "192.0.2.1", 60, true, MARK);
    server.add("old.example.com", "A", "192.0.2.9", 60, false, MARK);
    try (CloudflareDnsProvider p = provider()) {
      p.list();
      p.apply(
          List.of(
              new Change.Create(
                  set("app.example.com", RecordType.AAAA, 300, "2001:db8::1", "2001:db8::2")),
              new Change.Update(
                  set("www.example.com", RecordType.A, 60, "192.0.2.1"),
                  set("www.example.com", RecordType.A, 120, "198.51.100.7")),
              new Change.Delete(set("old.example.com", RecordType.A, 60, "192.0.2.9"))),
          3);

      assertThat(server.batchCalls.get()).isEqualTo(1);
      ObjectNode www = server.records.get(proxied.path("id").asText());
      assertThat(www.path("content").asText()).isEqualTo("198.51.100.7");
      assertThat(www.path("ttl").asLong()).as("proxied: automatic TTL").isEqualTo(1);
      assertThat(www.path("proxied").asBoolean()).isTrue();
      assertThat(www.path("comment").asText()).isEqualTo(MARK);
      assertThat(server.records.values())
          .noneMatch(r -> r.path("name").asText().equals("old.example.com"))
          .filteredOn(r -> r.path("name").asText().equals("app.example.com"))
          .hasSize(2)
          .allMatch(r -> r.path("comment").asText().equals(MARK) && !r.path("proxied").asBoolean());
      assertThat(p.list())
          .containsExactlyInAnyOrder(
              set("app.example.com", RecordType.AAAA, 300, "2001:db8::1", "2001:db8::2"),
              set("www.example.com", RecordType.A, 120, "198.51.100.7"));
    }
  }

  @Test
  void refusesAWrongTokenAsPermanentWithoutLeakingIt() {
    String wrong = "wrong-token-value-that-must-not-leak";
    try (CloudflareDnsProvider p = provider(wrong, 200)) {
      PermanentProviderException e =
          catchThrowableOfType(PermanentProviderException.class, p::list);

      assertThat(e).hasMessageContaining("10000").hasMessageContaining("example.com");
      assertThat(e.getMessage())
          .doesNotContain(wrong)
          .doesNotContain(CloudflareContractServer.TOKEN);
    }
  }

  @Test
  void reportsAZoneCloudflareDoesNotHaveAsPermanent() {
    try (CloudflareDnsProvider p =
        new CloudflareDnsProvider(
            "example.org",
            new ProviderConfig.Cloudflare(
                new Secret(CloudflareContractServer.TOKEN.getBytes(StandardCharsets.UTF_8), "t"),
                Optional.empty(),
                server.baseUrl(),
                200,
                Duration.ofSeconds(5),
                1000),
            clock)) {
      assertThat(catchThrowableOfType(PermanentProviderException.class, p::list))
          .hasMessageContaining("example.org")
          .hasMessageContaining("not found");
    }
  }

  @Test
  void reportsAnUnknownZoneIdAsPermanent() {
    try (CloudflareDnsProvider p =
        new CloudflareDnsProvider(
            ZONE,
            new ProviderConfig.Cloudflare(
                new Secret(CloudflareContractServer.TOKEN.getBytes(StandardCharsets.UTF_8), "t"),
                Optional.of("ffffffffffffffffffffffffffffffff"),
                server.baseUrl(),
                200,
                Duration.ofSeconds(5),
                1000),
            clock)) {
      assertThat(catchThrowableOfType(PermanentProviderException.class, p::list))
          .hasMessageContaining("7003");
    }
  }

  @Test
  void rateLimitIsTransientWithRetryAfterAndTheRetrySucceeds() throws Exception {
    try (CloudflareDnsProvider p = provider()) {
      p.list();
      server.rateLimitNext = true;
      List<Change> changes =
          List.of(new Change.Create(set("a.example.com", RecordType.A, 60, "192.0.2.1")));

      TransientProviderException e =
          catchThrowableOfType(TransientProviderException.class, () -> p.apply(changes, 1));
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
      assertThat(e).hasMessageContaining("429");

      p.apply(changes, 1);
      assertThat(p.list()).containsExactly(set("a.example.com", RecordType.A, 60, "192.0.2.1"));
      assertThat(server.rateLimited.get()).isEqualTo(1);
    }
  }

  @Test
  void aProxiedRecordsAutomaticTtlIsNotSeenAsDriftOnResync() throws Exception {
    server.add("app.example.com", "A", "192.0.2.1", 300, true, MARK);
    try (CloudflareDnsProvider p = provider()) {
      RecordSet listed = p.list().get(0);
      assertThat(listed.ttl()).as("Cloudflare reports automatic as 1").isEqualTo(1);
      RecordSet desired = set("app.example.com", RecordType.A, 300, "192.0.2.1");

      p.apply(List.of(new Change.Update(listed, desired)), 1);

      assertThat(server.batchCalls.get()).isZero();
      assertThat(p.list()).containsExactly(desired);
      p.apply(
          List.of(
              new Change.Update(
                  desired, set("app.example.com", RecordType.A, 300, "198.51.100.1"))),
          1);
      assertThat(server.batchCalls.get()).isEqualTo(1);
      assertThat(p.list())
          .containsExactly(set("app.example.com", RecordType.A, 300, "198.51.100.1"));
      assertThat(server.records.values())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.path("proxied").asBoolean()).isTrue();
                assertThat(r.path("ttl").asLong()).isEqualTo(1);
              });
    }
  }

  @Test
  void neverDeletesAnUnmarkedRecordButMarksItWhenAnAdoptedRecordIsUpdated() throws Exception {
    ObjectNode foreign = server.add("mail.example.com", "A", "192.0.2.25", 300, false, "mx host");
    Change delete = new Change.Delete(set("mail.example.com", RecordType.A, 300, "192.0.2.25"));
    Change update =
        new Change.Update(
            set("mail.example.com", RecordType.A, 300, "192.0.2.25"),
            set("mail.example.com", RecordType.A, 300, "198.51.100.25"));
    try (CloudflareDnsProvider p = provider()) {
      p.list();
      assertThat(p.ownedKeys()).doesNotContain(new RecordKey("mail.example.com", RecordType.A));
      assertThat(
              catchThrowableOfType(
                  PermanentProviderException.class, () -> p.apply(List.of(delete), 1)))
          .hasMessageContaining("mail.example.com")
          .hasMessageContaining("never deletes");
      assertThat(server.batchCalls.get()).isZero();

      // The reconciler sends an update only for a record configured with adopt: true.
      p.apply(List.of(update), 1);
      ObjectNode r = server.records.get(foreign.path("id").asText());
      assertThat(r.path("content").asText()).isEqualTo("198.51.100.25");
      assertThat(r.path("comment").asText()).isEqualTo("mx host " + MARK);
      assertThat(p.list()).isNotEmpty();
      assertThat(p.ownedKeys()).contains(new RecordKey("mail.example.com", RecordType.A));
    }
  }

  @Override
  public String providerName() {
    return "cloudflare";
  }

  @Override
  public DnsProvider listedProvider() throws Exception {
    CloudflareDnsProvider p = provider();
    p.list();
    return p;
  }

  @Override
  public String refuseNextWriteForItsType() {
    // Cloudflare's answer to an A record on a name that holds a CNAME.
    server.nextBatchAnswer =
        new String[] {
          "400",
          "application/json",
          "{\"result\":null,\"success\":false,\"errors\":[{\"code\":81053,\"message\":\"An A,"
              + " AAAA, or CNAME record with that host already exists.\"}],\"messages\":[]}"
        };
    return "81053";
  }

  @Override
  public void answerNextWriteWithHtml() {
    server.nextBatchAnswer =
        new String[] {
          "200",
          "text/html",
          "<html><head><title>Login</title></head><body>Sign in to continue</body></html>"
        };
  }

  @Override
  public void seedApp(String address, long ttl, String note) {
    server.add("app.example.com", "A", address, ttl, false, note);
  }

  @Override
  public List<String> heldApp() {
    return server.records.values().stream()
        .filter(r -> r.path("name").asText().equals("app.example.com"))
        .map(
            r ->
                r.path("content").asText()
                    + " "
                    + r.path("ttl").asLong()
                    + " "
                    + r.path("comment").asText())
        .toList();
  }

  @Override
  public DnsProvider provider(Set<RecordKey> adopted) {
    return provider(CloudflareContractServer.TOKEN, 200, adopted);
  }

  @Override
  public List<String> foreignRecords(DnsProvider provider) {
    return ((CloudflareDnsProvider) provider).foreignRecords();
  }

  @Test
  void retryAfterAFailedBatchConvergesWithoutDuplicates() throws Exception {
    List<Change> creates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      creates.add(
          new Change.Create(set("r" + i + ".example.com", RecordType.A, 60, "192.0.2." + i)));
    }
    server.failBatchNumber = 2;
    try (CloudflareDnsProvider p = provider(CloudflareContractServer.TOKEN, 2)) {
      p.list();
      TransientProviderException e =
          catchThrowableOfType(TransientProviderException.class, () -> p.apply(creates, 1));
      assertThat(e).hasMessageContaining("after 1 of 3 batch calls");
      assertThat(server.records).hasSize(2);

      p.apply(creates, 1);

      assertThat(server.records).hasSize(5);
      assertThat(p.list()).hasSize(5);
    }
  }

  @Test
  void repointsTenThousandRrsetsInBatchesOfTheDocumentedLimit() throws Exception {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String name = "host" + i + ".example.com";
      String old = "10." + (i / 256 / 256) + "." + (i / 256 % 256) + "." + (i % 256);
      server.add(name, "A", old, 60, false, MARK);
      changes.add(
          new Change.Update(
              set(name, RecordType.A, 60, old), set(name, RecordType.A, 60, "198.51.100.7")));
    }
    try (CloudflareDnsProvider p = provider()) {
      p.list();
      p.apply(changes, 1);

      assertThat(server.batchCalls.get()).isEqualTo(10_000 / 200);
      assertThat(server.records.values())
          .hasSize(10_000)
          .allMatch(r -> r.path("content").asText().equals("198.51.100.7"));
      assertThat(server.listCalls.get()).isEqualTo(10_000 / CloudflareApi.PAGE_SIZE);
    }
  }
}
