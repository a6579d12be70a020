package io.haddns.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
  @TempDir Path dir;

  @Test
  void aMissingFileIsTheEmptyState() throws Exception {
    assertThat(new FileStateStore(dir.resolve("state.json")).load()).isEqualTo(AgentState.EMPTY);
  }

  @Test
  void savedStateReadsBackAndLeavesNoTemporaryFile() throws Exception {
    FileStateStore store = new FileStateStore(dir.resolve("sub/state.json"));
    AgentState state =
        AgentState.EMPTY
            .withSequence(1_795_320_000_000L)
            .withReported(
                "telecom",
                AddressFamily.IPV6,
                new AgentState.Reported(List.of(IpAddress.parse("2a00:1450::1")), 123L));

    store.save(state);
    store.save(state.withSequence(1_795_320_000_001L));

    assertThat(store.load()).isEqualTo(state.withSequence(1_795_320_000_001L));
    try (var files = Files.list(dir.resolve("sub"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
  }
}
