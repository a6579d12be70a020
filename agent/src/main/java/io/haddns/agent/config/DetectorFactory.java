package io.haddns.agent.config;

import io.haddns.agent.detect.CommandDetector;
import io.haddns.agent.detect.HttpsEchoDetector;
import io.haddns.agent.detect.InterfaceDetector;
import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.detect.PublicAddressFilter;
import io.haddns.agent.detect.SocketHttpsFetcher;
import io.haddns.agent.detect.SourceAddresses;
import io.haddns.agent.detect.StunDetector;
import io.haddns.agent.report.IpAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/** Builds a line's detectors from their settings; bad settings name their path. */
public final class DetectorFactory {
  private final SSLContext tls;
  private final RandomGenerator random;

  public DetectorFactory(SSLContext tls, RandomGenerator random) {
    this.tls = tls;
    this.random = random;
  }

  public List<IpDetector> create(AgentSettings.LineSettings line) {
    SourceAddresses sources =
        SourceAddresses.of(
            line.sourceAddresses().stream().map(s -> IpAddress.parse(s).toInetAddress()).toList());
    PublicAddressFilter filter = new PublicAddressFilter(line.allowPrivate());
    return line.detectors().stream().map(d -> create(line.name(), d, sources, filter)).toList();
  }

  private IpDetector create(
      String line,
      AgentSettings.DetectorSettings d,
      SourceAddresses sources,
      PublicAddressFilter filter) {
    Map<String, Object> s = d.settings();
    String path = "line " + line + " detector " + d.type();
    Duration timeout = Durations.parse(String.valueOf(s.getOrDefault("timeout", "5s")));
    return switch (d.type()) {
      case "httpsEcho" ->
          HttpsEchoDetector.create(
              strings(s, "urls", path).stream().map(URI::create).toList(),
              new SocketHttpsFetcher(tls, sources, timeout),
              ((Number) s.getOrDefault("quorum", 2)).intValue(),
              filter);
      case "stun" ->
          new StunDetector(
              strings(s, "servers", path),
              sources,
              Durations.parse(String.valueOf(s.getOrDefault("timeout", "500ms"))),
              ((Number) s.getOrDefault("attempts", 3)).intValue(),
              filter,
              random);
      case "interface" -> InterfaceDetector.create(string(s, "name", path), filter);
      case "command" -> new CommandDetector(strings(s, "run", path), timeout, filter);
      default -> throw new IllegalArgumentException(path + ": unknown detector type");
    };
  }

  private static String string(Map<String, Object> s, String key, String path) {
    if (!(s.get(key) instanceof String v)) {
      throw new IllegalArgumentException(path + "." + key + ": a string is required");
    }
    return v;
  }

  private static List<String> strings(Map<String, Object> s, String key, String path) {
    if (!(s.get(key) instanceof List<?> v) || v.isEmpty()) {
      throw new IllegalArgumentException(path + "." + key + ": a non-empty list is required");
    }
    return v.stream().map(String::valueOf).toList();
  }
}
