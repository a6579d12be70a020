package io.haddns.agent.config;

import io.haddns.agent.detect.CloudMetadataDetector;
import io.haddns.agent.detect.CloudProvider;
import io.haddns.agent.detect.CommandDetector;
import io.haddns.agent.detect.EchoUrls;
import io.haddns.agent.detect.HttpsEchoDetector;
import io.haddns.agent.detect.InterfaceDetector;
import io.haddns.agent.detect.InterfaceSource;
import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.detect.PublicAddressFilter;
import io.haddns.agent.detect.SocketHttpsFetcher;
import io.haddns.agent.detect.SourceAddresses;
import io.haddns.agent.detect.SourceBinding;
import io.haddns.agent.detect.StunDetector;
import io.haddns.agent.report.IpAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/** Builds a line's detectors from their settings; bad settings name their path. */
public final class DetectorFactory {
  static final Set<String> CLOUD_KEYS =
      new TreeSet<>(Set.of("provider", "baseUrl", "timeout", "mac", "nic"));
  static final Set<String> ECHO_KEYS =
      new TreeSet<>(Set.of("urls", "ipv4Urls", "ipv6Urls", "quorum", "timeout"));
  private final SSLContext tls;
  private final RandomGenerator random;

  public DetectorFactory(SSLContext tls, RandomGenerator random) {
    this.tls = tls;
    this.random = random;
  }

  public List<IpDetector> create(AgentSettings.LineSettings line) {
    SourceBinding sources =
        line.sourceInterface().isPresent()
            ? InterfaceSource.of(line.sourceInterface().get(), line.allowPrivate())
            : SourceAddresses.of(
                line.sourceAddresses().stream()
                    .map(s -> IpAddress.parse(s).toInetAddress())
                    .toList());
    PublicAddressFilter filter = new PublicAddressFilter(line.allowPrivate());
    return line.detectors().stream().map(d -> create(line.name(), d, sources, filter)).toList();
  }

  private IpDetector create(
      String line,
      AgentSettings.DetectorSettings d,
      SourceBinding sources,
      PublicAddressFilter filter) {
    Map<String, Object> s = d.settings();
    String path = "line " + line + " detector " + d.type();
    Duration timeout = Durations.parse(String.valueOf(s.getOrDefault("timeout", "5s")));
    return switch (d.type()) {
      case "httpsEcho" -> httpsEcho(s, path, new SocketHttpsFetcher(tls, sources, timeout), filter);
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
      case "cloudMetadata" -> cloudMetadata(s, path, sources, filter);
      default -> throw new IllegalArgumentException(path + ": unknown detector type");
    };
  }

  /**
   * {@code ipv4Urls}/{@code ipv6Urls} name a family's services; {@code urls} (dual-stack services)
   * stands in for a family without its own list; {@link EchoUrls#DEFAULTS} for one with neither.
   */
  private static IpDetector httpsEcho(
      Map<String, Object> s, String path, SocketHttpsFetcher fetcher, PublicAddressFilter filter) {
    requireKnownKeys(s, ECHO_KEYS, path);
    List<URI> both = s.containsKey("urls") ? uris(s, "urls", path) : null;
    EchoUrls urls =
        new EchoUrls(
            s.containsKey("ipv4Urls")
                ? uris(s, "ipv4Urls", path)
                : both != null ? both : EchoUrls.DEFAULTS.ipv4(),
            s.containsKey("ipv6Urls")
                ? uris(s, "ipv6Urls", path)
                : both != null ? both : EchoUrls.DEFAULTS.ipv6());
    Object quorum = s.getOrDefault("quorum", HttpsEchoDetector.MIN_QUORUM);
    if (!(quorum instanceof Integer q)) {
      throw new IllegalArgumentException(path + ".quorum: an integer is required, got " + quorum);
    }
    try {
      return HttpsEchoDetector.create(urls, fetcher, q, filter);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "." + e.getMessage(), e);
    }
  }

  private static List<URI> uris(Map<String, Object> s, String key, String path) {
    List<String> values = strings(s, key, path);
    try {
      return values.stream().map(URI::create).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "." + key + ": " + e.getMessage(), e);
    }
  }

  private static void requireKnownKeys(Map<String, Object> s, Set<String> allowed, String path) {
    Set<String> unknown = new TreeSet<>(s.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          path + ": unknown keys " + unknown + ", allowed " + allowed);
    }
  }

  private static IpDetector cloudMetadata(
      Map<String, Object> s, String path, SourceBinding sources, PublicAddressFilter filter) {
    requireKnownKeys(s, CLOUD_KEYS, path);
    try {
      return CloudMetadataDetector.create(
          CloudProvider.fromConfigName(string(s, "provider", path)),
          Optional.ofNullable(s.get("baseUrl")).map(String::valueOf).map(URI::create),
          Durations.parse(String.valueOf(s.getOrDefault("timeout", "2s"))),
          sources,
          filter,
          Optional.ofNullable(s.get("mac")).map(String::valueOf),
          s.get("nic") == null ? 0 : ((Number) s.get("nic")).intValue());
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
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
