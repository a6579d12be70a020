package io.haddns.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.detect.Detection;
import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.Delivery;
import io.haddns.agent.report.Ed25519Keys;
import io.haddns.agent.report.IpAddress;
import io.haddns.agent.report.ReportSigner;
import io.haddns.agent.report.ReportVerifier;
import io.haddns.agent.report.SignedReport;
import io.haddns.agent.state.AgentState;
import io.haddns.agent.state.StateStore;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentLoopTest {
  private static final KeyPair KEYS = Ed25519Keys.generate();
  private static final URI NODE = URI.create("https://ctl-1:8443/api/v1/report");

  private Instant now = Instant.ofEpochMilli(1_795_320_000_000L);
  private final InstantSource clock = () -> now;
  private Detection detection = found("8.8.4.4");
  private Delivery answer = new Delivery.Acknowledged(NODE, "accepted");
  private final List<SignedReport> sent = new ArrayList<>();
  private final MemoryStore store = new MemoryStore();

  static final class MemoryStore implements StateStore {
    AgentState saved = AgentState.EMPTY;
    int saves;

    @Override
    public AgentState load() {
      return saved;
    }

    @Override
    public void save(AgentState state) {
      saved = state;
      saves++;
    }
  }

  private static Detection found(String address) {
    return new Detection.Found(List.of(IpAddress.parse(address)), "fake");
  }

  private AgentLoop loop() throws Exception {
    IpDetector detector =
        new IpDetector() {
          @Override
          public String name() {
            return "fake";
          }

          @Override
          public Detection detect(AddressFamily family) {
            return detection;
          }
        };
    AgentLoop loop =
        new AgentLoop(
            "office-gw",
            List.of(new LineDetectors("telecom", List.of(AddressFamily.IPV4), List.of(detector))),
            new ReportSigner(KEYS.getPrivate()),
            s -> {
              sent.add(s);
              return answer;
            },
            store,
            clock,
            Duration.ofMinutes(10));
    loop.start();
    return loop;
  }

  @BeforeEach
  void reset() {
    sent.clear();
  }

  @Test
  void reportsTheFirstDetectionSigned() throws Exception {
    loop().runOnce();

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).report().addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
    assertThat(new ReportVerifier(KEYS.getPublic()).verify(sent.get(0))).isTrue();
  }

  @Test
  void doesNotResendAnUnchangedAddressBeforeTheHeartbeat() throws Exception {
    AgentLoop loop = loop();
    loop.runOnce();
    now = now.plus(Duration.ofMinutes(9));

    loop.runOnce();

    assertThat(sent).hasSize(1);
  }

  @Test
  void resendsOnHeartbeatAndOnChangeWithIncreasingSequence() throws Exception {
    AgentLoop loop = loop();
    loop.runOnce();
    now = now.plus(Duration.ofMinutes(10));
    loop.runOnce();
    now = now.plusMillis(1);
    detection = found("8.8.8.8");
    loop.runOnce();

    assertThat(sent).hasSize(3);
    assertThat(sent.get(1).report().sequence()).isGreaterThan(sent.get(0).report().sequence());
    assertThat(sent.get(2).report().sequence()).isGreaterThan(sent.get(1).report().sequence());
    assertThat(sent.get(2).report().addresses()).containsExactly(IpAddress.parse("8.8.8.8"));
  }

  @Test
  void aFailedDetectionNeitherReportsNorClears() throws Exception {
    AgentLoop loop = loop();
    loop.runOnce();
    detection = new Detection.Failed("echo services disagree");
    now = now.plus(Duration.ofHours(1));

    loop.runOnce();

    assertThat(sent).hasSize(1);
    assertThat(store.saved.reported().get("telecom/ipv4").addresses())
        .containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void anUndeliveredReportIsRetriedNextRound() throws Exception {
    AgentLoop loop = loop();
    answer = new Delivery.Undelivered(6, "all down");
    loop.runOnce();
    answer = new Delivery.Acknowledged(NODE, "accepted");
    now = now.plusSeconds(30);

    loop.runOnce();

    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).report().sequence()).isGreaterThan(sent.get(0).report().sequence());
  }

  @Test
  void restartsItsSequenceFromTheClockWhenTheControllerFindsItTooFarAhead() throws Exception {
    // A state file saved while the clock was set years ahead.
    store.saved = AgentState.EMPTY.withSequence(Long.MAX_VALUE - 1_000);
    AgentLoop loop = loop();
    answer = new Delivery.Rejected(NODE, 422, "sequence-ahead", "too far ahead");
    loop.runOnce();
    answer = new Delivery.Acknowledged(NODE, "accepted");
    now = now.plusSeconds(30);

    loop.runOnce();

    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).report().sequence()).isEqualTo(Long.MAX_VALUE - 999);
    assertThat(sent.get(1).report().sequence()).isEqualTo(now.toEpochMilli());
    assertThat(store.saved.sequence()).isEqualTo(now.toEpochMilli());
  }

  @Test
  void keepsItsSequenceWhenAReportIsRefusedForAnotherReason() throws Exception {
    AgentLoop loop = loop();
    answer = new Delivery.Rejected(NODE, 409, "stale", "replay");
    loop.runOnce();
    long first = sent.get(0).report().sequence();
    answer = new Delivery.Acknowledged(NODE, "accepted");

    loop.runOnce();

    assertThat(sent.get(1).report().sequence()).isEqualTo(first + 1);
  }

  @Test
  void aRestartNeitherResendsNorReusesASequence() throws Exception {
    loop().runOnce();
    long first = sent.get(0).report().sequence();
    now = now.plusSeconds(30);

    AgentLoop restarted = loop();
    restarted.runOnce();
    assertThat(sent).hasSize(1);

    detection = found("8.8.8.8");
    restarted.runOnce();
    assertThat(sent.get(1).report().sequence()).isGreaterThan(first);
  }

  @Test
  void savesTheSequenceBeforeSending() throws Exception {
    AgentLoop loop =
        new AgentLoop(
            "office-gw",
            List.of(
                new LineDetectors(
                    "telecom",
                    List.of(AddressFamily.IPV4),
                    List.of(
                        new IpDetector() {
                          @Override
                          public String name() {
                            return "fake";
                          }

                          @Override
                          public Detection detect(AddressFamily family) {
                            return detection;
                          }
                        }))),
            new ReportSigner(KEYS.getPrivate()),
            s -> {
              assertThat(store.saved.sequence()).isEqualTo(s.report().sequence());
              sent.add(s);
              return new Delivery.Undelivered(1, "down");
            },
            store,
            clock,
            Duration.ofMinutes(10));
    loop.start();

    loop.runOnce();

    assertThat(sent).hasSize(1);
  }

  @Test
  void tellsTheObserverEachDetectionReportAndRoundAndTheSavedLastAcknowledgement()
      throws Exception {
    store.saved =
        AgentState.EMPTY.withReported(
            "telecom",
            AddressFamily.IPV4,
            new AgentState.Reported(List.of(IpAddress.parse("8.8.8.8")), 1_000L));
    List<String> seen = new ArrayList<>();
    AgentObserver observer =
        new AgentObserver() {
          @Override
          public void detected(String line, AddressFamily family, String detector, boolean found) {
            seen.add("detected " + line + " " + detector + " " + found);
          }

          @Override
          public void reported(
              String line, AddressFamily family, Delivery delivery, long atMillis) {
            seen.add("reported " + line + " " + delivery.getClass().getSimpleName());
          }

          @Override
          public void lastAcknowledged(String line, AddressFamily family, long atMillis) {
            seen.add("last " + line + " " + family.wireName() + " " + atMillis);
          }

          @Override
          public void roundCompleted(long atMillis) {
            seen.add("round " + (atMillis == now.toEpochMilli()));
          }
        };
    AgentLoop loop =
        new AgentLoop(
            "office-gw",
            List.of(
                new LineDetectors(
                    "telecom", List.of(AddressFamily.IPV4), List.of(failing(), detector()))),
            new ReportSigner(KEYS.getPrivate()),
            s -> answer,
            store,
            clock,
            Duration.ofMinutes(10),
            observer);
    loop.start();

    loop.runOnce();

    assertThat(seen)
        .containsExactly(
            "last telecom ipv4 1000",
            "detected telecom broken false",
            "detected telecom fake true",
            "reported telecom Acknowledged",
            "round true");
  }

  private IpDetector detector() {
    return named("fake", () -> detection);
  }

  private static IpDetector failing() {
    return named("broken", () -> new Detection.Failed("no answer"));
  }

  private static IpDetector named(String name, java.util.function.Supplier<Detection> result) {
    return new IpDetector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Detection detect(AddressFamily family) {
        return result.get();
      }
    };
  }
}
