package io.haddns.controller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads a zone's {@code provider}: {@code type} chooses which other keys apply. */
final class ProviderReader {
  static final List<String> TYPES =
      List.of("rfc2136", "embedded", "powerdns", "route53", "cloudflare", "dnspod", "alidns");
  static final List<String> TSIG_ALGORITHMS =
      List.of("hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");
  static final String DEFAULT_TSIG_ALGORITHM = "hmac-sha256";
  static final int MAX_BATCH_SIZE = 1000;

  private ProviderReader() {}

  static Optional<ProviderConfig> read(YamlValue value, SecretReader secrets) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get();
    Optional<String> type = m.required("type").flatMap(YamlValue::string);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    return switch (type.get()) {
      case "rfc2136" -> rfc2136(m.allow("type", "server", "tsig", "batchSize", "timeout"), secrets);
      case "embedded" -> embedded(m.allow("type", "nameservers"));
      case "powerdns" ->
          powerDns(
              value,
              m.refuse(
                      "apiKey",
                      "inline secrets are not accepted: put the API key in a file (apiKeyFile) or"
                          + " an environment variable (apiKeyEnv)")
                  .allow(
                      "type", "url", "serverId", "apiKeyFile", "apiKeyEnv", "batchSize", "timeout"),
              secrets);
      case "route53" ->
          Route53Reader.read(
              m.allow(
                  "type",
                  "hostedZoneId",
                  "profile",
                  "region",
                  "endpoint",
                  "waitForSync",
                  "timeout"));
      case "cloudflare" -> CloudProviderReader.cloudflare(m, secrets);
      case "dnspod" -> CloudProviderReader.dnspod(m, secrets);
      case "alidns" -> AlidnsReader.read(value, m, secrets);
      default -> {
        m.get("type")
            .orElseThrow()
            .problem("unsupported provider type; supported: " + String.join(", ", TYPES));
        yield Optional.empty();
      }
    };
  }

  private static Optional<ProviderConfig> rfc2136(YamlMap m, SecretReader secrets) {
    Optional<HostPort> server = m.required("server").flatMap(ProviderReader::server);
    Optional<Optional<TsigConfig>> tsig =
        m.get("tsig")
            .map(v -> tsig(v, secrets).map(Optional::of))
            .orElse(Optional.of(Optional.empty()));
    Optional<Integer> batchSize =
        m.get("batchSize")
            .map(v -> v.integer(1, MAX_BATCH_SIZE))
            .orElse(Optional.of(ProviderConfig.Rfc2136.DEFAULT_BATCH_SIZE));
    Optional<Duration> timeout =
        m.get("timeout")
            .map(v -> v.duration(Duration.ofMillis(1)))
            .orElse(Optional.of(ProviderConfig.Rfc2136.DEFAULT_TIMEOUT));
    if (server.isEmpty() || tsig.isEmpty() || batchSize.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderConfig.Rfc2136(
            server.get().host(), server.get().port(), tsig.get(), batchSize.get(), timeout.get()));
  }

  private static Optional<ProviderConfig> embedded(YamlMap m) {
    Optional<YamlValue> list = m.get("nameservers");
    if (list.isEmpty()) {
      return Optional.of(new ProviderConfig.Embedded());
    }
    return IpAddressList.distinct(list.get(), "duplicate name server address", ip -> true, "")
        .map(ProviderConfig.Embedded::new);
  }

  private static Optional<ProviderConfig> powerDns(
      YamlValue value, YamlMap m, SecretReader secrets) {
    Optional<URI> url = m.required("url").flatMap(ProviderReader::httpUrl);
    Optional<String> serverId =
        m.get("serverId")
            .map(ProviderReader::serverId)
            .orElse(Optional.of(ProviderConfig.PowerDns.DEFAULT_SERVER_ID));
    Optional<Secret> apiKey = Optional.empty();
    if (m.has("apiKeyFile") && m.has("apiKeyEnv")) {
      value.problem("holds both apiKeyFile and apiKeyEnv; keep exactly one");
    } else if (m.has("apiKeyFile")) {
      apiKey = m.get("apiKeyFile").flatMap(v -> apiKey(v, secrets.textFromFile(v)));
    } else if (m.has("apiKeyEnv")) {
      apiKey = m.get("apiKeyEnv").flatMap(v -> apiKey(v, secrets.textFromEnv(v)));
    } else if (!m.has("apiKey")) {
      value.problem("needs the API key: give apiKeyFile or apiKeyEnv");
    }
    Optional<Integer> batchSize =
        m.get("batchSize")
            .map(v -> v.integer(1, ProviderConfig.PowerDns.MAX_BATCH_SIZE))
            .orElse(Optional.of(ProviderConfig.PowerDns.DEFAULT_BATCH_SIZE));
    Optional<Duration> timeout =
        m.get("timeout")
            .map(v -> v.duration(Duration.ofMillis(1)))
            .orElse(Optional.of(ProviderConfig.PowerDns.DEFAULT_TIMEOUT));
    if (url.isEmpty()
        || serverId.isEmpty()
        || apiKey.isEmpty()
        || batchSize.isEmpty()
        || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderConfig.PowerDns(
            url.get(), serverId.get(), apiKey.get(), batchSize.get(), timeout.get()));
  }

  private static Optional<URI> httpUrl(YamlValue value) {
    Optional<String> text = value.string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get().trim();
    try {
      URI uri = new URI(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        value.problem("must be an http:// or https:// URL with a host");
        return Optional.empty();
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
        value.problem("must not hold a query, fragment or user information");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      value.problem("must be an http:// or https:// URL with a host: " + e.getReason());
      return Optional.empty();
    }
  }

  private static Optional<String> serverId(YamlValue value) {
    Optional<String> id = value.string();
    if (id.isPresent() && !id.get().matches("[A-Za-z0-9._-]{1,64}")) {
      value.problem("a server id is 1 to 64 letters, digits, '.', '_' or '-'");
      return Optional.empty();
    }
    return id;
  }

  private static Optional<Secret> apiKey(YamlValue value, Optional<Secret> key) {
    // The key goes into an HTTP header: only visible ASCII is safe there.
    if (key.isPresent()) {
      for (byte b : key.get().value()) {
        if (b < 0x21 || b > 0x7e) {
          value.problemHidingValue(
              "the API key in "
                  + key.get().source()
                  + " holds characters other than visible ASCII");
          return Optional.empty();
        }
      }
    }
    return key;
  }

  private static Optional<Boolean> bool(YamlValue value) {
    if (!value.node().isBoolean()) {
      value.problem("must be true or false");
      return Optional.empty();
    }
    return Optional.of(value.node().booleanValue());
  }

  private static Optional<HostPort> server(YamlValue value) {
    Optional<String> text = value.string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(HostPort.parse(text.get(), ProviderConfig.Rfc2136.DEFAULT_PORT));
    } catch (IllegalArgumentException e) {
      value.problem(e.getMessage() + " (expected host, host:port or [IPv6]:port)");
      return Optional.empty();
    }
  }

  private static Optional<TsigConfig> tsig(YamlValue value, SecretReader secrets) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m =
        map.get()
            .refuse(
                "secret",
                "inline secrets are not accepted: put the base64 key in a file (secretFile) or an"
                    + " environment variable (secretEnv)")
            .allow("name", "algorithm", "secretFile", "secretEnv");
    Optional<String> name = m.required("name").flatMap(ProviderReader::keyName);
    Optional<String> algorithm =
        m.get("algorithm")
            .map(ProviderReader::algorithm)
            .orElse(Optional.of(DEFAULT_TSIG_ALGORITHM));
    Optional<Secret> secret = Optional.empty();
    if (m.has("secretFile") && m.has("secretEnv")) {
      value.problem("holds both secretFile and secretEnv; keep exactly one");
    } else if (!m.has("secretFile") && !m.has("secretEnv")) {
      if (!m.has("secret")) {
        value.problem("needs the key's secret: give secretFile or secretEnv");
      }
    } else if (m.has("secretFile")) {
      secret = m.get("secretFile").flatMap(secrets::fromFile);
    } else {
      secret = m.get("secretEnv").flatMap(secrets::fromEnv);
    }
    if (name.isEmpty() || algorithm.isEmpty() || secret.isEmpty() || m.has("secret")) {
      return Optional.empty();
    }
    return Optional.of(new TsigConfig(name.get(), algorithm.get(), secret.get()));
  }

  private static Optional<String> keyName(YamlValue value) {
    Optional<String> name = value.string();
    Optional<String> problem = name.flatMap(n -> DnsNameSyntax.ownerNameProblem(n, false));
    problem.ifPresent(p -> value.problem("a TSIG key name is a DNS name: " + p));
    return problem.isPresent() ? Optional.empty() : name.map(String::trim);
  }

  private static Optional<String> algorithm(YamlValue value) {
    Optional<String> text = value.string();
    if (text.isEmpty()) {
      return text;
    }
    String a = text.get().trim().toLowerCase(Locale.ROOT);
    String canonical = a.endsWith(".") ? a.substring(0, a.length() - 1) : a;
    if (!TSIG_ALGORITHMS.contains(canonical)) {
      value.problem("unsupported TSIG algorithm; supported: " + String.join(", ", TSIG_ALGORITHMS));
      return Optional.empty();
    }
    return Optional.of(canonical);
  }
}
