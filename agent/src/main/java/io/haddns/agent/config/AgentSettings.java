package io.haddns.agent.config;

import io.haddns.agent.report.AddressFamily;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The validated configuration. */
public record AgentSettings(
    String id,
    Path privateKeyFile,
    Path stateFile,
    List<URI> controllers,
    Optional<Path> caFile,
    Duration timeout,
    Duration interval,
    Duration heartbeat,
    Optional<MetricsSettings> metrics,
    List<LineSettings> lines) {

  /** Where the agent serves {@code /metrics} and {@code /healthz} (docs/agent.md). */
  public record MetricsSettings(String host, int port) {}

  /**
   * A validated line. {@code sourceAddresses} and {@code sourceInterface} are never both set: the
   * line binds fixed addresses, an interface's current addresses, or nothing.
   */
  public record LineSettings(
      String name,
      List<AddressFamily> families,
      List<String> sourceAddresses,
      Optional<String> sourceInterface,
      boolean allowPrivate,
      List<DetectorSettings> detectors) {}

  /**
   * One detector: its type ({@code httpsEcho}, {@code stun}, {@code interface}, {@code command},
   * {@code cloudMetadata}).
   */
  public record DetectorSettings(String type, Map<String, Object> settings) {}
}
