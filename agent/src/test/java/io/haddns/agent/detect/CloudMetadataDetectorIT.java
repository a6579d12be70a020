package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fake metadata services on 127.0.0.1 that insist on each provider's headers and token flow. */
class CloudMetadataDetectorIT {
  private static final String TOKEN = "AQAEAFakeToken-xyz==";
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final List<InetAddress> remotes = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private URI serve(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          remotes.add(exchange.getRemoteAddress().getAddress());
          try (exchange) {
            handler.handle(exchange);
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
  }

  /** An IMDSv2-like service: PUT with the TTL header gives a token; GETs need it. */
  private static Handler tokenService(String headerPrefix, Handler withToken) {
    return exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/latest/api/token")) {
        boolean ok =
            exchange.getRequestMethod().equals("PUT")
                && exchange.getRequestHeaders().getFirst(headerPrefix + "-ttl-seconds") != null;
        reply(exchange, ok ? 200 : 400, ok ? TOKEN : "");
      } else if (!TOKEN.equals(exchange.getRequestHeaders().getFirst(headerPrefix))) {
        reply(exchange, 401, "");
      } else {
        withToken.handle(exchange);
      }
    };
  }

  private static CloudMetadataDetector detector(
      CloudProvider provider, URI base, SourceBinding sources, Duration timeout) {
    return CloudMetadataDetector.create(
        provider,
        Optional.of(base),
        timeout,
        sources,
        new PublicAddressFilter(false),
        Optional.empty(),
        0);
  }

  private static CloudMetadataDetector detector(CloudProvider provider, URI base) {
    return detector(provider, base, SourceAddresses.NONE, Duration.ofSeconds(2));
  }

  private static Handler path(String expected, String body) {
    return exchange ->
        reply(
            exchange,
            exchange.getRequestURI().getPath().equals(expected) ? 200 : 404,
            exchange.getRequestURI().getPath().equals(expected) ? body : "");
  }

  @Test
  void awsReadsThePublicAddressWithASessionToken() throws Exception {
    URI base =
        serve(
            tokenService(
                "X-aws-ec2-metadata-token", path("/latest/meta-data/public-ipv4", "8.8.4.4")));

    Detection d = detector(CloudProvider.AWS, base).detect(AddressFamily.IPV4);

    assertThat(d)
        .isEqualTo(new Detection.Found(List.of(IpAddress.parse("8.8.4.4")), "cloud-metadata-aws"));
    assertThat(seen).containsExactly("PUT /latest/api/token", "GET /latest/meta-data/public-ipv4");
  }

  @Test
  void awsIpv6FollowsThePrimaryMac() throws Exception {
    URI base =
        serve(
            tokenService(
                "X-aws-ec2-metadata-token",
                exchange -> {
                  String p = exchange.getRequestURI().getPath();
                  if (p.equals("/latest/meta-data/mac")) {
                    reply(exchange, 200, "0a:1b:2c:3d:4e:5f");
                  } else if (p.equals(
                      "/latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/ipv6s")) {
                    reply(exchange, 200, "2001:4860:4860::8844");
                  } else {
                    reply(exchange, 404, "");
                  }
                }));

    Detection d = detector(CloudProvider.AWS, base).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses())
        .containsExactly(IpAddress.parse("2001:4860:4860::8844"));
  }

  @Test
  void aServiceThatGivesNoTokenGivesNoAddress() throws Exception {
    URI base =
        serve(
            exchange -> {
              if (exchange.getRequestURI().getPath().equals("/latest/api/token")) {
                reply(exchange, 403, "");
              } else {
                reply(exchange, 401, "");
              }
            });

    Detection d = detector(CloudProvider.AWS, base).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
    assertThat(seen).containsExactly("PUT /latest/api/token");
  }

  @Test
  void alibabaSendsItsTokenHeadersAndFallsBackToPublicIpv4() throws Exception {
    URI base =
        serve(
            tokenService(
                "X-aliyun-ecs-metadata-token", path("/latest/meta-data/public-ipv4", "8.8.8.8")));

    Detection d = detector(CloudProvider.ALIBABA, base).detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.8.8"));
    assertThat(seen)
        .containsExactly(
            "PUT /latest/api/token",
            "GET /latest/meta-data/eipv4",
            "GET /latest/meta-data/public-ipv4");
  }

  @Test
  void gcpNeedsTheFlavorHeaderBothWays() throws Exception {
    URI base =
        serve(
            exchange -> {
              if (!"Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
                reply(exchange, 403, "");
                return;
              }
              exchange.getResponseHeaders().add("Metadata-Flavor", "Google");
              path(
                      "/computeMetadata/v1/instance/network-interfaces/0/access-configs/0/external-ip",
                      "8.8.4.4\n")
                  .handle(exchange);
            });

    Detection d = detector(CloudProvider.GCP, base).detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void gcpAnswerWithoutTheFlavorHeaderIsRefused() throws Exception {
    URI base =
        serve(
            path(
                "/computeMetadata/v1/instance/network-interfaces/0/access-configs/0/external-ip",
                "8.8.4.4"));

    assertThat(detector(CloudProvider.GCP, base).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
  }

  @Test
  void azureNeedsTheMetadataHeaderAndTheTextForm() throws Exception {
    URI base =
        serve(
            exchange -> {
              boolean ok =
                  "true".equals(exchange.getRequestHeaders().getFirst("Metadata"))
                      && "api-version=2021-02-01&format=text"
                          .equals(exchange.getRequestURI().getRawQuery());
              if (!ok) {
                reply(exchange, 400, "{\"error\":\"Bad request\"}");
                return;
              }
              path(
                      "/metadata/instance/network/interface/0/ipv4/ipAddress/0/publicIpAddress",
                      "8.8.4.4")
                  .handle(exchange);
            });

    Detection d = detector(CloudProvider.AZURE, base).detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    URI base =
        serve(
            exchange -> {
              if (exchange.getRequestURI().getPath().startsWith("/metadata/")) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                reply(exchange, 302, "");
              } else {
                reply(exchange, 200, "8.8.4.4");
              }
            });

    assertThat(detector(CloudProvider.AZURE, base).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
    assertThat(seen)
        .as("the metadata request was made, its redirect not followed")
        .anyMatch(r -> r.contains("/metadata/"))
        .noneMatch(r -> r.contains("/elsewhere"));
  }

  @Test
  void aHugeOrHtmlBodyIsNoAddress() throws Exception {
    URI base =
        serve(
            exchange ->
                reply(
                    exchange,
                    200,
                    exchange.getRequestURI().getPath().contains("interface/0")
                        ? "8.8.4.4" + " ".repeat(100_000)
                        : "<html>8.8.4.4</html>"));

    assertThat(detector(CloudProvider.AZURE, base).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
    assertThat(
            CloudMetadataDetector.create(
                    CloudProvider.AZURE,
                    Optional.of(base),
                    Duration.ofSeconds(2),
                    SourceAddresses.NONE,
                    new PublicAddressFilter(false),
                    Optional.empty(),
                    1)
                .detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
  }

  @Test
  void aSilentServiceTimesOutQuickly() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      URI base = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      long start = System.nanoTime();

      Detection d =
          detector(CloudProvider.AZURE, base, SourceAddresses.NONE, Duration.ofMillis(300))
              .detect(AddressFamily.IPV4);

      assertThat(d).isInstanceOf(Detection.Failed.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void bindsTheLinesSourceAddress() throws Exception {
    URI base =
        serve(
            tokenService(
                "X-aws-ec2-metadata-token", path("/latest/meta-data/public-ipv4", "8.8.4.4")));
    SourceAddresses line2 = SourceAddresses.of(List.of(InetAddress.getByName("127.0.0.2")));

    Detection d =
        detector(CloudProvider.AWS, base, line2, Duration.ofSeconds(2)).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Found.class);
    assertThat(remotes).hasSize(2).containsOnly(InetAddress.getByName("127.0.0.2"));
  }

  @Test
  void bindsTheLinesInterfaceByName() throws Exception {
    URI base = serve(path("/latest/meta-data/public-ipv4", "8.8.4.4"));
    InterfaceSource lo = InterfaceSource.of(loopbackInterfaceName());
    InetAddress expected = lo.localAddress(AddressFamily.IPV4).orElseThrow();

    Detection d =
        CloudMetadataDetector.create(
                CloudProvider.AZURE,
                Optional.of(base),
                Duration.ofSeconds(2),
                lo,
                new PublicAddressFilter(false),
                Optional.empty(),
                0)
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class); // 404: only the binding matters here
    assertThat(remotes).containsExactly(expected);
  }

  @Test
  void anAbsentInterfaceFailsWithoutSendingAnything() throws Exception {
    URI base = serve(path("/", "8.8.4.4"));

    Detection d =
        detector(
                CloudProvider.AZURE,
                base,
                InterfaceSource.of("haddns-none0"),
                Duration.ofSeconds(2))
            .detect(AddressFamily.IPV4);

    assertThat(((Detection.Failed) d).reason()).contains("no interface haddns-none0");
    assertThat(seen).isEmpty();
  }

  static String loopbackInterfaceName() throws IOException {
    return java.net.NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1")).getName();
  }
}
