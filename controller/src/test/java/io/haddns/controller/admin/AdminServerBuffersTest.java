package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.BigZoneStatus;
import io.netty.buffer.PooledByteBufAllocator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What a large answer of the admin server leaves behind in the process's shared buffer pool. */
class AdminServerBuffersTest {
  private static final int RECORDS = 12_000;

  @Test
  void aLargeAnswerDoesNotStayInTheSharedBufferPool() throws Exception {
    try (AdminServer admin =
            new AdminServer("127.0.0.1", 0, new BigZoneStatus(RECORDS), new PrometheusRegistry());
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
