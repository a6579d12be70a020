package io.haddns.agent.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the agent's YAML file, collecting every problem before failing. */
public final class AgentConfigLoader {
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Set<String> DETECTORS =
      Set.of("httpsEcho", "stun", "interface", "command", "cloudMetadata");
  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public AgentSettings load(Path file) throws IOException, ConfigException {
    AgentConfig raw;
    try {
      raw = yaml.readValue(file.toFile(), AgentConfig.class);
    } catch (MismatchedInputException e) {
      throw new ConfigException(List.of(e.getPathReference() + ": " + e.getOriginalMessage()));
    }
    if (raw == null) {
      throw new ConfigException(List.of("(file): empty"));
    }
    return validate(raw);
  }

  AgentSettings validate(AgentConfig c) throws ConfigException {
    List<String> problems = new ArrayList<>();
    if (c.id() == null || !AGENT_ID.matcher(c.id()).matches()) {
      problems.add("id: must match " + AGENT_ID + ", got " + c.id());
    }
    if (c.privateKeyFile() == null) {
      problems.add("privateKeyFile: required");
    }
    if (c.stateFile() == null) {
      problems.add("stateFile: required");
    }
    List<URI> controllers = new ArrayList<>();
    if (c.controllers() == null || c.controllers().isEmpty()) {
      problems.add("controllers: at least one https:// URL is required");
    } else {
      for (int i = 0; i < c.controllers().size(); i++) {
        String u = c.controllers().get(i);
        try {
          URI uri = URI.create(u);
          if ("http".equals(uri.getScheme()) && !Boolean.TRUE.equals(c.insecureHttp())) {
            // Reports cross untrusted networks: plain HTTP would expose agent ids, lines and
            // addresses and let a middlebox drop reports unnoticed.
            throw new IllegalArgumentException(
                "http:// sends reports unencrypted; use https:// (or set insecureHttp: true for a"
                    + " controller reached over a trusted link or a local TLS proxy)");
          }
          if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("scheme must be https");
          }
          if (uri.getHost() == null) {
            throw new IllegalArgumentException("a host is required");
          }
          controllers.add(uri);
        } catch (IllegalArgumentException e) {
          problems.add("controllers[" + i + "]: " + u + ": " + e.getMessage());
        }
      }
    }
    Duration timeout = duration(problems, "timeout", c.timeout(), "5s");
    Duration interval = duration(problems, "interval", c.interval(), "60s");
    Duration heartbeat = duration(problems, "heartbeat", c.heartbeat(), "10m");
    Optional<AgentSettings.MetricsSettings> metrics = metrics(problems, c.metrics());
    List<AgentSettings.LineSettings> lines = new ArrayList<>();
    if (c.lines() == null || c.lines().isEmpty()) {
      problems.add("lines: at least one line is required");
    } else {
      for (int i = 0; i < c.lines().size(); i++) {
        lines.add(line(problems, "lines[" + i + "]", c.lines().get(i)));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AgentSettings(
        c.id(),
        Path.of(c.privateKeyFile()),
        Path.of(c.stateFile()),
        controllers,
        Optional.ofNullable(c.caFile()).map(Path::of),
        timeout,
        interval,
        heartbeat,
        metrics,
        lines);
  }

  private static Optional<AgentSettings.MetricsSettings> metrics(
      List<String> problems, AgentConfig.Metrics m) {
    if (m == null) {
      return Optional.empty();
    }
    String host = m.host() == null ? "127.0.0.1" : m.host();
    if (host.isBlank()) {
      problems.add("metrics.host: must name a local address, e.g. 127.0.0.1");
    }
    int port = m.port() == null ? 9464 : m.port();
    if (port < 1 || port > 65535) {
      problems.add("metrics.port: must be 1..65535, got " + port);
    }
    return Optional.of(new AgentSettings.MetricsSettings(host, port));
  }

  private static Duration duration(List<String> problems, String path, String value, String dflt) {
    try {
      return Durations.parse(value == null ? dflt : value);
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
      return Duration.ZERO;
    }
  }

  private static AgentSettings.LineSettings line(
      List<String> problems, String path, AgentConfig.Line l) {
    if (l.name() == null || l.name().isBlank()) {
      problems.add(path + ".name: required");
    }
    List<AddressFamily> families = new ArrayList<>();
    for (String f : l.families() == null ? List.of("ipv4") : l.families()) {
      try {
        families.add(AddressFamily.fromWireName(f));
      } catch (IllegalArgumentException e) {
        problems.add(path + ".families: " + e.getMessage());
      }
    }
    List<String> sources = l.sourceAddresses() == null ? List.of() : l.sourceAddresses();
    for (String s : sources) {
      try {
        IpAddress.parse(s);
      } catch (IllegalArgumentException e) {
        problems.add(path + ".sourceAddresses: " + e.getMessage());
      }
    }
    Optional<String> sourceInterface = Optional.ofNullable(l.sourceInterface());
    if (sourceInterface.isPresent() && !sources.isEmpty()) {
      problems.add(path + ".interface: use either interface or sourceAddresses, not both");
    }
    if (sourceInterface.isPresent() && sourceInterface.get().isBlank()) {
      problems.add(path + ".interface: must name an interface, e.g. eth1");
    }
    List<AgentSettings.DetectorSettings> detectors = new ArrayList<>();
    if (l.detectors() == null || l.detectors().isEmpty()) {
      problems.add(path + ".detectors: at least one detector is required");
    } else {
      for (int i = 0; i < l.detectors().size(); i++) {
        Map<String, Map<String, Object>> d = l.detectors().get(i);
        if (d == null || d.size() != 1 || !DETECTORS.contains(d.keySet().iterator().next())) {
          problems.add(path + ".detectors[" + i + "]: must be one of " + DETECTORS + ", got " + d);
          continue;
        }
        Map.Entry<String, Map<String, Object>> e = d.entrySet().iterator().next();
        detectors.add(
            new AgentSettings.DetectorSettings(
                e.getKey(), e.getValue() == null ? Map.of() : e.getValue()));
      }
    }
    return new AgentSettings.LineSettings(
        l.name(),
        families,
        sources,
        sourceInterface,
        Boolean.TRUE.equals(l.allowPrivate()),
        detectors);
  }
}
