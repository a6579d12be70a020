package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the line's public address from the cloud instance metadata service (only when configured:
 * off a cloud the well-known addresses may belong to someone else). Per provider:
 *
 * <ul>
 *   <li>AWS IMDSv2: {@code PUT /latest/api/token} with {@code
 *       X-aws-ec2-metadata-token-ttl-seconds}, then GETs with {@code X-aws-ec2-metadata-token}:
 *       IPv4 {@code /latest/meta-data/public-ipv4} (or {@code
 *       network/interfaces/macs/<mac>/public-ipv4s} when {@code mac} is set), IPv6 {@code
 *       network/interfaces/macs/<mac>/ipv6s} of the configured or primary ({@code
 *       /latest/meta-data/mac}) interface.
 *   <li>Alibaba Cloud, hardened mode: the same token flow with {@code
 *       X-aliyun-ecs-metadata-token-ttl-seconds} / {@code X-aliyun-ecs-metadata-token}; IPv4 {@code
 *       /latest/meta-data/eipv4}, falling back to {@code public-ipv4} on 404; IPv6 as AWS.
 *   <li>GCP: {@code Metadata-Flavor: Google} sent and required on the answer; IPv4 {@code
 *       /computeMetadata/v1/instance/network-interfaces/<nic>/access-configs/0/external-ip}, IPv6
 *       {@code .../network-interfaces/<nic>/ipv6s}.
 *   <li>Azure IMDS: {@code Metadata: true}; {@code
 *       /metadata/instance/network/interface/<nic>/ipv4/ipAddress/0/publicIpAddress?api-version=2021-02-01&format=text}
 *       (ipv6 likewise).
 * </ul>
 *
 * <p>Any status but 200 (redirects are not followed), a missing or malformed token, or a body that
 * is not strictly addresses ({@link MetadataBodyParser}) is a failure, never an address. Metadata
 * addresses still pass the {@link PublicAddressFilter}. A fresh token is taken every detection.
 */
public final class CloudMetadataDetector implements IpDetector {
  static final String TOKEN_TTL_SECONDS = "60";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/=_.~-]{1,1024}");
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  private static final String AZURE_QUERY = "?api-version=2021-02-01&format=text";

  private final CloudProvider provider;
  private final String base;
  private final MetadataTransport http;
  private final PublicAddressFilter filter;
  private final Optional<String> mac;
  private final int nic;

  CloudMetadataDetector(
      CloudProvider provider,
      URI baseUrl,
      MetadataTransport http,
      PublicAddressFilter filter,
      Optional<String> mac,
      int nic) {
    if (!"http".equals(baseUrl.getScheme()) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be http://host[:port]: " + baseUrl);
    }
    if (mac.isPresent() && !MAC.matcher(mac.get()).matches()) {
      throw new IllegalArgumentException("mac must look like 0a:1b:2c:3d:4e:5f: " + mac.get());
    }
    if (nic < 0) {
      throw new IllegalArgumentException("nic must be 0 or more: " + nic);
    }
    this.provider = provider;
    this.base = baseUrl.toString().replaceAll("/+$", "");
    this.http = http;
    this.filter = filter;
    this.mac = mac.map(m -> m.toLowerCase(java.util.Locale.ROOT));
    this.nic = nic;
  }

  /** The production detector: plain HTTP bound to the line's source, {@code timeout} a request. */
  public static CloudMetadataDetector create(
      CloudProvider provider,
      Optional<URI> baseUrl,
      Duration timeout,
      SourceBinding sources,
      PublicAddressFilter filter,
      Optional<String> mac,
      int nic) {
    return new CloudMetadataDetector(
        provider,
        baseUrl.orElse(provider.defaultBaseUrl()),
        new SocketMetadataTransport(sources, timeout),
        filter,
        mac,
        nic);
  }

  @Override
  public String name() {
    return "cloud-metadata-" + provider.configName();
  }

  @Override
  public Detection detect(AddressFamily family) {
    List<IpAddress> answer;
    try {
      answer =
          switch (provider) {
            case AWS -> tokenFlow(family, "X-aws-ec2-metadata-token");
            case ALIBABA -> tokenFlow(family, "X-aliyun-ecs-metadata-token");
            case GCP -> gcp(family);
            case AZURE -> azure(family);
          };
    } catch (IOException | IllegalArgumentException e) {
      return new Detection.Failed(name() + ": " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    List<IpAddress> usable = new ArrayList<>();
    for (IpAddress a : answer) {
      if (a.family() != family) {
        problems.add(a + " is not " + family.wireName());
      } else {
        filter.rejection(a).ifPresentOrElse(r -> problems.add(a + " is " + r), () -> usable.add(a));
      }
    }
    if (usable.isEmpty()) {
      return new Detection.Failed(
          name() + ": no usable " + family.wireName() + " address " + problems);
    }
    return new Detection.Found(usable, name());
  }

  /** AWS IMDSv2 and Alibaba hardened mode: PUT a token, then GET with it. */
  private List<IpAddress> tokenFlow(AddressFamily family, String tokenHeader) throws IOException {
    HttpResponseReader.Response t =
        http.send(
            "PUT",
            URI.create(base + "/latest/api/token"),
            Map.of(tokenHeader + "-ttl-seconds", TOKEN_TTL_SECONDS));
    String token = ok(t, "token").strip();
    if (!TOKEN.matcher(token).matches()) {
      throw new IOException("token answer is not a token");
    }
    Map<String, String> auth = Map.of(tokenHeader, token);
    String meta = base + "/latest/meta-data/";
    if (family == AddressFamily.IPV6) {
      String m = mac.isPresent() ? mac.get() : primaryMac(meta, auth);
      return MetadataBodyParser.list(get(meta + "network/interfaces/macs/" + m + "/ipv6s", auth));
    }
    if (provider == CloudProvider.AWS && mac.isPresent()) {
      return MetadataBodyParser.list(
          get(meta + "network/interfaces/macs/" + mac.get() + "/public-ipv4s", auth));
    }
    if (provider == CloudProvider.ALIBABA) {
      HttpResponseReader.Response eip = http.send("GET", URI.create(meta + "eipv4"), auth);
      if (eip.status() != 404) {
        return List.of(MetadataBodyParser.single(ok(eip, "eipv4")));
      }
    }
    return List.of(MetadataBodyParser.single(get(meta + "public-ipv4", auth)));
  }

  private String primaryMac(String meta, Map<String, String> auth) throws IOException {
    String m = get(meta + "mac", auth).strip().toLowerCase(java.util.Locale.ROOT);
    if (!MAC.matcher(m).matches()) {
      throw new IOException("mac answer is not a MAC address");
    }
    return m;
  }

  private List<IpAddress> gcp(AddressFamily family) throws IOException {
    String nicPath = base + "/computeMetadata/v1/instance/network-interfaces/" + nic + "/";
    String item = family == AddressFamily.IPV4 ? "access-configs/0/external-ip" : "ipv6s";
    HttpResponseReader.Response r =
        http.send("GET", URI.create(nicPath + item), Map.of("Metadata-Flavor", "Google"));
    // The header proves the answer comes from the metadata server, not a proxy or portal.
    if (!r.header("Metadata-Flavor").equals(List.of("Google"))) {
      throw new IOException("answer lacks Metadata-Flavor: Google");
    }
    String body = ok(r, item);
    return family == AddressFamily.IPV4
        ? List.of(MetadataBodyParser.single(body))
        : MetadataBodyParser.list(body);
  }

  private List<IpAddress> azure(AddressFamily family) throws IOException {
    String url =
        base
            + "/metadata/instance/network/interface/"
            + nic
            + "/"
            + family.wireName()
            + "/ipAddress/0/publicIpAddress"
            + AZURE_QUERY;
    return List.of(MetadataBodyParser.single(get(url, Map.of("Metadata", "true"))));
  }

  private String get(String url, Map<String, String> headers) throws IOException {
    return ok(http.send("GET", URI.create(url), headers), url.substring(base.length()));
  }

  private static String ok(HttpResponseReader.Response r, String what) throws IOException {
    if (r.status() != 200) {
      throw new IOException(
          what
              + ": HTTP "
              + r.status()
              + (r.status() / 100 == 3 ? " (redirects are not followed)" : ""));
    }
    return r.body();
  }
}
