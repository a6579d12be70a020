package io.haddns.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers signed reports to the controller cluster (docs/agent-protocol.md). Any node accepts a
 * report, so on a connection error, 429, 503 or other 5xx the client moves straight on to the next
 * endpoint; after a full pass over them it backs off ({@link RetryPolicy}). Every retry sends the
 * very same signed report: after a 503 {@code unknown} (the commit may have happened) the node that
 * finds it committed acknowledges that exact retry. 200 is an acknowledgement; any other 4xx is a
 * permanent refusal of that report. The endpoint that last acknowledged is tried first next time.
 *
 * <p>{@link #send} blocks (network and backoff) and may be called from several threads.
 */
public final class ControllerClient implements ReportSender {
  public static final String REPORT_PATH = "/api/v1/report";
  private static final Logger log = LoggerFactory.getLogger(ControllerClient.class);

  private final List<URI> urls;
  private final ReportTransport transport;
  private final ReportJson json;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final ObjectMapper mapper = new ObjectMapper();
  private final AtomicInteger preferred = new AtomicInteger();
  private final FailoverListener failovers;

  /**
   * @param endpoints base URLs of the controller nodes, e.g. {@code https://ctl-1.example:8443}
   */
  public ControllerClient(
      List<URI> endpoints,
      ReportTransport transport,
      ReportJson json,
      RetryPolicy policy,
      Sleeper sleeper,
      RandomGenerator random) {
    this(endpoints, transport, json, policy, sleeper, random, FailoverListener.NONE);
  }

  /**
   * @param failovers told whenever an endpoint other than the one tried first acknowledges
   */
  public ControllerClient(
      List<URI> endpoints,
      ReportTransport transport,
      ReportJson json,
      RetryPolicy policy,
      Sleeper sleeper,
      RandomGenerator random,
      FailoverListener failovers) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one controller endpoint is needed");
    }
    this.urls = endpoints.stream().map(ControllerClient::reportUrl).toList();
    this.transport = transport;
    this.json = json;
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random;
    this.failovers = failovers;
  }

  static URI reportUrl(URI base) {
    String s = base.toString();
    return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + REPORT_PATH);
  }

  @Override
  public Delivery send(SignedReport signed) {
    String body = json.toJson(signed);
    int start = preferred.get();
    String lastError = "";
    Optional<Duration> retryAfter = Optional.empty();
    for (int attempt = 0; attempt < policy.maxAttempts(); attempt++) {
      if (attempt > 0 && attempt % urls.size() == 0) {
        if (!backOff(attempt / urls.size() - 1, retryAfter)) {
          return new Delivery.Undelivered(attempt, "interrupted");
        }
        retryAfter = Optional.empty();
      }
      int index = (start + attempt) % urls.size();
      URI url = urls.get(index);
      ReportTransport.Response response;
      try {
        response = transport.post(url, body);
      } catch (IOException e) {
        lastError = url + ": " + e;
        log.warn(
            "endpoint={} line={} sequence={} unreachable: {}",
            url,
            signed.report().line(),
            signed.report().sequence(),
            e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Delivery.Undelivered(attempt + 1, "interrupted");
      }
      int status = response.status();
      JsonNode answer = parse(response.body());
      if (status == 200) {
        preferred.set(index);
        if (index != start % urls.size()) {
          log.info(
              "endpoint={} acknowledged after {} did not; preferring it now",
              url,
              urls.get(start % urls.size()));
          failovers.failedOver(urls.get(start % urls.size()), url);
        }
        return new Delivery.Acknowledged(url, answer.path("status").asText(""));
      }
      if (status >= 400 && status < 500 && status != 429) {
        return new Delivery.Rejected(
            url, status, answer.path("status").asText(""), answer.path("detail").asText(""));
      }
      lastError = url + ": HTTP " + status + " " + answer.path("status").asText("");
      retryAfter = response.retryAfter();
      log.warn(
          "endpoint={} line={} sequence={} answered {}, trying the next endpoint",
          url,
          signed.report().line(),
          signed.report().sequence(),
          status);
    }
    return new Delivery.Undelivered(policy.maxAttempts(), lastError);
  }

  private boolean backOff(int pass, Optional<Duration> retryAfter) {
    Duration base = policy.backoff(pass);
    long half = base.toMillis() / 2;
    Duration wait = Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
      wait =
          retryAfter.get().compareTo(policy.maxBackoff()) > 0
              ? policy.maxBackoff()
              : retryAfter.get();
    }
    try {
      sleeper.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = mapper.readTree(body);
      return node == null ? mapper.createObjectNode() : node;
    } catch (IOException e) {
      // A proxy's HTML error page: only the HTTP status counts then.
      return mapper.createObjectNode();
    }
  }
}
