package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForeignRecordsTest {
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);
  private static final RecordKey WWW = new RecordKey("www.example.com", RecordType.A);

  /** A backend record: its key, address and whether it carries haddns' mark. */
  private record Rec(RecordKey key, String ip, boolean marked) {
    Optional<InetAddress> address() {
      return Optional.of(ForeignRecordsTest.ip(ip));
    }

    @Override
    public String toString() {
      return key + " " + ip;
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ForeignRecords<Rec> registry(Set<RecordKey> adopted) {
    return new ForeignRecords<>(
        "cloudflare",
        "example.com",
        adopted,
        new ForeignRecords.Marking<>(
            "comment 'managed-by=haddns'", Rec::marked, Rec::address, Rec::toString));
  }

  private static Map<RecordKey, List<Rec>> listing(Rec... records) {
    Map<RecordKey, List<Rec>> out = new LinkedHashMap<>();
    for (Rec r : records) {
      out.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(r);
    }
    return out;
  }

  private static RecordSet set(RecordKey key, String... ips) {
    return new RecordSet(
        key, 60, java.util.Arrays.stream(ips).map(ForeignRecordsTest::ip).toList());
  }

  @Test
  void takesAnUnmarkedRecordUnderAMarkedNameOutOfTheViewAndReportsIt() {
    ForeignRecords<Rec> registry = registry(Set.of());
    Rec own = new Rec(APP, "192.0.2.1", true);
    Rec theirs = new Rec(APP, "203.0.113.9", false);

    Map<RecordKey, List<Rec>> view = registry.sort(listing(own, theirs));

    assertThat(view).containsExactly(Map.entry(APP, List.of(own)));
    assertThat(registry.foreign()).containsExactly("app.example.com/A 203.0.113.9");
    assertThat(registry.foreignAddresses(APP)).containsExactly(ip("203.0.113.9"));
  }

  @Test
  void keepsAnUnmarkedRecordInTheViewWhenItsKeyIsAdopted() {
    ForeignRecords<Rec> registry = registry(Set.of(APP));
    Rec own = new Rec(APP, "192.0.2.1", true);
    Rec theirs = new Rec(APP, "203.0.113.9", false);

    assertThat(registry.sort(listing(own, theirs))).containsEntry(APP, List.of(own, theirs));
    assertThat(registry.foreign()).isEmpty();
    assertThat(registry.ownedKeys()).isEmpty();
  }

  @Test
  void ownsTheKeysAllOfWhoseWritableRecordsAreMarked() {
    ForeignRecords<Rec> registry = registry(Set.of());

    registry.sort(
        listing(
            new Rec(APP, "192.0.2.1", true),
            new Rec(APP, "203.0.113.9", false),
            new Rec(WWW, "192.0.2.2", false)));

    assertThat(registry.ownedKeys()).containsExactly(APP);
  }

  @Test
  void countsWritesAndDeletesSinceTheLastListing() {
    ForeignRecords<Rec> registry = registry(Set.of());
    registry.sort(listing(new Rec(APP, "192.0.2.1", true)));

    registry.wrote(WWW);
    registry.deleted(APP);

    assertThat(registry.ownedKeys()).containsExactly(WWW);
  }

  @Test
  void recountsOwnershipFromAViewChangedByWrites() {
    ForeignRecords<Rec> registry = registry(Set.of());
    registry.sort(listing(new Rec(WWW, "192.0.2.2", false)));

    registry.recount(listing(new Rec(WWW, "192.0.2.2", true), new Rec(APP, "192.0.2.1", true)));

    assertThat(registry.ownedKeys()).containsExactlyInAnyOrder(APP, WWW);
  }

  @Test
  void refusesToDeleteAnRrsetHoldingAnUnmarkedRecordNamingEveryOne() {
    ForeignRecords<Rec> registry = registry(Set.of());
    Map<RecordKey, List<Rec>> view =
        registry.sort(
            listing(
                new Rec(APP, "192.0.2.1", false),
                new Rec(APP, "192.0.2.2", false),
                new Rec(WWW, "192.0.2.3", true)));

    assertThatThrownBy(
            () ->
                registry.refuseUnmarkedDeletes(
                    List.of(new Change.Delete(set(APP, "192.0.2.1", "192.0.2.2"))), view))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("cloudflare zone example.com")
        .hasMessageContaining("app.example.com/A 192.0.2.1")
        .hasMessageContaining("app.example.com/A 192.0.2.2")
        .hasMessageContaining("comment 'managed-by=haddns'")
        .hasMessageContaining("never deletes");
  }

  @Test
  void refusesAnUpdateToNoAddressOfUnmarkedRecordsLikeADelete() {
    ForeignRecords<Rec> registry = registry(Set.of());
    Map<RecordKey, List<Rec>> view = registry.sort(listing(new Rec(APP, "192.0.2.1", false)));

    assertThatThrownBy(
            () ->
                registry.refuseUnmarkedDeletes(
                    List.of(new Change.Update(set(APP, "192.0.2.1"), set(APP))), view))
        .isInstanceOf(PermanentProviderException.class);
  }

  @Test
  void letsDeletesOfMarkedRecordsAndUpdatesOfUnmarkedOnesThrough() {
    ForeignRecords<Rec> registry = registry(Set.of());
    Map<RecordKey, List<Rec>> view =
        registry.sort(listing(new Rec(APP, "192.0.2.1", false), new Rec(WWW, "192.0.2.2", true)));

    assertThatCode(
            () ->
                registry.refuseUnmarkedDeletes(
                    List.of(
                        new Change.Update(set(APP, "192.0.2.1"), set(APP, "198.51.100.1")),
                        new Change.Delete(set(WWW, "192.0.2.2"))),
                    view))
        .doesNotThrowAnyException();
  }
}
