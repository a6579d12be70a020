package io.haddns.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ControllerClientTest {
  private static final URI A = URI.create("https://a.example:8443");
  private static final URI B = URI.create("https://b.example:8443/");

  private final Deque<Object> answers = new ArrayDeque<>();
  private final List<URI> posted = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();
  private final List<Duration> slept = new ArrayList<>();
  private final ReportTransport transport =
      (url, json) -> {
        posted.add(url);
        bodies.add(json);
        Object next = answers.removeFirst();
        if (next instanceof IOException e) {
          throw e;
        }
        return (ReportTransport.Response) next;
      };

  private ControllerClient client(int maxAttempts) {
    return new ControllerClient(
        List.of(A, B),
        transport,
        new ReportJson(),
        new RetryPolicy(maxAttempts, Duration.ofSeconds(1), Duration.ofSeconds(8)),
        slept::add,
        new Random(7));
  }

  private static ReportTransport.Response answer(int status, String body) {
    return new ReportTransport.Response(status, body, Optional.empty());
  }

  @Test
  void acknowledgesOn200FromTheFirstEndpoint() {
    answers.add(answer(200, "{\"status\":\"accepted\",\"sequence\":1}"));

    Delivery d = client(4).send(TestReports.signed(1));

    assertThat(d)
        .isEqualTo(new Delivery.Acknowledged(URI.create(A + "/api/v1/report"), "accepted"));
    assertThat(slept).isEmpty();
  }

  @Test
  void movesToTheNextEndpointWithoutWaitingOnConnectionError() {
    answers.add(new ConnectException("refused"));
    answers.add(answer(200, "{\"status\":\"accepted\"}"));

    Delivery d = client(4).send(TestReports.signed(1));

    assertThat(d).isInstanceOf(Delivery.Acknowledged.class);
    assertThat(posted)
        .containsExactly(
            URI.create("https://a.example:8443/api/v1/report"),
            URI.create("https://b.example:8443/api/v1/report"));
    assertThat(slept).isEmpty();
  }

  @Test
  void retriesTheVerySameSignedReportWhenTheOutcomeIsUnknown() {
    answers.add(
        answer(
            503, "{\"status\":\"unknown\",\"detail\":\"outcome unknown: retry the same report\"}"));
    answers.add(
        answer(200, "{\"status\":\"accepted\",\"detail\":\"committed (addresses unchanged)\"}"));

    Delivery d = client(4).send(TestReports.signed(1));

    assertThat(d).isInstanceOf(Delivery.Acknowledged.class);
    assertThat(bodies).hasSize(2);
    assertThat(bodies.get(1)).isEqualTo(bodies.get(0));
  }

  @Test
  void backsOffExponentiallyWithJitterAfterEachFullPass() {
    for (int i = 0; i < 6; i++) {
      answers.add(answer(503, "{\"status\":\"unavailable\"}"));
    }

    Delivery d = client(6).send(TestReports.signed(1));

    assertThat(d).isInstanceOf(Delivery.Undelivered.class);
    assertThat(((Delivery.Undelivered) d).attempts()).isEqualTo(6);
    assertThat(slept).hasSize(2);
    assertThat(slept.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(slept.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void treats4xxAsPermanentForThatReport() {
    answers.add(answer(409, "{\"status\":\"stale\",\"sequence\":5,\"detail\":\"replay\"}"));

    Delivery d = client(6).send(TestReports.signed(5));

    assertThat(d)
        .isEqualTo(new Delivery.Rejected(URI.create(A + "/api/v1/report"), 409, "stale", "replay"));
    assertThat(posted).hasSize(1);
  }

  @Test
  void retries429OnTheNextEndpointAndHonoursRetryAfterUpToTheCap() {
    answers.add(answer(429, "{\"status\":\"rate-limited\"}"));
    answers.add(new ReportTransport.Response(429, "", Optional.of(Duration.ofSeconds(60))));
    answers.add(answer(200, "{\"status\":\"accepted\"}"));

    Delivery d = client(6).send(TestReports.signed(1));

    assertThat(d).isInstanceOf(Delivery.Acknowledged.class);
    assertThat(slept).containsExactly(Duration.ofSeconds(8));
  }

  @Test
  void startsWithTheEndpointThatLastAcknowledged() {
    ControllerClient client = client(4);
    answers.add(new ConnectException("down"));
    answers.add(answer(200, "{\"status\":\"accepted\"}"));
    client.send(TestReports.signed(1));
    answers.add(answer(200, "{\"status\":\"accepted\"}"));

    client.send(TestReports.signed(2));

    assertThat(posted.get(2)).isEqualTo(URI.create("https://b.example:8443/api/v1/report"));
  }

  @Test
  void aProxyErrorPageIsJustItsStatus() {
    answers.add(answer(502, "<html>Bad Gateway</html>"));
    answers.add(answer(400, "<html>Bad Request</html>"));

    Delivery d = client(6).send(TestReports.signed(1));

    assertThat(d).isEqualTo(new Delivery.Rejected(URI.create(B + "api/v1/report"), 400, "", ""));
  }

  @Test
  void tellsTheFailoverListenerWhenAnotherEndpointAcknowledgesAndNotAfterward() {
    List<String> failovers = new ArrayList<>();
    ControllerClient client =
        new ControllerClient(
            List.of(A, B),
            transport,
            new ReportJson(),
            new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8)),
            slept::add,
            new Random(7),
            (from, to) -> failovers.add(from + " -> " + to));
    answers.add(answer(503, "{\"status\":\"unavailable\"}"));
    answers.add(answer(200, "{\"status\":\"accepted\"}"));
    answers.add(answer(200, "{\"status\":\"accepted\"}"));

    client.send(TestReports.signed(1));
    client.send(TestReports.signed(2));

    assertThat(failovers)
        .containsExactly(
            "https://a.example:8443/api/v1/report -> https://b.example:8443/api/v1/report");
  }
}
