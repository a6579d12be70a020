package io.haddns.controller.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerAnswersTest {
  private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);

  private static InetSocketAddress server(String ip) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), 53);
  }

  @Test
  void keepsEachServersLastAnswerForARecord() throws Exception {
    ServerAnswers answers = new ServerAnswers();
    answers.answered(APP, server("10.0.0.2"), Set.of(), false, T);
    answers.failed(APP, server("10.0.0.1"), "timed out", T);
    answers.answered(
        APP,
        server("10.0.0.2"),
        Set.of(InetAddress.getByName("192.0.2.1")),
        true,
        T.plusSeconds(1));

    assertThat(answers.of(APP))
        .containsExactly(
            new ClusterStatus.ServerAnswer(
                "10.0.0.1:53", List.of(), false, "timed out", T.toString()),
            new ClusterStatus.ServerAnswer(
                "10.0.0.2:53", List.of("192.0.2.1"), true, "", T.plusSeconds(1).toString()));
    assertThat(answers.of(new RecordKey("other.example.com", RecordType.A))).isEmpty();
  }
}
