package io.haddns.agent.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@link ReportTransport} over {@link HttpClient}. HTTPS verifies the server certificate and host
 * name against the given trust (the JDK's CAs, or a private CA via {@link CaTrust}). Redirects are
 * not followed: a report goes to a configured endpoint or nowhere.
 */
public final class HttpReportTransport implements ReportTransport, AutoCloseable {
  private final HttpClient client;
  private final Duration timeout;

  public HttpReportTransport(SSLContext tls, Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public Response post(URI url, String json) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "haddns-agent")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(
        response.statusCode(),
        response.body(),
        response.headers().firstValue("Retry-After").flatMap(HttpReportTransport::seconds));
  }

  private static Optional<Duration> seconds(String value) {
    try {
      long s = Long.parseLong(value.trim());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      // The HTTP-date form is legal but not used by haddns' gateway; fall back to our backoff.
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
