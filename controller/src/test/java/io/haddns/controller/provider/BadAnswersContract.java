package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the backend (issue 5): a write the API refuses for its record type, and an answer
 * that is an HTML page, are permanent errors whose message names provider, zone and record.
 * Implemented by each backend's contract-server test for zone {@code example.com}.
 */
public interface BadAnswersContract {
  /** The provider type as messages name it, e.g. {@code cloudflare}. */
  String providerName();

  /** A provider for zone {@code example.com} that has read the (empty) zone. */
  DnsProvider listedProvider() throws Exception;

  /**
   * The API answers the next write with its documented error for a record type it refuses there;
   * answers the error code the message must quote.
   */
  String refuseNextWriteForItsType();

  /** The next write is answered HTTP 200 with an HTML page (a captive portal, a proxy). */
  void answerNextWriteWithHtml();

  private static List<Change> createApp() throws Exception {
    return List.of(
        new Change.Create(
            new RecordSet(
                new RecordKey("app.example.com", RecordType.A),
                300,
                List.of(InetAddress.getByName("192.0.2.1")))));
  }

  private void assertNamesProviderZoneAndRecord(ProviderException e) {
    assertThat(e).isInstanceOf(PermanentProviderException.class);
    assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT))
        .contains(providerName())
        .contains("zone example.com")
        .contains("app.example.com/a");
  }

  @Test
  default void aRefusedRecordTypeIsAPermanentErrorNamingProviderZoneAndRecord() throws Exception {
    try (DnsProvider p = listedProvider()) {
      String code = refuseNextWriteForItsType();

      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> p.apply(createApp(), 1));

      assertNamesProviderZoneAndRecord(e);
      assertThat(e).hasMessageContaining(code);
    }
  }

  @Test
  default void anHtmlAnswerToAWriteIsAPermanentErrorNamingProviderZoneAndRecord() throws Exception {
    try (DnsProvider p = listedProvider()) {
      answerNextWriteWithHtml();

      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> p.apply(createApp(), 1));

      assertNamesProviderZoneAndRecord(e);
    }
  }
}
