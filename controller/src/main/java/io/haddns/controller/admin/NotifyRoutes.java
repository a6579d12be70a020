package io.haddns.controller.admin;

import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.notify.DeliveryResult;
import io.haddns.controller.notify.NotificationCodec;
import io.haddns.controller.notify.Notifier;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The notification endpoints (docs/notifications.md): the outbox's state for viewers, and a test
 * message to one receiver for operators. Any node answers; a test message goes from the node asked,
 * leader or not, outside the outbox.
 */
public final class NotifyRoutes {
  private final Notifier notifier;

  public NotifyRoutes(Notifier notifier) {
    this.notifier = notifier;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.of(HttpMethod.GET, "/api/v1/notifications", OperatorRole.VIEWER, this::status),
        ApiRoute.of(
            HttpMethod.POST,
            "/api/v1/notifications/receivers/{receiver}/test",
            OperatorRole.OPERATOR,
            this::test));
  }

  private CompletableFuture<ApiResponse> status(ApiRequest request) {
    var s = notifier.status();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", s.enabled());
    m.put("receivers", notifier.receivers());
    m.put("pending", s.pending());
    m.put("deadLetters", s.deadLetters());
    m.put("recentDeadLetters", s.recentDeadLetters().stream().map(NotifyRoutes::describe).toList());
    return CompletableFuture.completedFuture(ApiResponse.ok(m));
  }

  private CompletableFuture<ApiResponse> test(ApiRequest request) {
    String receiver = request.param("receiver");
    if (notifier.receivers().stream().noneMatch(r -> r.name().equals(receiver))) {
      throw new ApiException(404, "no such receiver: " + receiver);
    }
    request.audit("notify-test", "receiver=" + receiver);
    CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
    // A receiver may take its whole timeout to answer: not on an admin worker.
    Thread.ofVirtual()
        .name("haddns-notify-test")
        .start(
            () -> {
              try {
                DeliveryResult r =
                    notifier.test(receiver, request.principal().name()).orElseThrow();
                answer.complete(answer(receiver, r));
              } catch (RuntimeException e) {
                answer.completeExceptionally(e);
              }
            });
    return answer;
  }

  private static ApiResponse answer(String receiver, DeliveryResult r) {
    return switch (r) {
      case DeliveryResult.Delivered d ->
          ApiResponse.ok(Map.of("receiver", receiver, "outcome", "delivered"));
      case DeliveryResult.Retry t ->
          throw new ApiException(
              502, "receiver " + receiver + " did not take the test message: " + t.reason());
      case DeliveryResult.Rejected j ->
          throw new ApiException(
              502, "receiver " + receiver + " refused the test message: " + j.reason());
    };
  }

  private static Map<String, Object> describe(NotificationCodec.DeadLetter d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.notification().id());
    m.put("kind", d.notification().kind().label());
    m.put("summary", d.notification().summary());
    m.put("receiver", d.receiver());
    m.put("reason", d.reason());
    m.put("at", d.at().toString());
    return m;
  }
}
