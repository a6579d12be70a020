package io.haddns.controller.netty;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Worker pools for the blocking work of the HTTP listeners. */
public final class WorkerPools {
  private WorkerPools() {}

  /**
   * {@code threads} daemon threads named {@code prefix} and a number with a queue of {@code queue}
   * tasks; a task past that is rejected ({@link java.util.concurrent.RejectedExecutionException})
   * at once, so a caller answers busy instead of piling up work.
   */
  public static ThreadPoolExecutor bounded(String prefix, int threads, int queue) {
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queue),
        Thread.ofPlatform().name(prefix, 0).daemon().factory(),
        new ThreadPoolExecutor.AbortPolicy());
  }
}
