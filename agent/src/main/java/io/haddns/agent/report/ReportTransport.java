package io.haddns.agent.report;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts one report body to one endpoint. Implementations block until the response or a timeout, are
 * thread-safe, and report a connection or TLS failure or a timeout as {@link IOException}.
 */
public interface ReportTransport {

  /**
   * @param url the full report URL ({@code …/api/v1/report})
   * @param json the request body
   */
  Response post(URI url, String json) throws IOException, InterruptedException;

  /** An HTTP answer: status, body, and the server's Retry-After (seconds form) if any. */
  record Response(int status, String body, Optional<Duration> retryAfter) {
    public Response {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }
}
