package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.verify.AnswerVerifier;
import io.haddns.controller.verify.VerifyObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The apply verifier asks a real authoritative server over UDP until it answers the change. */
class AnswerVerifierIT {
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);

  private final MutableZoneSource source = new MutableZoneSource();
  private final List<Duration> visible = new CopyOnWriteArrayList<>();
  private final List<String> failed = new CopyOnWriteArrayList<>();
  private EmbeddedDnsServer server;
  private AnswerVerifier verifier;

  @BeforeEach
  void start() {
    server =
        new EmbeddedDnsServer(
            new DnsServerSettings(
                "127.0.0.1", 0, TestZones.ZONES, SoaTimers.DEFAULTS, 1232, Duration.ofSeconds(5)),
            source,
            (rcode, transport) -> {});
    server.start();
    InetSocketAddress address = server.udpAddress();
    verifier =
        new AnswerVerifier(
            zone -> List.of(address),
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
    source.set("example.com", "app.example.com", RecordType.A, 60, "192.0.2.2");

    await().atMost(Duration.ofSeconds(2)).until(() -> !visible.isEmpty());
    assertThat(visible.getFirst()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(failed).isEmpty();
  }

  @Test
  void aDeleteIsVisibleWhenTheNameNoLongerAnswers() {
    verifier.applied("example.com", List.of(new Change.Delete(app("192.0.2.1"))), Instant.now());

    await().atMost(Duration.ofSeconds(2)).until(() -> !visible.isEmpty());
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
    verifier.applied("other.test", List.of(new Change.Create(app("192.0.2.9"))), Instant.now());

    Thread.sleep(200);
    assertThat(visible).isEmpty();
    assertThat(failed).isEmpty();
  }
}
