package io.haddns.controller.provider.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordOpsTest {
  private static final RecordKey KEY = new RecordKey("app.example.com", RecordType.A);
  private static final String MARK = CloudflareRecord.OWNER_MARK;

  private static CloudflareRecord rec(String id, String ip, long ttl, boolean proxied, String c) {
    return new CloudflareRecord(
        id, "app.example.com", RecordType.A, ip, ttl, proxied, Optional.ofNullable(c));
  }

  private static Optional<RecordSet> want(long ttl, String... ips) throws Exception {
    List<InetAddress> a = new ArrayList<>();
    for (String ip : ips) {
      a.add(InetAddress.getByName(ip));
    }
    return Optional.of(new RecordSet(KEY, ttl, a));
  }

  @Test
  void createsOneRecordPerAddressWithTheMark() throws Exception {
    List<RecordOps.Op> ops = RecordOps.plan(KEY, want(60, "192.0.2.1", "192.0.2.2"), List.of());

    assertThat(ops)
        .hasSize(2)
        .allMatch(
            o -> o instanceof RecordOps.Op.Post p && p.comment().equals(MARK) && !p.proxied());
  }

  @Test
  void leavesRecordsThatAreAlreadyRightAlone() throws Exception {
    assertThat(
            RecordOps.plan(
                KEY, want(60, "192.0.2.1"), List.of(rec("a", "192.0.2.1", 60, true, MARK))))
        .isEmpty();
  }

  @Test
  void repointsSurplusRecordsBeforeCreatingOrDeleting() throws Exception {
    List<RecordOps.Op> ops =
        RecordOps.plan(
            KEY,
            want(60, "198.51.100.1"),
            List.of(rec("a", "192.0.2.1", 60, true, MARK), rec("b", "192.0.2.2", 60, true, MARK)));

    assertThat(ops).hasSize(2);
    assertThat(ops.get(0))
        .isInstanceOfSatisfying(
            RecordOps.Op.Patch.class, p -> assertThat(p.current().id()).isEqualTo("a"));
    assertThat(ops.get(1))
        .isInstanceOfSatisfying(
            RecordOps.Op.Delete.class, d -> assertThat(d.current().id()).isEqualTo("b"));
  }

  @Test
  void leavesTheAutomaticTtlOfAProxiedRecordAlone() throws Exception {
    assertThat(
            RecordOps.plan(
                KEY, want(300, "192.0.2.1"), List.of(rec("a", "192.0.2.1", 1, true, MARK))))
        .isEmpty();
  }

  @Test
  void writesAProxiedRecordWithTheAutomaticTtl() throws Exception {
    List<RecordOps.Op> ops =
        RecordOps.plan(
            KEY,
            want(300, "198.51.100.1", "198.51.100.2"),
            List.of(rec("a", "192.0.2.1", 1, true, MARK)));

    assertThat(ops)
        .hasSize(2)
        .allSatisfy(
            o ->
                assertThat(
                        switch (o) {
                          case RecordOps.Op.Patch p -> p.ttl();
                          case RecordOps.Op.Post p -> p.ttl();
                          case RecordOps.Op.Delete d -> -1L;
                        })
                    .isEqualTo(1));
  }

  @Test
  void newRecordsFollowTheRrsetsProxiedFlag() throws Exception {
    List<RecordOps.Op> ops =
        RecordOps.plan(
            KEY,
            want(60, "192.0.2.1", "192.0.2.2"),
            List.of(rec("a", "192.0.2.1", 60, true, MARK)));

    assertThat(ops)
        .singleElement()
        .isInstanceOfSatisfying(RecordOps.Op.Post.class, p -> assertThat(p.proxied()).isTrue());
  }

  @Test
  void anUpdateOfAnUnmarkedRecordMarksItKeepingTheOperatorsComment() throws Exception {
    List<RecordOps.Op> ops =
        RecordOps.plan(
            KEY, want(60, "192.0.2.1"), List.of(rec("a", "192.0.2.1", 60, false, "web")));

    assertThat(ops)
        .singleElement()
        .isInstanceOfSatisfying(
            RecordOps.Op.Patch.class, p -> assertThat(p.comment()).isEqualTo("web " + MARK));
  }

  @Test
  void packsWholeRrsetsAndSplitsOnlyOversizedOnes() {
    RecordOps.Op op = new RecordOps.Op.Delete(rec("a", "192.0.2.1", 60, false, MARK));
    List<List<RecordOps.Op>> groups =
        List.of(Collections.nCopies(3, op), Collections.nCopies(3, op), Collections.nCopies(5, op));

    assertThat(CloudflareDnsProvider.pack(groups, 4))
        .extracting(List::size)
        .containsExactly(3, 3, 4, 1);
  }
}
