package io.haddns.controller.config;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The DNS backend of a zone. */
public sealed interface ProviderConfig {

  /**
   * An RFC 2136 server reached over TCP.
   *
   * @param batchSize RRsets per UPDATE message
   */
  record Rfc2136(String host, int port, Optional<TsigConfig> tsig, int batchSize, Duration timeout)
      implements ProviderConfig {
    public static final int DEFAULT_PORT = 53;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public Rfc2136 {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(tsig, "tsig");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * The cluster's own authoritative server answers from the replicated applied state.
   *
   * @param nameservers the addresses of the nodes' DNS servers, published as the zone's NS records
   *     ({@code ns1.<zone>}, {@code ns2.<zone>}, … with glue); empty means one NS, {@code
   *     ns1.<zone>}, at this node's DNS address
   */
  record Embedded(List<InetAddress> nameservers) implements ProviderConfig {
    public Embedded {
      nameservers = List.copyOf(nameservers);
    }

    public Embedded() {
      this(List.of());
    }
  }

  /**
   * A PowerDNS Authoritative server's HTTP API ({@code /api/v1}).
   *
   * @param url the webserver's base URL, e.g. {@code http://127.0.0.1:8081}, without {@code
   *     /api/v1}
   * @param serverId the API's server id ({@code localhost} on a single server)
   * @param apiKey the {@code api-key} sent as {@code X-API-Key}
   * @param batchSize RRsets per PATCH request
   * @param timeout connect and request timeout of each HTTP call
   */
  record PowerDns(URI url, String serverId, Secret apiKey, int batchSize, Duration timeout)
      implements ProviderConfig {
    public static final String DEFAULT_SERVER_ID = "localhost";
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final int MAX_BATCH_SIZE = 10_000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public PowerDns {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(serverId, "serverId");
      Objects.requireNonNull(apiKey, "apiKey");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * Amazon Route 53 through the AWS SDK; credentials come from the SDK's default chain (or the
   * named profile).
   *
   * @param hostedZoneId the hosted zone, empty to look it up by the zone's name
   * @param endpoint the API endpoint, empty for Route 53's own
   * @param waitForSync wait after each change batch until Route 53 reports it INSYNC
   */
  record Route53(
      Optional<String> hostedZoneId,
      Optional<String> profile,
      String region,
      Optional<URI> endpoint,
      boolean waitForSync,
      Duration timeout)
      implements ProviderConfig {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Route53 {
      Objects.requireNonNull(hostedZoneId, "hostedZoneId");
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * Cloudflare API v4. No conditional write: {@code fencesWrites()} is false (docs/architecture.md,
   * "Fencing").
   *
   * @param token the API token (sent as {@code Authorization: Bearer})
   * @param zoneId the zone's identifier; empty to look it up by the zone's name
   * @param batchSize record operations per {@code dns_records/batch} call
   * @param requestsPerSecond API requests at most per second (Cloudflare allows 1,200 per five
   *     minutes per user)
   */
  record Cloudflare(
      Secret token,
      Optional<String> zoneId,
      URI baseUrl,
      int batchSize,
      Duration timeout,
      int requestsPerSecond)
      implements ProviderConfig {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.cloudflare.com/client/v4");
    public static final int DEFAULT_REQUESTS_PER_SECOND = 4;
    public static final int DEFAULT_BATCH_SIZE = 200;
    public static final int MAX_BATCH_SIZE = 3500;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Cloudflare {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(zoneId, "zoneId");
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * DNSPod through the Tencent Cloud API 3.0 (version 2021-03-23), signed with TC3-HMAC-SHA256. No
   * conditional write: {@code fencesWrites()} is false (docs/architecture.md, "Fencing").
   *
   * @param region the optional {@code X-TC-Region} header
   * @param recordLine the split-horizon line haddns writes and reads ({@code 默认} is the default
   *     line)
   * @param requestsPerSecond API requests at most per second (DNSPod limits each write action to 20
   *     per second)
   */
  record Dnspod(
      Secret secretId,
      Secret secretKey,
      Optional<String> region,
      String recordLine,
      URI baseUrl,
      Duration timeout,
      int requestsPerSecond)
      implements ProviderConfig {
    public static final URI DEFAULT_BASE_URL = URI.create("https://dnspod.tencentcloudapi.com");
    public static final int DEFAULT_REQUESTS_PER_SECOND = 20;
    public static final String DEFAULT_RECORD_LINE = "默认";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Dnspod {
      Objects.requireNonNull(secretId, "secretId");
      Objects.requireNonNull(secretKey, "secretKey");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(recordLine, "recordLine");
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * Alibaba Cloud DNS (Alidns) through its RPC API, version 2015-01-09.
   *
   * @param endpoint the API endpoint, {@code https://alidns.aliyuncs.com/} unless a test points it
   *     elsewhere
   * @param accessKeyId the AccessKey ID (not secret)
   * @param accessKeySecret the AccessKey secret, read from a file or an environment variable
   * @param line the resolution line haddns writes and reads ({@code default}); records of other
   *     lines are left alone
   * @param requestsPerSecond the most API requests sent per second
   * @param timeout connect and request timeout of each HTTP call
   */
  record Alidns(
      URI endpoint,
      String accessKeyId,
      Secret accessKeySecret,
      String line,
      int requestsPerSecond,
      Duration timeout)
      implements ProviderConfig {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://alidns.aliyuncs.com/");
    public static final String DEFAULT_LINE = "default";
    public static final int DEFAULT_REQUESTS_PER_SECOND = 20;
    public static final int MAX_REQUESTS_PER_SECOND = 1000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public Alidns {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(accessKeySecret, "accessKeySecret");
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(timeout, "timeout");
    }
  }
}
