package io.haddns.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The agent's YAML file (docs/agent.md). Bound by Jackson; {@link AgentConfigLoader} validates it
 * and reports every problem with its field path.
 */
public record AgentConfig(
    String id,
    String privateKeyFile,
    String stateFile,
    List<String> controllers,
    Boolean insecureHttp,
    String caFile,
    String timeout,
    String interval,
    String heartbeat,
    Metrics metrics,
    List<Line> lines) {

  /** The optional local {@code /metrics} and {@code /healthz} listener. */
  public record Metrics(String host, Integer port) {}

  /**
   * A line: its families, optional source addresses (one per family) or source interface, and
   * detectors in order.
   */
  public record Line(
      String name,
      List<String> families,
      List<String> sourceAddresses,
      @JsonProperty("interface") String sourceInterface,
      Boolean allowPrivate,
      List<Map<String, Map<String, Object>>> detectors) {}
}
