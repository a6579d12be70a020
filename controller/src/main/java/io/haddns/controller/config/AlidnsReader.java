package io.haddns.controller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code type: alidns} provider. The AccessKey ID is plain config; the AccessKey secret
 * only comes from a file or an environment variable, never inline.
 */
final class AlidnsReader {
  // AccessKey IDs are letters and digits (LTAI…); STS ones start with "STS.".
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern LINE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private AlidnsReader() {}

  static Optional<ProviderConfig> read(YamlValue value, YamlMap map, SecretReader secrets) {
    YamlMap m =
        map.refuse(
                "accessKeySecret",
                "inline secrets are not accepted: put the AccessKey secret in a file"
                    + " (accessKeySecretFile) or an environment variable (accessKeySecretEnv)")
            .allow(
                "type",
                "endpoint",
                "accessKeyId",
                "accessKeySecretFile",
                "accessKeySecretEnv",
                "line",
                "requestsPerSecond",
                "timeout");
    Optional<URI> endpoint =
        m.get("endpoint")
            .map(AlidnsReader::endpoint)
            .orElse(Optional.of(ProviderConfig.Alidns.DEFAULT_ENDPOINT));
    Optional<String> keyId =
        m.required("accessKeyId")
            .flatMap(v -> match(v, ACCESS_KEY_ID, "is not an AccessKey ID (letters and digits)"));
    Optional<Secret> secret = Optional.empty();
    if (m.has("accessKeySecretFile") && m.has("accessKeySecretEnv")) {
      value.problem("holds both accessKeySecretFile and accessKeySecretEnv; keep exactly one");
    } else if (m.has("accessKeySecretFile")) {
      secret = m.get("accessKeySecretFile").flatMap(v -> visible(v, secrets.textFromFile(v)));
    } else if (m.has("accessKeySecretEnv")) {
      secret = m.get("accessKeySecretEnv").flatMap(v -> visible(v, secrets.textFromEnv(v)));
    } else if (!m.has("accessKeySecret")) {
      value.problem("needs the AccessKey secret: give accessKeySecretFile or accessKeySecretEnv");
    }
    Optional<String> line =
        m.get("line")
            .map(v -> match(v, LINE, "is not a resolution line code (e.g. default, telecom)"))
            .orElse(Optional.of(ProviderConfig.Alidns.DEFAULT_LINE));
    Optional<Integer> perSecond =
        m.get("requestsPerSecond")
            .map(v -> v.integer(1, ProviderConfig.Alidns.MAX_REQUESTS_PER_SECOND))
            .orElse(Optional.of(ProviderConfig.Alidns.DEFAULT_REQUESTS_PER_SECOND));
    Optional<Duration> timeout =
        m.get("timeout")
            .map(v -> v.duration(Duration.ofMillis(100), Duration.ofSeconds(60)))
            .orElse(Optional.of(ProviderConfig.Alidns.DEFAULT_TIMEOUT));
    if (endpoint.isEmpty()
        || keyId.isEmpty()
        || secret.isEmpty()
        || line.isEmpty()
        || perSecond.isEmpty()
        || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderConfig.Alidns(
            endpoint.get(), keyId.get(), secret.get(), line.get(), perSecond.get(), timeout.get()));
  }

  private static Optional<String> match(YamlValue v, Pattern pattern, String reason) {
    Optional<String> text = v.string().map(String::trim);
    if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
      v.problem(reason);
      return Optional.empty();
    }
    return text;
  }

  private static Optional<Secret> visible(YamlValue value, Optional<Secret> secret) {
    // The secret becomes an HMAC key as text: only visible ASCII is what Alibaba issues.
    if (secret.isPresent()) {
      for (byte b : secret.get().value()) {
        if (b < 0x21 || b > 0x7e) {
          value.problemHidingValue(
              "the AccessKey secret in "
                  + secret.get().source()
                  + " holds characters other than visible ASCII");
          return Optional.empty();
        }
      }
    }
    return secret;
  }

  private static Optional<URI> endpoint(YamlValue v) {
    Optional<String> text = v.string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get().trim());
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null) {
        v.problem("must be an http or https URL with a host");
        return Optional.empty();
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
        v.problem("must not hold a query, fragment or user information");
        return Optional.empty();
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (!"/".equals(path)) {
        // The signature covers the path "/" (StringToSign = METHOD&%2F&…).
        v.problem("must be the API's root URL, without a path (e.g. https://alidns.aliyuncs.com/)");
        return Optional.empty();
      }
      return Optional.of(
          new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), "/", null, null));
    } catch (URISyntaxException e) {
      v.problem("is not a URL: " + e.getReason());
      return Optional.empty();
    }
  }
}
