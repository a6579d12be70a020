package io.haddns.controller.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException.Code;

/**
 * Runs Curator operations in the background and waits for them at most the operation timeout, so
 * that no store call blocks longer than configured whatever Curator's retry policy would do.
 * Connection-level failures (loss, expiry, timeouts) become {@link StoreUnavailableException};
 * other result codes are returned to the caller in the event.
 *
 * <p>Never call from ZooKeeper's event thread: the callback runs there.
 */
final class ZkCall {
  @FunctionalInterface
  interface Op {
    void start(BackgroundCallback callback) throws Exception;
  }

  private final Duration timeout;

  ZkCall(Duration timeout) {
    this.timeout = timeout;
  }

  /** Runs {@code op} and returns its event; the result code may be any non-connection error. */
  CuratorEvent call(String what, Op op) {
    return await(what, start(what, op), System.nanoTime() + timeout.toNanos());
  }

  /** Runs all {@code ops} concurrently and waits for all, within one operation timeout. */
  List<CuratorEvent> callAll(String what, List<Op> ops) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<CuratorEvent>> futures = new ArrayList<>(ops.size());
    for (Op op : ops) {
      futures.add(start(what, op));
    }
    List<CuratorEvent> events = new ArrayList<>(ops.size());
    for (CompletableFuture<CuratorEvent> f : futures) {
      events.add(await(what, f, deadline));
    }
    return events;
  }

  private static CompletableFuture<CuratorEvent> start(String what, Op op) {
    CompletableFuture<CuratorEvent> future = new CompletableFuture<>();
    try {
      op.start((client, event) -> future.complete(event));
    } catch (Exception e) {
      throw new StoreUnavailableException(what + ": could not start the ZooKeeper operation", e);
    }
    return future;
  }

  private CuratorEvent await(String what, CompletableFuture<CuratorEvent> future, long deadline) {
    CuratorEvent event;
    try {
      event = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new StoreUnavailableException(what + ": no answer from ZooKeeper within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new StoreUnavailableException(what + ": failed", e.getCause());
    }
    Code code = Code.get(event.getResultCode());
    if (code == null) {
      throw new StoreUnavailableException(
          what + ": unknown ZooKeeper result code " + event.getResultCode(), null);
    }
    if (isConnectionProblem(code)) {
      throw new StoreUnavailableException(
          what + ": " + code, org.apache.zookeeper.KeeperException.create(code));
    }
    return event;
  }

  static boolean isConnectionProblem(Code code) {
    return switch (code) {
      case CONNECTIONLOSS,
          SESSIONEXPIRED,
          SESSIONMOVED,
          OPERATIONTIMEOUT,
          REQUESTTIMEOUT,
          NOTREADONLY,
          SYSTEMERROR,
          MARSHALLINGERROR ->
          true;
      default -> false;
    };
  }

  static Code code(CuratorEvent event) {
    return Code.get(event.getResultCode());
  }
}
