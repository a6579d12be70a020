package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuditQueueTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final List<List<AuditEvent>> written = new ArrayList<>();
  private final AtomicInteger shed = new AtomicInteger();
  private final GatewayObserver observer =
      new GatewayObserver() {
        @Override
        public void handled(Endpoint endpoint, String outcome) {}

        @Override
        public void auditShed(int events) {
          shed.addAndGet(events);
        }
      };

  private static AuditEvent event(int i) {
    return new AuditEvent(Instant.EPOCH, "n1", "address-report", "event " + i);
  }

  @Test
  void writesWhatQueuedUpAsOneBatchInOrder() {
    AuditQueue queue = new AuditQueue(100, written::add, observer, clock);
    for (int i = 0; i < 5; i++) {
      queue.accept(event(i));
    }

    assertThat(queue.drainOnce()).isTrue();

    assertThat(written).hasSize(1);
    assertThat(written.get(0))
        .extracting(AuditEvent::detail)
        .containsExactly("event 0", "event 1", "event 2", "event 3", "event 4");
    assertThat(queue.drainOnce()).as("nothing left").isFalse();
    assertThat(shed).hasValue(0);
  }

  @Test
  void countsEventsThatFindTheQueueFullAndWarnsOncePerInterval() throws Exception {
    AuditQueue queue = new AuditQueue(2, written::add, observer, clock);
    try (LogCapture logs = LogCapture.start()) {
      for (int i = 0; i < 5; i++) {
        queue.accept(event(i));
      }
      queue.drainOnce();
      queue.accept(event(5));
      queue.accept(event(6));
      queue.accept(event(7));
      queue.drainOnce();

      assertThat(shed).hasValue(4);
      assertThat(warnings(logs)).hasSize(1);
      assertThat(warnings(logs).get(0)).contains("audit events=3 not written");

      clock.advance(AuditQueue.WARN_EVERY);
      queue.drainOnce();
      assertThat(warnings(logs)).hasSize(2);
      assertThat(warnings(logs).get(1)).contains("audit events=1 not written");
    }
  }

  private static List<String> warnings(LogCapture logs) {
    return logs.from(AuditQueue.class.getName()).stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void countsABatchTheStoreCouldNotWrite() {
    AtomicBoolean down = new AtomicBoolean(true);
    AuditQueue queue =
        new AuditQueue(
            100,
            batch -> {
              if (down.get()) {
                throw new StoreUnavailableException("no quorum", null);
              }
              written.add(batch);
            },
            observer,
            clock);
    queue.accept(event(1));
    queue.accept(event(2));

    queue.drainOnce();

    assertThat(shed).hasValue(2);
    assertThat(written).isEmpty();
  }
}
