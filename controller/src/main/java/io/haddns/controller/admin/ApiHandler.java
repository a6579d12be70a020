package io.haddns.controller.admin;

import java.util.concurrent.CompletableFuture;

/**
 * One admin API endpoint. Runs on an admin worker thread (never the event loop), so it may block
 * briefly; one that waits on ZooKeeper should rather return a future that completes when the write
 * has. Throwing or completing with {@link ApiException} answers that error; anything else is
 * answered 500 and logged.
 */
@FunctionalInterface
public interface ApiHandler {
  CompletableFuture<ApiResponse> handle(ApiRequest request);
}
