package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditNodeTest {

  @Test
  void readsKindTimeCountAndSequenceOfEveryNameForm() {
    assertThat(AuditNode.parse("e-1700000000000-0000000007"))
        .contains(new AuditNode("e-1700000000000-0000000007", true, 1700000000000L, 1, 7));
    assertThat(AuditNode.parse("g-1700000000000-40-0000000012"))
        .contains(new AuditNode("g-1700000000000-40-0000000012", false, 1700000000000L, 40, 12));
    assertThat(AuditNode.parse("l-1700000000000-250-0000000013"))
        .contains(new AuditNode("l-1700000000000-250-0000000013", true, 1700000000000L, 250, 13));
    // As gateways wrote them before batches: one event each.
    assertThat(AuditNode.parse("g-1700000000000-0000000003"))
        .contains(new AuditNode("g-1700000000000-0000000003", false, 1700000000000L, 1, 3));
  }

  @Test
  void readsTimesBeforeTheEpochFromTheRight() {
    assertThat(AuditNode.parse("g--5-0000000003")).map(AuditNode::newestMillis).contains(-5L);
    assertThat(AuditNode.parse("g--5-3-0000000004"))
        .contains(new AuditNode("g--5-3-0000000004", false, -5, 3, 4));
    assertThat(AuditNode.parse("e--5-0000000001")).map(AuditNode::newestMillis).contains(-5L);
    assertThat(AuditNode.parse("l--5-3-0000000005"))
        .contains(new AuditNode("l--5-3-0000000005", true, -5, 3, 5));
  }

  @Test
  void ignoresNamesThatAreNoAuditEntries() {
    assertThat(AuditNode.parse("lock-0000000001")).isEmpty();
    assertThat(AuditNode.parse("x-1-0000000001")).isEmpty();
  }

  @Test
  void leavesUnreadableNamesToTheAgeTrimAndOrdersThemFirst() {
    AuditNode node = AuditNode.parse("g-soon-many-later").orElseThrow();
    assertThat(node.newestMillis()).isEqualTo(Long.MIN_VALUE);
    assertThat(node.events()).isEqualTo(1);
    assertThat(node.sequence()).isEqualTo(-1);
    assertThat(AuditNode.parse("g-0-0-0000000002").orElseThrow().events()).isEqualTo(1);
  }
}
