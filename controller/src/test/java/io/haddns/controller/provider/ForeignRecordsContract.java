package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ForeignRecords} for a backend with one record per address and a mark on
 * each: an unmarked record under {@code app.example.com} A, where haddns' marked records live, is
 * left alone unless adopted. Implemented by each backend's contract-server test.
 */
public interface ForeignRecordsContract {
  String MARK = "managed-by=haddns";
  RecordKey APP = new RecordKey("app.example.com", RecordType.A);

  /** Puts a record of {@link #APP} at the backend; {@code note} is its comment or remark. */
  void seedApp(String address, long ttl, String note) throws Exception;

  /** The records of {@link #APP} at the backend, each as {@code "<address> <ttl> <note>"}. */
  List<String> heldApp();

  /** A provider for zone {@code example.com} whose adopted keys are {@code adopted}. */
  DnsProvider provider(Set<RecordKey> adopted);

  /** The provider's {@code foreignRecords()}. */
  List<String> foreignRecords(DnsProvider provider);

  private static RecordSet app(long ttl, String... ips) throws Exception {
    List<InetAddress> a = new ArrayList<>();
    for (String ip : ips) {
      a.add(InetAddress.getByName(ip));
    }
    return new RecordSet(APP, ttl, a);
  }

  @Test
  default void leavesAnUnmarkedRecordUnderAnOwnedNameAloneAndReportsIt() throws Exception {
    seedApp("192.0.2.1", 600, MARK);
    seedApp("203.0.113.9", 300, "added by hand");
    try (DnsProvider p = provider(Set.of())) {
      assertThat(p.list()).containsExactly(app(600, "192.0.2.1"));
      assertThat(p.ownedKeys()).contains(APP);
      assertThat(foreignRecords(p))
          .singleElement()
          .asString()
          .contains("app.example.com/A 203.0.113.9");

      p.apply(
          List.of(
              new Change.Update(app(600, "192.0.2.1"), app(600, "198.51.100.1", "198.51.100.2"))),
          1);

      assertThat(heldApp())
          .containsExactlyInAnyOrder(
              "198.51.100.1 600 " + MARK,
              "198.51.100.2 600 " + MARK,
              "203.0.113.9 300 added by hand");
      assertThat(p.list()).containsExactly(app(600, "198.51.100.1", "198.51.100.2"));

      p.apply(List.of(new Change.Delete(app(600, "198.51.100.1", "198.51.100.2"))), 1);

      assertThat(heldApp()).containsExactly("203.0.113.9 300 added by hand");
    }
  }

  @Test
  default void addsNoRecordOfItsOwnForAnAddressAForeignRecordAlreadyHolds() throws Exception {
    seedApp("192.0.2.1", 600, MARK);
    seedApp("203.0.113.9", 300, "added by hand");
    try (DnsProvider p = provider(Set.of())) {
      p.list();

      p.apply(
          List.of(
              new Change.Update(app(600, "192.0.2.1"), app(600, "198.51.100.1", "203.0.113.9"))),
          1);

      assertThat(heldApp())
          .containsExactlyInAnyOrder("198.51.100.1 600 " + MARK, "203.0.113.9 300 added by hand");
    }
  }

  @Test
  default void takesOverAnUnmarkedRecordUnderAnOwnedNameWhenTheRecordIsAdopted() throws Exception {
    seedApp("192.0.2.1", 600, MARK);
    seedApp("203.0.113.9", 600, "added by hand");
    try (DnsProvider p = provider(Set.of(APP))) {
      assertThat(p.list()).containsExactly(app(600, "192.0.2.1", "203.0.113.9"));
      assertThat(foreignRecords(p)).isEmpty();

      p.apply(
          List.of(
              new Change.Update(app(600, "192.0.2.1", "203.0.113.9"), app(600, "198.51.100.1"))),
          1);

      assertThat(heldApp())
          .singleElement()
          .asString()
          .startsWith("198.51.100.1 600 ")
          .contains(MARK);
    }
  }
}
