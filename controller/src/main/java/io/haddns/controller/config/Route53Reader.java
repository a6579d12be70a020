package io.haddns.controller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a {@code type: route53} provider; credentials are not config (the SDK's chain). */
final class Route53Reader {
  private static final Pattern ZONE_ID = Pattern.compile("(/hostedzone/)?[A-Z0-9]{1,32}");
  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_.@+-]{1,64}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d|aws-global");

  private Route53Reader() {}

  static Optional<ProviderConfig> read(YamlMap m) {
    Optional<Optional<String>> zoneId =
        optional(m, "hostedZoneId", ZONE_ID, "is not a Route 53 hosted zone id (e.g. Z0123ABC)");
    Optional<Optional<String>> profile =
        optional(m, "profile", PROFILE, "is not an AWS profile name");
    Optional<String> region =
        m.get("region")
            .map(v -> match(v, REGION, "is not an AWS region name (e.g. us-east-1)"))
            .orElse(Optional.of(ProviderConfig.Route53.DEFAULT_REGION));
    Optional<Optional<URI>> endpoint =
        m.get("endpoint")
            .map(v -> endpoint(v).map(Optional::of))
            .orElse(Optional.of(Optional.empty()));
    Optional<Boolean> waitForSync = flag(m, "waitForSync");
    Optional<Duration> timeout =
        m.get("timeout")
            .map(v -> v.duration(Duration.ofMillis(100), Duration.ofSeconds(60)))
            .orElse(Optional.of(ProviderConfig.Route53.DEFAULT_TIMEOUT));
    if (zoneId.isEmpty()
        || profile.isEmpty()
        || region.isEmpty()
        || endpoint.isEmpty()
        || waitForSync.isEmpty()
        || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderConfig.Route53(
            zoneId.get().map(id -> id.replace("/hostedzone/", "")),
            profile.get(),
            region.get(),
            endpoint.get(),
            waitForSync.get(),
            timeout.get()));
  }

  private static Optional<Optional<String>> optional(
      YamlMap m, String key, Pattern pattern, String reason) {
    return m.get(key)
        .map(v -> match(v, pattern, reason).map(Optional::of))
        .orElse(Optional.of(Optional.empty()));
  }

  private static Optional<String> match(YamlValue v, Pattern pattern, String reason) {
    Optional<String> text = v.string().map(String::trim);
    if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
      v.problem(reason);
      return Optional.empty();
    }
    return text;
  }

  /** A boolean key, false when absent. */
  static Optional<Boolean> flag(YamlMap m, String key) {
    Optional<YamlValue> v = m.get(key);
    if (v.isEmpty()) {
      return Optional.of(false);
    }
    if (!v.get().node().isBoolean()) {
      v.get().problem("must be true or false");
      return Optional.empty();
    }
    return Optional.of(v.get().node().booleanValue());
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
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      v.problem("is not a URL: " + e.getReason());
      return Optional.empty();
    }
  }
}
