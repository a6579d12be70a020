package io.haddns.controller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the providers of HTTP DNS APIs ({@code type: cloudflare}, {@code type: dnspod}).
 * Credentials come only from files or environment variables, as text.
 */
final class CloudProviderReader {
  private static final Pattern CLOUDFLARE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private CloudProviderReader() {}

  static Optional<ProviderConfig> cloudflare(YamlMap map, SecretReader secrets) {
    YamlMap m =
        refuseInline(map, "token", "tokenFile", "tokenEnv")
            .allow(
                "type",
                "tokenFile",
                "tokenEnv",
                "zoneId",
                "baseUrl",
                "batchSize",
                "timeout",
                "requestsPerSecond");
    Optional<Secret> token = secret(m, "token", secrets);
    Optional<Optional<String>> zoneId =
        m.get("zoneId")
            .map(v -> v.string().flatMap(id -> cloudflareId(v, id)).map(Optional::of))
            .orElse(Optional.of(Optional.empty()));
    Optional<URI> baseUrl = url(m, ProviderConfig.Cloudflare.DEFAULT_BASE_URL);
    Optional<Integer> batchSize =
        m.get("batchSize")
            .map(v -> v.integer(1, ProviderConfig.Cloudflare.MAX_BATCH_SIZE))
            .orElse(Optional.of(ProviderConfig.Cloudflare.DEFAULT_BATCH_SIZE));
    Optional<Duration> timeout = timeout(m, ProviderConfig.Cloudflare.DEFAULT_TIMEOUT);
    Optional<Integer> rate = rate(m, ProviderConfig.Cloudflare.DEFAULT_REQUESTS_PER_SECOND);
    if (token.isEmpty()
        || zoneId.isEmpty()
        || baseUrl.isEmpty()
        || batchSize.isEmpty()
        || timeout.isEmpty()
        || rate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderConfig.Cloudflare(
            token.get(), zoneId.get(), baseUrl.get(), batchSize.get(), timeout.get(), rate.get()));
  }

  static Optional<ProviderConfig> dnspod(YamlMap map, SecretReader secrets) {
    refuseInline(map, "secretId", "secretIdFile", "secretIdEnv");
    YamlMap m =
        refuseInline(map, "secretKey", "secretKeyFile", "secretKeyEnv")
            .allow(
                "type",
                "secretIdFile",
                "secretIdEnv",
                "secretKeyFile",
                "secretKeyEnv",
                "region",
                "recordLine",
                "baseUrl",
                "timeout",
                "requestsPerSecond");
    Optional<Secret> secretId = secret(m, "secretId", secrets);
    Optional<Secret> secretKey = secret(m, "secretKey", secrets);
    Optional<Optional<String>> region =
        m.get("region")
            .map(v -> v.string().flatMap(r -> nonBlank(v, r)).map(Optional::of))
            .orElse(Optional.of(Optional.empty()));
    Optional<String> recordLine =
        m.get("recordLine")
            .map(v -> v.string().flatMap(r -> nonBlank(v, r)))
            .orElse(Optional.of(ProviderConfig.Dnspod.DEFAULT_RECORD_LINE));
    Optional<URI> baseUrl = url(m, ProviderConfig.Dnspod.DEFAULT_BASE_URL);
    Optional<Duration> timeout = timeout(m, ProviderConfig.Dnspod.DEFAULT_TIMEOUT);
    Optional<Integer> rate = rate(m, ProviderConfig.Dnspod.DEFAULT_REQUESTS_PER_SECOND);
    if (secretId.isEmpty()
        || secretKey.isEmpty()
        || region.isEmpty()
        || recordLine.isEmpty()
        || baseUrl.isEmpty()
        || timeout.isEmpty()
        || rate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderConfig.Dnspod(
            secretId.get(),
            secretKey.get(),
            region.get(),
            recordLine.get(),
            baseUrl.get(),
            timeout.get(),
            rate.get()));
  }

  private static YamlMap refuseInline(YamlMap m, String key, String file, String env) {
    return m.refuse(
        key,
        "inline credentials are not accepted: put it in a file ("
            + file
            + ") or an environment variable ("
            + env
            + ")");
  }

  /** Exactly one of {@code <name>File} and {@code <name>Env}. */
  private static Optional<Secret> secret(YamlMap m, String name, SecretReader secrets) {
    String file = name + "File";
    String env = name + "Env";
    if (m.has(file) && m.has(env)) {
      m.get(env)
          .orElseThrow()
          .problemHidingValue("holds both " + file + " and " + env + "; keep one");
      return Optional.empty();
    }
    if (m.has(file)) {
      return m.get(file).flatMap(secrets::textFromFile);
    }
    if (m.has(env)) {
      return m.get(env).flatMap(secrets::textFromEnv);
    }
    if (!m.has(name)) {
      // The type key is present (the caller switched on it): its problems report on the map.
      m.get("type")
          .orElseThrow()
          .problems()
          .add(m.path(), "", "needs the " + name + ": give " + file + " or " + env);
    }
    return Optional.empty();
  }

  private static Optional<String> cloudflareId(YamlValue v, String id) {
    if (!CLOUDFLARE_ID.matcher(id).matches()) {
      v.problem("a Cloudflare zone id is 32 lower-case hex digits");
      return Optional.empty();
    }
    return Optional.of(id);
  }

  private static Optional<String> nonBlank(YamlValue v, String text) {
    if (text.isBlank()) {
      v.problem("must not be empty");
      return Optional.empty();
    }
    return Optional.of(text.strip());
  }

  private static Optional<URI> url(YamlMap m, URI defaultUrl) {
    Optional<YamlValue> value = m.get("baseUrl");
    if (value.isEmpty()) {
      return Optional.of(defaultUrl);
    }
    Optional<String> text = value.get().string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String written = text.get().strip();
    while (written.endsWith("/")) {
      written = written.substring(0, written.length() - 1);
    }
    try {
      URI uri = new URI(written);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getQuery() != null
          || uri.getFragment() != null
          || uri.getUserInfo() != null) {
        value.get().problem("must be an http or https URL without query, fragment or user info");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      value.get().problem("is not a URL: " + e.getReason());
      return Optional.empty();
    }
  }

  private static Optional<Integer> rate(YamlMap m, int defaultRate) {
    return m.get("requestsPerSecond")
        .map(v -> v.integer(1, 10_000))
        .orElse(Optional.of(defaultRate));
  }

  private static Optional<Duration> timeout(YamlMap m, Duration defaultTimeout) {
    return m.get("timeout")
        .map(v -> v.duration(Duration.ofMillis(1), MAX_TIMEOUT))
        .orElse(Optional.of(defaultTimeout));
  }
}
