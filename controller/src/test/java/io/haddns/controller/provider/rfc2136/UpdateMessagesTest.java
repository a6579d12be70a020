package io.haddns.controller.provider.rfc2136;

import static io.haddns.controller.provider.rfc2136.TestRecords.a;
import static io.haddns.controller.provider.rfc2136.TestRecords.aaaa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.plan.Change;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

class UpdateMessagesTest {
  private static final Name ZONE = Name.fromConstantString("example.com.");
  private final UpdateMessages messages =
      new UpdateMessages(ZONE, new Fence("example.com", ZONE), 100);

  @Test
  void claimOfUnfencedZoneRequiresTheFenceRRsetToBeAbsent() throws IOException {
    Message m = roundTrip(messages.claimAbsent(5));

    assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
    assertThat(lines(m, Section.ZONE)).containsExactly("example.com. 0 IN SOA");
    // RFC 2136 §2.4.3: CLASS NONE, TYPE TXT, TTL 0, no RDATA.
    assertThat(lines(m, Section.PREREQ)).containsExactly("_haddns-fence.example.com. 0 NONE TXT");
    assertThat(lines(m, Section.UPDATE))
        .containsExactly("_haddns-fence.example.com. 60 IN TXT \"epoch=5\"");
  }

  @Test
  void claimOverAnOlderEpochRequiresExactlyThatValueThenSwapsIt() throws IOException {
    Message m = roundTrip(messages.claimReplacing(4, 9));

    // RFC 2136 §2.4.2: CLASS IN, TTL 0, the exact RDATA.
    assertThat(lines(m, Section.PREREQ))
        .containsExactly("_haddns-fence.example.com. 0 IN TXT \"epoch=4\"");
    assertThat(lines(m, Section.UPDATE))
        .containsExactly(
            "_haddns-fence.example.com. 0 ANY TXT",
            "_haddns-fence.example.com. 60 IN TXT \"epoch=9\"");
  }

  @Test
  void createAndUpdateReplaceTheWholeRRsetAndDeleteRemovesIt() throws IOException {
    var created = a("app.example.com", 30, "192.0.2.1", "192.0.2.2");
    var before = aaaa("v6.example.com", 60, "2001:db8::1");
    var after = aaaa("v6.example.com", 120, "2001:db8:0:0:0:0:0:2");
    var gone = a("old.example.com", 30, "192.0.2.9");

    List<UpdateMessages.Batch> batches =
        messages.apply(
            List.of(
                new Change.Create(created),
                new Change.Update(before, after),
                new Change.Delete(gone)),
            7);

    assertThat(batches).hasSize(1);
    Message m = roundTrip(batches.get(0).message());
    assertThat(lines(m, Section.PREREQ))
        .containsExactly("_haddns-fence.example.com. 0 IN TXT \"epoch=7\"");
    assertThat(lines(m, Section.UPDATE))
        .containsExactly(
            "app.example.com. 0 ANY A",
            "app.example.com. 30 IN A 192.0.2.1",
            "app.example.com. 30 IN A 192.0.2.2",
            "v6.example.com. 0 ANY AAAA",
            "v6.example.com. 120 IN AAAA 2001:db8:0:0:0:0:0:2",
            "old.example.com. 0 ANY A");
  }

  @Test
  void splitsChangesIntoMessagesOfBatchSizeEachCarryingTheFence() throws IOException {
    List<Change> creates =
        IntStream.range(0, 250)
            .<Change>mapToObj(i -> new Change.Create(a("h" + i + ".example.com", 30, "10.0.0.1")))
            .toList();

    List<UpdateMessages.Batch> batches = messages.apply(creates, 3);

    assertThat(batches).extracting(b -> b.changes().size()).containsExactly(100, 100, 50);
    assertThat(batches.get(1).changes().get(0)).isEqualTo(creates.get(100));
    for (UpdateMessages.Batch b : batches) {
      Message m = roundTrip(b.message());
      assertThat(lines(m, Section.PREREQ))
          .containsExactly("_haddns-fence.example.com. 0 IN TXT \"epoch=3\"");
      assertThat(m.getSection(Section.UPDATE)).hasSize(2 * b.changes().size());
    }
  }

  @Test
  void halvesABatchThatWouldNotFitOneTcpMessage() {
    UpdateMessages big = new UpdateMessages(ZONE, new Fence("example.com", ZONE), 5000);
    List<Change> creates =
        IntStream.range(0, 3000)
            .<Change>mapToObj(
                i ->
                    new Change.Create(
                        a("host-with-a-longish-name-" + i + ".example.com", 30, "10.0.0.1")))
            .toList();

    List<UpdateMessages.Batch> batches = big.apply(creates, 1);

    assertThat(batches.size()).isGreaterThan(1);
    assertThat(batches)
        .allSatisfy(
            b ->
                assertThat(b.message().toWire().length)
                    .isLessThanOrEqualTo(UpdateMessages.MAX_UNSIGNED_LENGTH));
    assertThat(batches.stream().flatMap(b -> b.changes().stream()).toList()).isEqualTo(creates);
  }

  @Test
  void noChangesMeanNoMessages() {
    assertThat(messages.apply(List.of(), 1)).isEmpty();
  }

  @Test
  void rejectsBatchSizeBelowOne() {
    assertThatThrownBy(() -> new UpdateMessages(ZONE, new Fence("example.com", ZONE), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
  }

  private static Message roundTrip(Update u) throws IOException {
    return new Message(u.toWire());
  }

  private static List<String> lines(Message m, int section) {
    return m.getSection(section).stream()
        .map(
            r ->
                (r.getName()
                        + " "
                        + r.getTTL()
                        + " "
                        + DClass.string(r.getDClass())
                        + " "
                        + Type.string(r.getType())
                        + " "
                        + r.rdataToString())
                    .trim())
        .toList();
  }
}
