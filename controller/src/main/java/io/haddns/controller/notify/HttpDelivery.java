package io.haddns.controller.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One POST of a JSON body, bounded: the whole exchange (connect, send, answer) within the
 * receiver's timeout, at most {@value #MAX_ANSWER_BYTES} bytes of the answer read, no redirects
 * followed. 2xx is delivered (unless {@code answerCheck} says otherwise); 408, 429 and 5xx are
 * retried, honouring Retry-After; any other status is refused with the answer. Reasons never hold
 * the URL, which may carry a token.
 */
final class HttpDelivery {
  static final int MAX_ANSWER_BYTES = 16 * 1024;
  private static final int SHOWN_ANSWER_CHARS = 300;
  private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private final HttpClient client;
  private final Duration timeout;
  private final InstantSource clock;

  HttpDelivery(Duration timeout, InstantSource clock) {
    this.timeout = timeout;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Posts {@code body} to {@code url}.
   *
   * @param answerCheck looks at a 2xx answer (chat APIs report errors in it); null: delivered
   */
  DeliveryResult post(
      URI url,
      Map<String, String> headers,
      byte[] body,
      Function<String, DeliveryResult> answerCheck) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "haddns-notify")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    CompletableFuture<HttpResponse<byte[]>> call =
        client.sendAsync(request.build(), info -> new LimitedBody(MAX_ANSWER_BYTES));
    HttpResponse<byte[]> response;
    try {
      response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return noAnswer();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return new DeliveryResult.Retry("interrupted", Optional.empty());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        return noAnswer();
      }
      return new DeliveryResult.Retry(describe(cause, url), Optional.empty());
    }
    int status = response.statusCode();
    String answer = shown(response.body());
    if (status >= 200 && status < 300) {
      return answerCheck == null ? new DeliveryResult.Delivered() : answerCheck.apply(answer);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new DeliveryResult.Retry(
          "HTTP " + status + ": " + answer,
          response.headers().firstValue("Retry-After").flatMap(this::retryAfter));
    }
    return new DeliveryResult.Rejected("HTTP " + status + ": " + answer);
  }

  private DeliveryResult noAnswer() {
    return new DeliveryResult.Retry(
        "no answer within " + timeout.toMillis() + "ms", Optional.empty());
  }

  /** Retry-After as delay-seconds or an HTTP-date (RFC 9110, section 10.2.3), capped at an hour. */
  Optional<Duration> retryAfter(String value) {
    String v = value.strip();
    Duration d;
    if (v.matches("\\d{1,9}")) {
      d = Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        d =
            Duration.between(
                clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }

  private static String describe(Throwable t, URI url) {
    String message = t.getMessage() == null ? "" : ": " + t.getMessage();
    String text = t.getClass().getSimpleName() + message;
    // The URL, and above all its path and query, may hold the receiver's token.
    text = text.replace(url.toString(), "(url)");
    if (url.getRawPath() != null && url.getRawPath().length() > 1) {
      text = text.replace(url.getRawPath(), "(path)");
    }
    if (url.getRawQuery() != null) {
      text = text.replace(url.getRawQuery(), "(query)");
    }
    return t instanceof IOException ? text : "failed: " + text;
  }

  static String shown(byte[] answer) {
    String text =
        new String(answer, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").strip();
    return text.length() > SHOWN_ANSWER_CHARS ? text.substring(0, SHOWN_ANSWER_CHARS) + "…" : text;
  }

  /** Keeps the first {@code limit} bytes of an answer and stops reading there. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int take = Math.min(b.remaining(), limit - out.size());
        byte[] chunk = new byte[take];
        b.get(chunk);
        out.write(chunk, 0, take);
      }
      if (out.size() >= limit) {
        subscription.cancel();
        result.complete(out.toByteArray());
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
