package io.haddns.controller.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class ChangeBatchesTest {
  private static Change change(ChangeAction action, String name, String... values) {
    return Change.builder()
        .action(action)
        .resourceRecordSet(
            ResourceRecordSet.builder()
                .name(name)
                .type(RRType.A)
                .ttl(60L)
                .resourceRecords(
                    List.of(values).stream()
                        .map(v -> ResourceRecord.builder().value(v).build())
                        .toList())
                .build())
        .build();
  }

  private static final List<Change> FENCE =
      List.of(
          change(ChangeAction.DELETE, "_haddns-fence.example.com.", "\"epoch=1\""),
          change(ChangeAction.CREATE, "_haddns-fence.example.com.", "\"epoch=1\""));

  @Test
  void upsertCountsTwiceForRecordsAndCharacters() {
    assertThat(ChangeBatches.cost(change(ChangeAction.UPSERT, "a.", "192.0.2.1", "192.0.2.22")))
        .isEqualTo(new ChangeBatches.Cost(4, 38));
    assertThat(ChangeBatches.cost(change(ChangeAction.DELETE, "a.", "192.0.2.1")))
        .isEqualTo(new ChangeBatches.Cost(1, 9));
  }

  @Test
  void splitsAtTheRecordLimitWithTheFenceInEveryRequest() {
    List<List<Change>> groups = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      groups.add(List.of(change(ChangeAction.UPSERT, "h" + i + ".", "10.0.0.1")));
    }
    List<List<Change>> batches = ChangeBatches.pack(groups, FENCE);
    assertThat(batches).hasSize(3);
    assertThat(batches.get(0)).hasSize(2 + 499).startsWith(FENCE.get(0), FENCE.get(1));
    assertThat(batches).allSatisfy(b -> assertThat(ChangeBatches.cost(b).fits()).isTrue());
    assertThat(batches.get(2)).hasSize(2 + 2);
  }

  @Test
  void splitsAtTheCharacterLimit() {
    String longValue = "2001:db8:1234:5678:9abc:def0:1234:5678"; // 38 characters
    List<List<Change>> groups = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      groups.add(List.of(change(ChangeAction.UPSERT, "h" + i + ".", longValue)));
    }
    List<List<Change>> batches = ChangeBatches.pack(groups, FENCE);
    // (32,000 - 18 for the fence) / 76 = 420 per request.
    assertThat(batches.get(0)).hasSize(2 + 420);
    assertThat(batches).hasSize(2);
  }

  @Test
  void keepsAGroupTogether() {
    List<List<Change>> groups = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      groups.add(
          List.of(
              change(ChangeAction.UPSERT, "h" + i + ".", "10.0.0.1"),
              change(ChangeAction.UPSERT, "_haddns-owner-a.h" + i + ".", "\"managed-by=haddns\"")));
    }
    List<List<Change>> batches = ChangeBatches.pack(groups, FENCE);
    assertThat(batches).allSatisfy(b -> assertThat((b.size() - 2) % 2).isZero());
    assertThat(batches).hasSize(2);
  }

  @Test
  void refusesAGroupThatCannotFitAlone() {
    String[] many = new String[600];
    java.util.Arrays.fill(many, "10.0.0.1");
    assertThatThrownBy(
            () ->
                ChangeBatches.pack(
                    List.of(List.of(change(ChangeAction.UPSERT, "x.", many))), FENCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.");
  }
}
