package io.haddns.controller.notify;

import io.haddns.controller.config.NotificationsConfig;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.ZkOutbox;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox (docs/notifications.md, "Delivery"). Every node looks at the outbox each poll
 * interval for status; only the leader (non-zero epoch) sends. At least once: progress is recorded
 * after sending, in writes fenced by the leader's epoch, so a leader that dies between the two
 * leaves the entry for the next one, which sends it again with the same event id. A failed attempt
 * is retried with exponential backoff (or the receiver's Retry-After, if longer) up to {@code
 * maxAttempts}; then, or at once when the receiver refuses it (4xx), the notification becomes a
 * dead letter for that receiver.
 *
 * <p>Lifecycle: constructed without I/O; {@link #start()} once; {@link #close()} once. All sending
 * happens on one thread, so a slow receiver delays the others by at most its timeout per poll, and
 * never probing or DNS writes.
 */
public final class NotificationDispatcher implements Notifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final int READ_LIMIT = 500;
  private static final int RECENT_DEAD = 10;

  private final NotificationsConfig config;
  private final Map<String, Receiver> receivers;
  private final Routes routes;
  private final ZkOutbox outbox;
  private final LongSupplier epoch;
  private final InstantSource clock;
  private final DeliveryObserver observer;
  private final String cluster;
  private final String node;
  private final NotificationCodec codec = new NotificationCodec();
  private final Grouping grouping = new Grouping();
  private final Map<String, Instant> backoffUntil = new HashMap<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("haddns-notify").daemon(true).factory());
  private volatile OutboxStatus status = OutboxStatus.disabled();
  private int deadLetterChanges = -1;

  public NotificationDispatcher(
      NotificationsConfig config,
      Map<String, Receiver> receivers,
      ZkOutbox outbox,
      LongSupplier epoch,
      String cluster,
      String node,
      InstantSource clock,
      DeliveryObserver observer) {
    this.config = config;
    this.receivers = new LinkedHashMap<>(receivers);
    this.routes = new Routes(config.routes());
    this.outbox = outbox;
    this.epoch = epoch;
    this.cluster = cluster;
    this.node = node;
    this.clock = clock;
    this.observer = observer;
  }

  public void start() {
    if (!config.enabled()) {
      return;
    }
    long every = config.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::tickQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public List<ReceiverInfo> receivers() {
    return config.receivers().stream().map(r -> new ReceiverInfo(r.name(), r.type())).toList();
  }

  /** The outbox as last seen; safe from any thread. */
  @Override
  public OutboxStatus status() {
    return status;
  }

  @Override
  public Optional<DeliveryResult> test(String receiver, String requestedBy) {
    Receiver r = receivers.get(receiver);
    if (r == null) {
      return Optional.empty();
    }
    Notification n =
        new Notification(
            UUID.randomUUID().toString(),
            EventKind.TEST,
            Severity.INFO,
            clock.instant(),
            cluster,
            node,
            epoch.getAsLong(),
            receiver,
            "test message to receiver " + receiver + " requested by " + requestedBy,
            Map.of("receiver", receiver, "requestedBy", requestedBy));
    Instant start = clock.instant();
    DeliveryResult result = r.deliver(List.of(n));
    observer.attempted(
        receiver, r.type(), "test-" + outcome(result), 1, Duration.between(start, clock.instant()));
    log.info("receiver={} test message: {}", receiver, describe(result));
    return Optional.of(result);
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (StoreUnavailableException e) {
      log.warn("notifications: outbox unavailable: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("notifications: delivery round failed", e);
    }
  }

  /** One round: look at the outbox and, while leading, send what is due. */
  void tick() {
    long term = epoch.getAsLong();
    Instant now = clock.instant();
    boolean anyReady =
        receivers.keySet().stream()
            .anyMatch(r -> !now.isBefore(backoffUntil.getOrDefault(r, Instant.MIN)));
    // While every receiver waits out its backoff there is nothing to read the entries for.
    if (term != 0 && anyReady) {
      deliver(term, outbox.pending(READ_LIMIT));
    }
    refreshStatus();
  }

  private void refreshStatus() {
    ZkOutbox.Counts counts = outbox.counts();
    List<NotificationCodec.DeadLetter> recent = status.recentDeadLetters();
    if (counts.deadLetterChanges() != deadLetterChanges) {
      recent = new ArrayList<>();
      for (ZkOutbox.Entry e : outbox.deadLetters(RECENT_DEAD)) {
        try {
          recent.add(codec.decodeDeadLetter(e.data()));
        } catch (RuntimeException bad) {
          log.debug("dead letter {} unreadable: {}", e.name(), bad.getMessage());
        }
      }
      deadLetterChanges = counts.deadLetterChanges();
    }
    status = new OutboxStatus(true, counts.pending(), counts.deadLetters(), recent);
  }

  private void deliver(long term, List<ZkOutbox.Entry> entries) {
    Instant now = clock.instant();
    Map<String, OutboxRecord> records = new LinkedHashMap<>();
    Map<String, String> entryOf = new HashMap<>();
    Map<String, List<Notification>> pending = new LinkedHashMap<>();
    Map<String, Map<String, Duration>> intervals = new HashMap<>();
    List<ZkOutbox.Settlement> settlements = new ArrayList<>();
    Set<String> changed = new java.util.HashSet<>();
    for (ZkOutbox.Entry e : entries) {
      OutboxRecord r;
      try {
        r = codec.decode(e.data());
      } catch (RuntimeException bad) {
        log.warn(
            "notifications: outbox entry {} unreadable, dropped: {}", e.name(), bad.getMessage());
        settlements.add(new ZkOutbox.Done(e.name()));
        continue;
      }
      records.put(e.name(), r);
      entryOf.put(r.notification().id(), e.name());
      for (var route : routes.receivers(r.notification()).entrySet()) {
        String receiver = route.getKey();
        if (r.done().contains(receiver)) {
          continue;
        }
        if (!receivers.containsKey(receiver)) {
          records.put(e.name(), records.get(e.name()).finished(receiver));
          changed.add(e.name());
          continue;
        }
        if (now.isBefore(backoffUntil.getOrDefault(receiver, Instant.MIN))) {
          continue;
        }
        pending.computeIfAbsent(receiver, k -> new ArrayList<>()).add(r.notification());
        intervals
            .computeIfAbsent(receiver, k -> new HashMap<>())
            .putIfAbsent(r.notification().groupKey(), route.getValue());
      }
    }
    for (var p : pending.entrySet()) {
      String name = p.getKey();
      Receiver receiver = receivers.get(name);
      for (Grouping.Batch batch : grouping.due(name, p.getValue(), intervals.get(name), now)) {
        Instant start = clock.instant();
        DeliveryResult result = receiver.deliver(batch.notifications());
        Duration took = Duration.between(start, clock.instant());
        boolean stop =
            settle(name, receiver, batch, result, records, entryOf, changed, settlements, took);
        if (stop) {
          break;
        }
      }
    }
    for (String name : changed) {
      OutboxRecord r = records.get(name);
      boolean finished =
          routes.receivers(r.notification()).keySet().stream().allMatch(r.done()::contains);
      settlements.add(
          finished ? new ZkOutbox.Done(name) : new ZkOutbox.Rewrite(name, codec.encode(r)));
    }
    trimDeadLetters(settlements);
    try {
      outbox.settle(term, settlements);
    } catch (NotLeaderException e) {
      log.info("notifications: progress not recorded, no longer leader: {}", e.getMessage());
    }
  }

  /** Records one message's outcome; true when the receiver should get nothing more this round. */
  private boolean settle(
      String name,
      Receiver receiver,
      Grouping.Batch batch,
      DeliveryResult result,
      Map<String, OutboxRecord> records,
      Map<String, String> entryOf,
      Set<String> changed,
      List<ZkOutbox.Settlement> settlements,
      Duration took) {
    Instant now = clock.instant();
    String outcome = outcome(result);
    boolean stop = false;
    int maxAttempts = 0;
    for (Notification n : batch.notifications()) {
      String entry = entryOf.get(n.id());
      OutboxRecord r = records.get(entry);
      changed.add(entry);
      switch (result) {
        case DeliveryResult.Delivered d -> r = r.finished(name);
        case DeliveryResult.Rejected rej -> {
          settlements.add(dead(n, name, rej.reason(), now));
          r = r.finished(name);
        }
        case DeliveryResult.Retry retry -> {
          r = r.failedOnce(name);
          if (r.attempts(name) >= config.maxAttempts()) {
            settlements.add(
                dead(
                    n,
                    name,
                    "gave up after " + r.attempts(name) + " attempts: " + retry.reason(),
                    now));
            r = r.finished(name);
            outcome = "dead";
          }
          maxAttempts = Math.max(maxAttempts, r.attempts(name));
        }
      }
      records.put(entry, r);
    }
    switch (result) {
      case DeliveryResult.Delivered d -> {
        grouping.sent(name, batch.group(), now);
        backoffUntil.remove(name);
        log.info(
            "receiver={} delivered events={} group={} took={}ms",
            name,
            batch.notifications().size(),
            batch.group(),
            took.toMillis());
      }
      case DeliveryResult.Rejected rej ->
          log.warn(
              "receiver={} refused events={} (dead-lettered): {}",
              name,
              batch.notifications().size(),
              rej.reason());
      case DeliveryResult.Retry retry -> {
        Duration wait = backoff(maxAttempts, retry.retryAfter());
        backoffUntil.put(name, now.plus(wait));
        stop = true;
        log.warn(
            "receiver={} not delivered, attempt={} retry in {}ms: {}",
            name,
            maxAttempts,
            wait.toMillis(),
            retry.reason());
      }
    }
    observer.attempted(name, receiver.type(), outcome, batch.notifications().size(), took);
    return stop;
  }

  /** min × 2^(attempts-1), at most max; a longer Retry-After wins. */
  Duration backoff(int attempts, Optional<Duration> retryAfter) {
    Duration d = config.minBackoff();
    for (int i = 1; i < attempts && d.compareTo(config.maxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    Duration capped = d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    return retryAfter.filter(a -> a.compareTo(capped) > 0).orElse(capped);
  }

  private ZkOutbox.DeadLetter dead(Notification n, String receiver, String reason, Instant now) {
    return new ZkOutbox.DeadLetter(
        codec.encode(new NotificationCodec.DeadLetter(n, receiver, reason, now)));
  }

  private void trimDeadLetters(List<ZkOutbox.Settlement> settlements) {
    long adding = settlements.stream().filter(ZkOutbox.DeadLetter.class::isInstance).count();
    if (adding == 0) {
      return;
    }
    List<String> names = outbox.deadLetterNames();
    long excess = names.size() + adding - config.maxDeadLetters();
    for (int i = 0; i < excess && i < names.size(); i++) {
      settlements.add(new ZkOutbox.DropDeadLetter(names.get(i)));
    }
  }

  private static String outcome(DeliveryResult r) {
    return switch (r) {
      case DeliveryResult.Delivered d -> "delivered";
      case DeliveryResult.Retry t -> "retried";
      case DeliveryResult.Rejected j -> "rejected";
    };
  }

  private static String describe(DeliveryResult r) {
    return switch (r) {
      case DeliveryResult.Delivered d -> "delivered";
      case DeliveryResult.Retry t -> "not delivered: " + t.reason();
      case DeliveryResult.Rejected j -> "refused: " + j.reason();
    };
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
