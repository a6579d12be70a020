package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.verify.AnswerVerifier;
import io.haddns.controller.verify.ServerAnswers;
import io.haddns.controller.verify.VerifyObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The apply verifier asks a real authoritative server over UDP until it answers the change. */
class AnswerVerifierIT {
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);

  private final MutableZoneSource source = new MutableZoneSource();
  private final List<Duration> visible = new CopyOnWriteArrayList<>();
  private final List<String> failed = new CopyOnWriteArrayList<>();

  /** Queries the server answered, and the zones the verifier looked up servers for. */
  private final AtomicInteger answered = new AtomicInteger();

  private final List<String> resolved = new CopyOnWriteArrayList<>();
  private final ServerAnswers answers = new ServerAnswers();
  private EmbeddedDnsServer server;
  private AnswerVerifier verifier;

  @BeforeEach
  void start() {
    server =
        new EmbeddedDnsServer(
            new DnsServerSettings(
                "127.0.0.1", 0, TestZones.ZONES, SoaTimers.DEFAULTS, 1232, Duration.ofSeconds(5)),
            source,
            (rcode, transport) -> answered.incrementAndGet());
    server.start();
    InetSocketAddress address = server.udpAddress();
    verifier =
        new AnswerVerifier(
            zone -> {
              resolved.add(zone);
              return List.of(address);
            },
            Map.of("example.com", Duration.ofSeconds(2)),
            new VerifyObserver() {
              @Override
              public void visible(String zone, Duration afterApply) {
                visible.add(afterApply);
              }

              @Override
              public void notVisible(String zone, String reason) {
                failed.add(reason);
              }
            },
            answers,
            InstantSource.system());
  }

  @AfterEach
  void stop() {
    verifier.close();
    server.close();
  }

  private static RecordSet app(String address) {
    return new RecordSet(APP, 60, List.of(MutableZoneSource.address(address)));
  }

  @Test
  void reportsTheTimeUntilTheServerAnswersTheNewAddress() throws Exception {
    source.set("example.com", "app.example.com", RecordType.A, 60, "192.0.2.1");
    Instant sent = Instant.now();

    verifier.applied(
        "example.com", List.of(new Change.Update(app("192.0.2.1"), app("192.0.2.2"))), sent);
    Thread.sleep(300);
    assertThat(visible).as("not visible before the server answers it").isEmpty();
    String server = "127.0.0.1:" + this.server.udpAddress().getPort();
    assertThat(answers.of(APP))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.server()).isEqualTo(server);
              assertThat(a.answer()).containsExactly("192.0.2.1");
              assertThat(a.matches()).isFalse();
            });
    source.set("example.com", "app.example.com", RecordType.A, 60, "192.0.2.2");

    await().atMost(Duration.ofSeconds(2)).until(() -> !visible.isEmpty());
    assertThat(visible.getFirst()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(failed).isEmpty();
    // What the status shows for the record: the server, its answer, that it is the applied one.
    assertThat(answers.of(APP))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.server()).isEqualTo(server);
              assertThat(a.answer()).containsExactly("192.0.2.2");
              assertThat(a.matches()).isTrue();
              assertThat(a.error()).isEmpty();
            });
  }

  @Test
  void aDeleteIsVisibleOnlyOnceTheNameThatAnsweredNoLongerAnswers() throws Exception {
    source.set("example.com", "app.example.com", RecordType.A, 60, "192.0.2.1");
    Instant sent = Instant.now();

    verifier.applied("example.com", List.of(new Change.Delete(app("192.0.2.1"))), sent);
    await().atMost(Duration.ofSeconds(2)).until(() -> answered.get() > 0);
    Thread.sleep(300);
    assertThat(visible).as("not visible while the server still answers the name").isEmpty();
    source.set("example.com", "app.example.com", RecordType.A, 60);

    await().atMost(Duration.ofSeconds(2)).until(() -> !visible.isEmpty());
    assertThat(visible.getFirst()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(failed).isEmpty();
  }

  @Test
  void reportsAChangeTheServerNeverAnswersAfterTheTimeout() {
    verifier.applied("example.com", List.of(new Change.Create(app("192.0.2.9"))), Instant.now());

    await().atMost(Duration.ofSeconds(4)).until(() -> !failed.isEmpty());
    assertThat(failed.getFirst()).contains("app.example.com");
    assertThat(visible).isEmpty();
  }

  @Test
  void zonesWithoutVerificationAreNotAsked() throws Exception {
    // The same change in a verified zone is asked about at once: the counters see a verification.
    source.set("example.com", "app.example.com", RecordType.A, 60, "192.0.2.9");
    verifier.applied("example.com", List.of(new Change.Create(app("192.0.2.9"))), Instant.now());
    await().atMost(Duration.ofSeconds(2)).until(() -> !visible.isEmpty());
    assertThat(answered).hasPositiveValue();
    assertThat(resolved).containsExactly("example.com");
    int asked = answered.get();

    verifier.applied("other.test", List.of(new Change.Create(app("192.0.2.9"))), Instant.now());

    // A verification's first query goes out at once (see the test above): 500 ms is ample.
    Thread.sleep(500);
    assertThat(answered).as("queries after the unverified zone's apply").hasValue(asked);
    assertThat(resolved).containsExactly("example.com");
    assertThat(visible).hasSize(1);
    assertThat(failed).isEmpty();
  }
}
