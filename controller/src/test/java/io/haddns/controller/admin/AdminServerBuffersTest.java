package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a large answer of the admin server leaves behind in the process's shared buffer pool. */
class AdminServerBuffersTest {
  private static final int RECORDS = 12_000;

  private static ClusterStatus bigStatus() {
    String at = Instant.parse("2026-01-01T00:00:00Z").toString();
    List<ClusterStatus.Record> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(
          new ClusterStatus.Record(
              "host-%05d.big.test".formatted(i),
              "A",
              "big.test",
              60,
              List.of("192.0.2." + (i % 250 + 1)),
              3,
              at,
              0,
              List.of()));
    }
    return new ClusterStatus(
        "big",
        "node-1",
        true,
        true,
        "node-1",
        3,
        List.of(),
        List.of(),
        records,
        List.of(new ClusterStatus.Zone("big.test", false, List.of(), List.of(), null)));
  }

  @Test
  void aLargeAnswerDoesNotStayInTheSharedBufferPool() throws Exception {
    ClusterStatus status = bigStatus();
    try (AdminServer admin =
            new AdminServer(
                "127.0.0.1",
                0,
                new StatusSource() {
                  @Override
                  public ClusterStatus status() {
                    return status;
                  }

                  @Override
                  public boolean ready() {
                    return true;
                  }
                },
                new PrometheusRegistry());
        HttpClient http = HttpClient.newHttpClient()) {
      admin.start();
      long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + admin.address().getPort() + "/api/v1/status"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      long after = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body().length).isGreaterThan(1 << 20);
      // Pooled, the answer's buffer would leave a pool chunk (4 MiB) allocated after the write.
      assertThat(after - before).isLessThan(answer.body().length);
    }
  }
}
