package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordConvergenceTest {
  private static final RecordKey KEY = new RecordKey("app.example.com", RecordType.A);

  /** A backend record: an id and a value that may or may not be an address. */
  private record Rec(String id, String value) {
    Optional<InetAddress> address() {
      if (!value.matches("[0-9.]+")) {
        return Optional.empty();
      }
      try {
        return Optional.of(InetAddress.getByName(value));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<InetAddress> ips(String... literals) {
    return java.util.Arrays.stream(literals).map(RecordConvergenceTest::ip).toList();
  }

  private static RecordConvergence<Rec> plan(List<InetAddress> desired, Rec... current) {
    return plan(desired, Set.of(), current);
  }

  private static RecordConvergence<Rec> plan(
      List<InetAddress> desired, Set<InetAddress> heldByOthers, Rec... current) {
    return RecordConvergence.plan(desired, List.of(current), Rec::address, heldByOthers);
  }

  private static RecordConvergence.Repoint<Rec> repoint(Rec r, String to) {
    return new RecordConvergence.Repoint<>(r, ip(to));
  }

  @Test
  void keepsRecordsThatAlreadyHoldADesiredAddress() {
    Rec a = new Rec("a", "192.0.2.1");
    Rec b = new Rec("b", "192.0.2.2");

    RecordConvergence<Rec> p = plan(ips("192.0.2.1", "192.0.2.2"), b, a);

    assertThat(p.keep()).containsExactly(b, a);
    assertThat(p.repoint()).isEmpty();
    assertThat(p.create()).isEmpty();
    assertThat(p.delete()).isEmpty();
  }

  @Test
  void createsEveryAddressWhenNothingIsThere() {
    RecordConvergence<Rec> p = plan(ips("192.0.2.1", "192.0.2.2"));

    assertThat(p.create()).containsExactly(ip("192.0.2.1"), ip("192.0.2.2"));
    assertThat(p.keep()).isEmpty();
    assertThat(p.repoint()).isEmpty();
    assertThat(p.delete()).isEmpty();
  }

  @Test
  void repointsSurplusRecordsToMissingAddressesInsteadOfCreatingAndDeleting() {
    Rec old1 = new Rec("a", "192.0.2.1");
    Rec old2 = new Rec("b", "192.0.2.2");

    RecordConvergence<Rec> p = plan(ips("198.51.100.1", "198.51.100.2"), old1, old2);

    assertThat(p.repoint())
        .containsExactly(repoint(old1, "198.51.100.1"), repoint(old2, "198.51.100.2"));
    assertThat(p.create()).isEmpty();
    assertThat(p.delete()).isEmpty();
  }

  @Test
  void createsOnlyTheMissingAddressesNoSurplusRecordWasLeftFor() {
    Rec old = new Rec("a", "192.0.2.9");

    RecordConvergence<Rec> p = plan(ips("198.51.100.1", "198.51.100.2", "198.51.100.3"), old);

    assertThat(p.repoint()).containsExactly(repoint(old, "198.51.100.1"));
    assertThat(p.create()).containsExactly(ip("198.51.100.2"), ip("198.51.100.3"));
  }

  @Test
  void deletesOnlyTheSurplusRecordsNoMissingAddressWasLeftFor() {
    Rec keep = new Rec("a", "192.0.2.1");
    Rec moved = new Rec("b", "192.0.2.2");
    Rec gone = new Rec("c", "192.0.2.3");

    RecordConvergence<Rec> p = plan(ips("192.0.2.1", "198.51.100.1"), keep, moved, gone);

    assertThat(p.keep()).containsExactly(keep);
    assertThat(p.repoint()).containsExactly(repoint(moved, "198.51.100.1"));
    assertThat(p.delete()).containsExactly(gone);
    assertThat(p.create()).isEmpty();
  }

  @Test
  void keepsOnlyTheFirstOfDuplicateRecordsAndTreatsTheRestAsSurplus() {
    Rec first = new Rec("a", "192.0.2.1");
    Rec second = new Rec("b", "192.0.2.1");
    Rec third = new Rec("c", "192.0.2.1");

    RecordConvergence<Rec> p = plan(ips("192.0.2.1", "192.0.2.2"), first, second, third);

    assertThat(p.keep()).containsExactly(first);
    assertThat(p.repoint()).containsExactly(repoint(second, "192.0.2.2"));
    assertThat(p.delete()).containsExactly(third);
  }

  @Test
  void emptyDesiredDeletesEveryRecordItIsGiven() {
    Rec a = new Rec("a", "192.0.2.1");
    Rec b = new Rec("b", "not-an-address");

    RecordConvergence<Rec> p = plan(List.of(), a, b);

    assertThat(p.delete()).containsExactly(a, b);
    assertThat(p.keep()).isEmpty();
    assertThat(p.repoint()).isEmpty();
    assertThat(p.create()).isEmpty();
  }

  @Test
  void aRecordWhoseValueIsNoAddressIsSurplusAndGetsRepointed() {
    Rec broken = new Rec("a", "not-an-address");

    RecordConvergence<Rec> p = plan(ips("192.0.2.1"), broken);

    assertThat(p.repoint()).containsExactly(repoint(broken, "192.0.2.1"));
  }

  @Test
  void neverCreatesAnAddressThatAForeignRecordAlreadyHolds() {
    Rec own = new Rec("a", "192.0.2.1");

    RecordConvergence<Rec> p =
        plan(ips("192.0.2.1", "192.0.2.2"), Set.of(ip("192.0.2.1"), ip("192.0.2.2")), own);

    assertThat(p.create()).isEmpty();
    assertThat(p.keep()).isEmpty();
    assertThat(p.delete()).containsExactly(own);
  }

  @Test
  void theDesiredRrsetOfAChangeIsEmptyOnlyForADelete() {
    RecordSet set = new RecordSet(KEY, 60, ips("192.0.2.1"));
    RecordSet other = new RecordSet(KEY, 60, ips("192.0.2.2"));

    assertThat(RecordConvergence.desired(new Change.Create(set))).contains(set);
    assertThat(RecordConvergence.desired(new Change.Update(other, set))).contains(set);
    assertThat(RecordConvergence.desired(new Change.Delete(set))).isEmpty();
  }
}
