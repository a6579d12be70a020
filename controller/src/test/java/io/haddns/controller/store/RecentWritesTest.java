package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RecentWritesTest {
  private static final RecordKey WEB = new RecordKey("web.example.com", RecordType.A);
  private static final RecordKey WEB6 = new RecordKey("web.example.com", RecordType.AAAA);
  private static final RecordKey API = new RecordKey("api.example.com", RecordType.A);

  private final RecentWrites recent = new RecentWrites();
  private final Map<RecordKey, AppliedRecord> view = new HashMap<>();
  private final List<RecordKey> looked = new ArrayList<>();
  private final Function<RecordKey, Optional<AppliedRecord>> lookup =
      key -> {
        looked.add(key);
        return Optional.ofNullable(view.get(key));
      };

  private static AppliedRecord applied(RecordKey key, String address, long epoch) throws Exception {
    return new AppliedRecord(
        new RecordSet(key, 30, List.of(InetAddress.getByName(address))),
        "example.com",
        epoch,
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void looksUpOnlyTheKeysAskedFor() throws Exception {
    for (int i = 0; i < 1000; i++) {
      RecordKey k = new RecordKey("r" + i + ".example.com", RecordType.A);
      view.put(k, applied(k, "192.0.2.1", 1));
    }
    view.put(WEB, applied(WEB, "192.0.2.2", 1));

    Map<RecordKey, AppliedRecord> known = recent.overlay(1, lookup, List.of(WEB, WEB6));

    assertThat(known).containsOnlyKeys(WEB);
    assertThat(looked).containsExactlyInAnyOrder(WEB, WEB6);
  }

  @Test
  void aWriteOfTheTermShowsBeforeTheViewDoesAndIsForgottenOnceItDoes() throws Exception {
    view.put(WEB, applied(WEB, "192.0.2.2", 1));
    view.put(API, applied(API, "192.0.2.3", 1));
    recent.overlay(1, lookup, List.of());
    AppliedRecord moved = applied(WEB, "198.51.100.2", 1);
    recent.committed(1, List.of(moved), List.of(API));

    assertThat(recent.overlay(1, lookup, List.of(WEB, API))).containsExactly(Map.entry(WEB, moved));

    view.put(WEB, moved);
    view.remove(API);
    view.put(API, applied(API, "203.0.113.9", 1)); // changed since by another write
    looked.clear();
    assertThat(recent.overlay(1, lookup, List.of(API)))
        .as("the view caught up with the move; the removal is still remembered")
        .isEmpty();
    view.remove(API);
    recent.overlay(1, lookup, List.of());
    looked.clear();
    recent.overlay(1, lookup, List.of());
    assertThat(looked).as("nothing left to compare with the view").isEmpty();
  }

  @Test
  void aNewTermForgetsTheWritesOfTheLast() throws Exception {
    view.put(WEB, applied(WEB, "192.0.2.2", 1));
    recent.overlay(1, lookup, List.of());
    recent.committed(1, List.of(), List.of(WEB));
    assertThat(recent.overlay(1, lookup, List.of(WEB))).isEmpty();

    assertThat(recent.overlay(2, lookup, List.of(WEB))).containsOnlyKeys(WEB);
  }
}
