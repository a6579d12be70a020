package io.haddns.controller.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorBudgetTest {
  private static final String LIMITS =
      """
      Limit                     Soft Limit           Hard Limit           Units
      Max cpu time              unlimited            unlimited            seconds
      Max open files            300                  4096                 files
      Max locked memory         8388608              8388608              bytes
      """;

  @TempDir Path proc;

  private void fakeProc(String limits, int openFds) throws IOException {
    Files.createDirectories(proc.resolve("self/fd"));
    Files.writeString(proc.resolve("self/limits"), limits);
    for (int i = 0; i < openFds; i++) {
      Files.createFile(proc.resolve("self/fd/" + i));
    }
  }

  @Test
  void readsTheSoftLimitOfOpenFiles() {
    assertThat(DescriptorBudget.softLimit(LIMITS)).isEqualTo(OptionalLong.of(300));
    assertThat(DescriptorBudget.softLimit(LIMITS.replace("300 ", "unlimited "))).isEmpty();
  }

  @Test
  void leavesTheLimitLessOpenDescriptorsAndTheReserveForConnections() throws IOException {
    fakeProc(LIMITS, 51);

    DescriptorBudget budget = DescriptorBudget.measure(proc, OptionalInt.of(64)).orElseThrow();

    assertThat(budget).isEqualTo(new DescriptorBudget(300, 50, 64));
    assertThat(budget.forConnections()).isEqualTo(186);
  }

  @Test
  void reservesAQuarterOfTheLimitAndAtLeast64ByDefault() throws IOException {
    fakeProc(LIMITS, 1);

    assertThat(DescriptorBudget.measure(proc, OptionalInt.empty()).orElseThrow().reserve())
        .isEqualTo(75);
    assertThat(DescriptorBudget.defaultReserve(100)).isEqualTo(64);
    assertThat(DescriptorBudget.defaultReserve(1_048_576)).isEqualTo(262_144);
  }

  @Test
  void measuresNothingWithoutProc() {
    assertThat(DescriptorBudget.measure(proc.resolve("absent"), OptionalInt.empty())).isEmpty();
  }

  @Test
  void refusesCapsThatDoNotFitNamingTheKeysAndNumbers() {
    DescriptorBudget budget = new DescriptorBudget(300, 40, 64);
    Map<String, Integer> fits = new LinkedHashMap<>();
    fits.put("node.http.connections.max", 64);
    fits.put("node.dns.connections.max", 132);
    Map<String, Integer> tooMany = new LinkedHashMap<>(fits);
    tooMany.put("node.gateway.connections.max", 4096);

    assertThat(budget.refusal(fits)).isEmpty();
    assertThat(budget.refusal(tooMany))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("node.gateway.connections.max=4096")
                    .contains("add up to 4292")
                    .contains("limit of 300 open files")
                    .contains("40 in use")
                    .contains("reserve of 64 (node.descriptors.reserve)")
                    .contains("leaves 196"));
  }

  @Test
  void lowersADefaultCapToWhatTheLimitLeavesWhenItCannotFit() {
    DescriptorBudget container = new DescriptorBudget(1024, 24, 256);
    Map<String, Integer> caps = new LinkedHashMap<>();
    caps.put("node.http.connections.max", 64);
    caps.put("node.gateway.connections.max", 4096);

    assertThat(container.lowered(caps, "node.gateway.connections.max", 64))
        .isEqualTo(OptionalInt.of(680));
    assertThat(
            container.lowered(
                Map.of("node.gateway.connections.max", 500), "node.gateway.connections.max", 64))
        .isEmpty();
    assertThat(new DescriptorBudget(200, 24, 64).lowered(caps, "node.gateway.connections.max", 64))
        .isEmpty();
  }
}
