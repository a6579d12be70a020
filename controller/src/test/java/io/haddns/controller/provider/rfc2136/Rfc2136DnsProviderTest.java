package io.haddns.controller.provider.rfc2136;

import static io.haddns.controller.provider.rfc2136.TestRecords.a;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.config.TsigConfig;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

class Rfc2136DnsProviderTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
  private static final List<Change> ONE_CHANGE =
      List.of(new Change.Create(a("app.example.com", 30, "192.0.2.1")));

  private final ScriptedExchange server = new ScriptedExchange();

  @Test
  void claimOverTheTermBeforeIsOneConditionalUpdateWithoutARead() throws Exception {
    server.thenRcode(Rcode.NOERROR);

    provider(100).claim(5);

    assertThat(server.sent).hasSize(1);
    assertThat(onlyPrerequisite(server.updates().get(0)).rdataToString()).isEqualTo("\"epoch=4\"");
  }

  @Test
  void claimOfAnUnfencedZoneAddsTheFenceIfItIsStillAbsent() throws Exception {
    server.thenRcode(Rcode.NXRRSET).thenFence(Optional.empty()).thenRcode(Rcode.NOERROR);

    provider(100).claim(5);

    Record prereq = onlyPrerequisite(server.updates().get(1));
    assertThat(prereq.getDClass()).isEqualTo(DClass.NONE);
    assertThat(server.updates()).hasSize(2);
  }

  @Test
  void claimOverAnOlderEpochIsConditionalOnThatEpoch() throws Exception {
    server.thenRcode(Rcode.NXRRSET).thenFence(Optional.of(3L)).thenRcode(Rcode.NOERROR);

    provider(100).claim(5);

    assertThat(onlyPrerequisite(server.updates().get(1)).rdataToString()).isEqualTo("\"epoch=3\"");
  }

  @Test
  void claimOfTheEpochAlreadyHeldSendsNoUpdateAfterReadingIt() throws Exception {
    server.thenRcode(Rcode.NXRRSET).thenFence(Optional.of(5L));

    provider(100).claim(5);

    assertThat(server.updates()).as("only the conditional one on epoch=4").hasSize(1);
  }

  @Test
  void claimByAStaleEpochIsFencedAfterReadingIt() {
    server.thenRcode(Rcode.NXRRSET).thenFence(Optional.of(9L));

    assertThatThrownBy(() -> provider(100).claim(5))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch=9");
    assertThat(server.updates()).as("only the conditional one on epoch=4").hasSize(1);
  }

  @Test
  void claimThatLosesARaceReadsTheFenceAgainAndDecidesAgain() throws Exception {
    server
        .thenRcode(Rcode.NXRRSET)
        .thenFence(Optional.empty())
        .thenRcode(Rcode.YXRRSET)
        .thenFence(Optional.of(4L))
        .thenRcode(Rcode.NOERROR);

    provider(100).claim(5);

    assertThat(server.updates()).hasSize(3);
    assertThat(onlyPrerequisite(server.updates().get(2)).rdataToString()).isEqualTo("\"epoch=4\"");
  }

  @Test
  void claimThatLosesARaceToAHigherEpochIsFenced() {
    server
        .thenRcode(Rcode.NXRRSET)
        .thenFence(Optional.of(1L))
        .thenRcode(Rcode.NXRRSET)
        .thenFence(Optional.of(8L));

    assertThatThrownBy(() -> provider(100).claim(5)).isInstanceOf(FencedException.class);
  }

  @Test
  void claimGivesUpAsTransientWhenTheFenceKeepsChanging() {
    server.thenRcode(Rcode.NXRRSET);
    for (int i = 0; i < 5; i++) {
      server.thenFence(Optional.of(1L)).thenRcode(Rcode.NXRRSET);
    }

    assertThatThrownBy(() -> provider(100).claim(5))
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("5 attempts");
    assertThat(server.updates()).hasSize(6);
  }

  @Test
  void theFirstTermClaimsWithoutGuessing() throws Exception {
    server.thenFence(Optional.empty()).thenRcode(Rcode.NOERROR);

    provider(100).claim(1);

    assertThat(server.updates()).hasSize(1);
    assertThat(onlyPrerequisite(server.updates().get(0)).getDClass()).isEqualTo(DClass.NONE);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "NXRRSET, fenced",
    "YXRRSET, fenced",
    "SERVFAIL, transient",
    "NOTAUTH, permanent",
    "REFUSED, permanent",
    "NOTZONE, permanent",
    "FORMERR, permanent",
  })
  void applyClassifiesTheServersRcode(String rcode, String expected) {
    server.thenRcode(Rcode.value(rcode));

    Class<? extends ProviderException> type =
        switch (expected) {
          case "fenced" -> FencedException.class;
          case "transient" -> TransientProviderException.class;
          default -> PermanentProviderException.class;
        };
    assertThatThrownBy(() -> provider(100).apply(ONE_CHANGE, 4))
        .isInstanceOf(type)
        .hasMessageContaining("example.com");
  }

  @Test
  void fencedApplySaysWhichEpochLostAndHowFarItGot() {
    server.thenRcode(Rcode.NOERROR).thenRcode(Rcode.NXRRSET);
    List<Change> changes = creates(150);

    assertThatThrownBy(() -> provider(100).apply(changes, 4))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch=4")
        .hasMessageContaining("after 1 of 2 messages");
  }

  @Test
  void applySendsOneFencedUpdatePerBatchAndStopsAtTheFirstFailure() {
    server.thenRcode(Rcode.NOERROR).thenRcode(Rcode.SERVFAIL);

    assertThatThrownBy(() -> provider(100).apply(creates(250), 4))
        .isInstanceOf(TransientProviderException.class);
    assertThat(server.updates()).hasSize(2);
    assertThat(server.updates())
        .allSatisfy(u -> assertThat(onlyPrerequisite(u).rdataToString()).isEqualTo("\"epoch=4\""));
  }

  @Test
  void applyOfAllBatchesSucceeds() throws Exception {
    server.thenRcode(Rcode.NOERROR).thenRcode(Rcode.NOERROR).thenRcode(Rcode.NOERROR);

    provider(100).apply(creates(250), 4);

    assertThat(server.updates()).hasSize(3);
  }

  @Test
  void emptyApplySendsNothing() throws Exception {
    provider(100).apply(List.of(), 4);

    assertThat(server.sent).isEmpty();
  }

  @Test
  void connectionFailureIsTransientAndNamesZoneAndServer() {
    server.thenFail(new ConnectException("Connection refused"));

    assertThatThrownBy(() -> provider(100).apply(ONE_CHANGE, 1))
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("192.0.2.53:53")
        .hasMessageContaining("Connection refused");
  }

  @Test
  void changeOutsideTheZoneIsPermanentAndNothingIsSent() {
    List<Change> foreign = List.of(new Change.Create(a("app.example.org", 30, "192.0.2.1")));

    assertThatThrownBy(() -> provider(100).apply(foreign, 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("app.example.org");
    assertThat(server.sent).isEmpty();
  }

  @Test
  void readFenceReportsAbsentAndPresentFence() throws Exception {
    server.thenFence(Optional.empty()).thenFence(Optional.of(17L));
    Rfc2136DnsProvider p = provider(100);

    assertThat(p.readFence()).isEmpty();
    assertThat(p.readFence()).contains(17L);
    assertThat(p.fencesWrites()).isTrue();
  }

  @Test
  void constructionDoesNoIoAndCanonicalizesTheZone() {
    var config =
        new ProviderConfig.Rfc2136(
            "no-such-host.invalid",
            53,
            Optional.of(tsig("hmac-sha256", new byte[] {1})),
            100,
            Duration.ofSeconds(2));

    assertThatCode(() -> new Rfc2136DnsProvider("Example.COM.", config, Optional.empty(), CLOCK))
        .doesNotThrowAnyException();
    assertThat(new Rfc2136DnsProvider("Example.COM.", config, Optional.empty(), CLOCK).zone())
        .isEqualTo("example.com");
  }

  @Test
  void unknownTsigAlgorithmIsRejectedNamingZoneAndAlgorithm() {
    assertThatThrownBy(() -> withTsig(tsig("hmac-sha999", new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("hmac-sha999");
  }

  @Test
  void emptyTsigSecretIsRejectedNamingZoneKeyAndSource() {
    assertThatThrownBy(() -> withTsig(tsig("hmac-sha256", new byte[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("'haddns'")
        .hasMessageContaining("file /run/secrets/tsig")
        .hasMessageContaining("empty");
  }

  @Test
  void batchSizeBelowOneIsRejectedNamingTheZone() {
    var config =
        new ProviderConfig.Rfc2136("192.0.2.53", 53, Optional.empty(), 0, Duration.ofSeconds(2));

    assertThatThrownBy(() -> new Rfc2136DnsProvider("example.com", config, Optional.empty(), CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("batchSize");
  }

  private static Rfc2136DnsProvider withTsig(TsigConfig tsig) {
    var config =
        new ProviderConfig.Rfc2136("192.0.2.53", 53, Optional.of(tsig), 100, Duration.ofSeconds(2));
    return new Rfc2136DnsProvider("example.com", config, Optional.empty(), CLOCK);
  }

  private static TsigConfig tsig(String algorithm, byte[] secret) {
    return new TsigConfig("haddns", algorithm, new Secret(secret, "file /run/secrets/tsig"));
  }

  private Rfc2136DnsProvider provider(int batchSize) {
    var config =
        new ProviderConfig.Rfc2136(
            "192.0.2.53", 53, Optional.empty(), batchSize, Duration.ofSeconds(2));
    return new Rfc2136DnsProvider(
        "example.com", config, Optional.empty(), CLOCK, Optional.of(server));
  }

  private static List<Change> creates(int n) {
    return IntStream.range(0, n)
        .<Change>mapToObj(i -> new Change.Create(a("h" + i + ".example.com", 30, "10.0.0.1")))
        .toList();
  }

  private static Record onlyPrerequisite(Message update) {
    List<Record> prereqs = update.getSection(Section.PREREQ);
    assertThat(prereqs).hasSize(1);
    assertThat(prereqs.get(0).getName().toString()).isEqualTo("_haddns-fence.example.com.");
    return prereqs.get(0);
  }
}
