package io.haddns.agent.detect;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/** The instance metadata services the {@code cloudMetadata} detector speaks. */
public enum CloudProvider {
  /** EC2 IMDSv2 (session token required). */
  AWS("aws", "http://169.254.169.254"),
  /** Compute Engine metadata server ({@code Metadata-Flavor: Google} both ways). */
  GCP("gcp", "http://metadata.google.internal"),
  /** Azure IMDS ({@code Metadata: true}). */
  AZURE("azure", "http://169.254.169.254"),
  /** Alibaba Cloud ECS metadata in security-hardened mode (session token required). */
  ALIBABA("alibaba", "http://100.100.100.200");

  private final String configName;
  private final URI defaultBaseUrl;

  CloudProvider(String configName, String defaultBaseUrl) {
    this.configName = configName;
    this.defaultBaseUrl = URI.create(defaultBaseUrl);
  }

  public String configName() {
    return configName;
  }

  /** The provider's real metadata address, used unless {@code baseUrl} is configured. */
  public URI defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /**
   * @throws IllegalArgumentException for an unknown name
   */
  public static CloudProvider fromConfigName(String name) {
    return Arrays.stream(values())
        .filter(p -> p.configName.equals(name == null ? "" : name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "provider must be aws, gcp, azure or alibaba, got " + name));
  }
}
