package io.haddns.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private final Planner planner = new Planner();
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);
  private static final RecordKey WWW = new RecordKey("www.example.com", RecordType.A);

  private static RecordSet rs(RecordKey k, long ttl, String... ips) throws Exception {
    List<InetAddress> a = new java.util.ArrayList<>();
    for (String s : ips) {
      a.add(InetAddress.getByName(s));
    }
    return new RecordSet(k, ttl, a);
  }

  private static Desired point(RecordSet r) {
    return new Desired.Point(r, List.of("a"));
  }

  @Test
  void createsRecordThatDoesNotExist() throws Exception {
    RecordSet want = rs(APP, 30, "192.0.2.1");
    assertThat(planner.plan(List.of(point(want)), Map.of(), Set.of()))
        .containsExactly(new Change.Create(want));
  }

  @Test
  void updatesRecordWithOtherAddresses() throws Exception {
    RecordSet now = rs(APP, 30, "192.0.2.1");
    RecordSet want = rs(APP, 30, "198.51.100.1");
    assertThat(planner.plan(List.of(point(want)), Map.of(APP, now), Set.of()))
        .containsExactly(new Change.Update(now, want));
  }

  @Test
  void updatesRecordWhenOnlyTtlDiffers() throws Exception {
    RecordSet now = rs(APP, 300, "192.0.2.1");
    RecordSet want = rs(APP, 30, "192.0.2.1");
    assertThat(planner.plan(List.of(point(want)), Map.of(APP, now), Set.of()))
        .containsExactly(new Change.Update(now, want));
  }

  @Test
  void plansNothingWhenProviderAlreadyAgrees() throws Exception {
    RecordSet want = rs(APP, 30, "192.0.2.1", "198.51.100.1");
    RecordSet now = rs(APP, 30, "198.51.100.1", "192.0.2.1");
    assertThat(planner.plan(List.of(point(want)), Map.of(APP, now), Set.of())).isEmpty();
  }

  @Test
  void keepLeavesExistingRecordUntouched() throws Exception {
    RecordSet now = rs(APP, 30, "192.0.2.1");
    assertThat(planner.plan(List.of(new Desired.Keep(APP, "all down")), Map.of(APP, now), Set.of()))
        .isEmpty();
  }

  @Test
  void neverTouchesRecordsItDoesNotManage() throws Exception {
    RecordSet foreign = rs(WWW, 300, "203.0.113.5");
    RecordSet want = rs(APP, 30, "192.0.2.1");
    assertThat(planner.plan(List.of(point(want)), Map.of(WWW, foreign), Set.of()))
        .containsExactly(new Change.Create(want));
  }

  @Test
  void deletesRetiredRecordsThatStillExist() throws Exception {
    RecordSet old = rs(WWW, 60, "203.0.113.5");
    assertThat(planner.plan(List.of(), Map.of(WWW, old), Set.of(WWW)))
        .containsExactly(new Change.Delete(old));
  }

  @Test
  void retiredRecordAlreadyGoneNeedsNoChange() {
    assertThat(planner.plan(List.of(), Map.of(), Set.of(WWW))).isEmpty();
  }
}
