package io.haddns.controller.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Asks one DNS server for one name every ~5 ms on its own thread and keeps every change of answer
 * with its time ({@link System#nanoTime()}). An error is an answer too ({@code error:...}).
 */
final class AnswerPoller implements AutoCloseable {
  static final long INTERVAL_MS = 5;

  /** The answer became {@code answer} at {@code nanos}. */
  record Change(long nanos, String answer) {}

  private final String label;
  private final Callable<String> query;
  private final List<Change> changes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long queries;

  AnswerPoller(String label, Callable<String> query) {
    this.label = label;
    this.query = query;
    this.thread = Thread.ofPlatform().daemon().name("poll-" + label).start(this::loop);
  }

  String label() {
    return label;
  }

  private void loop() {
    String last = null;
    while (running) {
      String a;
      try {
        a = query.call();
      } catch (Exception e) {
        a = "error:" + e.getClass().getSimpleName();
      }
      long now = System.nanoTime();
      synchronized (this) {
        queries++;
        if (!a.equals(last)) {
          changes.add(new Change(now, a));
          last = a;
        }
      }
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  synchronized String current() {
    return changes.isEmpty() ? "" : changes.get(changes.size() - 1).answer();
  }

  /** Changes at or after {@code fromNanos}. */
  synchronized List<Change> changesSince(long fromNanos) {
    List<Change> out = new ArrayList<>();
    for (Change c : changes) {
      if (c.nanos() >= fromNanos) {
        out.add(c);
      }
    }
    return out;
  }

  synchronized long queries() {
    return queries;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(2000);
  }
}
