package io.haddns.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link StateStore} in a JSON file, written to a temporary file, fsynced and renamed. */
public final class FileStateStore implements StateStore {
  private final Path file;
  private final ObjectMapper mapper = new ObjectMapper();

  public FileStateStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public AgentState load() throws IOException {
    if (!Files.exists(file)) {
      return AgentState.EMPTY;
    }
    JsonNode root = mapper.readTree(file.toFile());
    Map<String, AgentState.Reported> reported = new HashMap<>();
    root.path("reported")
        .properties()
        .forEach(
            e -> {
              List<IpAddress> addresses = new ArrayList<>();
              e.getValue()
                  .path("addresses")
                  .forEach(a -> addresses.add(IpAddress.parse(a.asText())));
              reported.put(
                  e.getKey(),
                  new AgentState.Reported(addresses, e.getValue().path("reportedAt").asLong()));
            });
    return new AgentState(root.path("sequence").asLong(0), reported);
  }

  @Override
  public void save(AgentState state) throws IOException {
    ObjectNode root = mapper.createObjectNode();
    root.put("sequence", state.sequence());
    ObjectNode reported = root.putObject("reported");
    state.reported().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              ObjectNode line = reported.putObject(e.getKey());
              e.getValue().addresses().forEach(a -> line.withArray("addresses").add(a.canonical()));
              line.put("reportedAt", e.getValue().reportedAtMillis());
            });
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (var channel =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.write(
            java.nio.ByteBuffer.wrap(
                mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
