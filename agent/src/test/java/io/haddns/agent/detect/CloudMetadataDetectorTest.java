package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-provider request flows against a scripted transport (no sockets). */
class CloudMetadataDetectorTest {
  private static final URI BASE = URI.create("http://imds.test");

  /** Answers by "METHOD path"; records every request with its headers. */
  private static final class Scripted implements MetadataTransport {
    final Map<String, HttpResponseReader.Response> answers = new HashMap<>();
    final List<String> requests = new ArrayList<>();
    final List<Map<String, String>> headers = new ArrayList<>();

    Scripted answer(String request, int status, String body, Map<String, List<String>> h) {
      answers.put(request, new HttpResponseReader.Response(status, h, body));
      return this;
    }

    Scripted answer(String request, int status, String body) {
      return answer(request, status, body, Map.of());
    }

    @Override
    public HttpResponseReader.Response send(String method, URI url, Map<String, String> h)
        throws IOException {
      String key =
          method
              + " "
              + url.getRawPath()
              + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
      requests.add(key);
      headers.add(h);
      HttpResponseReader.Response r = answers.get(key);
      if (r == null) {
        return new HttpResponseReader.Response(404, Map.of(), "not found");
      }
      return r;
    }
  }

  private static CloudMetadataDetector detector(CloudProvider p, Scripted http) {
    return new CloudMetadataDetector(
        p, BASE, http, new PublicAddressFilter(false), Optional.empty(), 0);
  }

  private static List<IpAddress> found(Detection d) {
    assertThat(d).isInstanceOf(Detection.Found.class);
    return ((Detection.Found) d).addresses();
  }

  @Test
  void awsTakesATokenThenReadsPublicIpv4WithIt() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "AQAEAtoken==")
            .answer("GET /latest/meta-data/public-ipv4", 200, "8.8.4.4");

    assertThat(found(detector(CloudProvider.AWS, http).detect(AddressFamily.IPV4)))
        .containsExactly(IpAddress.parse("8.8.4.4"));
    assertThat(http.headers.get(0))
        .containsEntry(
            "X-aws-ec2-metadata-token-ttl-seconds", CloudMetadataDetector.TOKEN_TTL_SECONDS);
    assertThat(http.headers.get(1)).containsEntry("X-aws-ec2-metadata-token", "AQAEAtoken==");
  }

  @Test
  void awsIpv6ReadsThePrimaryInterfacesIpv6s() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "tok")
            .answer("GET /latest/meta-data/mac", 200, "0A:1b:2c:3d:4e:5f")
            .answer(
                "GET /latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/ipv6s",
                200,
                "2001:4860:4860::8844\n");

    assertThat(found(detector(CloudProvider.AWS, http).detect(AddressFamily.IPV6)))
        .containsExactly(IpAddress.parse("2001:4860:4860::8844"));
  }

  @Test
  void awsWithoutATokenNeverAsksForTheAddress() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 403, "")
            .answer("GET /latest/meta-data/public-ipv4", 200, "8.8.4.4");

    Detection d = detector(CloudProvider.AWS, http).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
    assertThat(((Detection.Failed) d).reason()).contains("token: HTTP 403");
    assertThat(http.requests).containsExactly("PUT /latest/api/token");
  }

  @Test
  void aTokenThatCouldInjectHeadersIsRefused() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "abc\r\nX-Evil: 1")
            .answer("GET /latest/meta-data/public-ipv4", 200, "8.8.4.4");

    assertThat(detector(CloudProvider.AWS, http).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
  }

  @Test
  void aRedirectIsNotFollowed() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "tok")
            .answer("GET /latest/meta-data/public-ipv4", 302, "");

    Detection d = detector(CloudProvider.AWS, http).detect(AddressFamily.IPV4);

    assertThat(((Detection.Failed) d).reason()).contains("redirects are not followed");
  }

  @Test
  void aPrivateOrWrongFamilyAnswerIsNoAddress() {
    Scripted priv =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "tok")
            .answer("GET /latest/meta-data/public-ipv4", 200, "10.0.0.5");
    Scripted v6 =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "tok")
            .answer("GET /latest/meta-data/public-ipv4", 200, "2001:4860:4860::8844");

    assertThat(detector(CloudProvider.AWS, priv).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
    assertThat(detector(CloudProvider.AWS, v6).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
  }

  @Test
  void alibabaUsesItsOwnTokenHeadersAndPrefersTheEip() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "alitoken")
            .answer("GET /latest/meta-data/eipv4", 200, "8.8.4.4")
            .answer("GET /latest/meta-data/public-ipv4", 200, "8.8.8.8");

    assertThat(found(detector(CloudProvider.ALIBABA, http).detect(AddressFamily.IPV4)))
        .containsExactly(IpAddress.parse("8.8.4.4"));
    assertThat(http.headers.get(0)).containsKey("X-aliyun-ecs-metadata-token-ttl-seconds");
    assertThat(http.headers.get(1)).containsEntry("X-aliyun-ecs-metadata-token", "alitoken");
  }

  @Test
  void alibabaFallsBackToPublicIpv4WhenThereIsNoEip() {
    Scripted http =
        new Scripted()
            .answer("PUT /latest/api/token", 200, "alitoken")
            .answer("GET /latest/meta-data/public-ipv4", 200, "8.8.8.8");

    assertThat(found(detector(CloudProvider.ALIBABA, http).detect(AddressFamily.IPV4)))
        .containsExactly(IpAddress.parse("8.8.8.8"));
  }

  @Test
  void gcpRequiresTheFlavorHeaderOnTheAnswer() {
    String path =
        "GET /computeMetadata/v1/instance/network-interfaces/0/access-configs/0/external-ip";
    Scripted genuine =
        new Scripted().answer(path, 200, "8.8.4.4", Map.of("metadata-flavor", List.of("Google")));
    Scripted impostor = new Scripted().answer(path, 200, "8.8.4.4");

    assertThat(found(detector(CloudProvider.GCP, genuine).detect(AddressFamily.IPV4)))
        .containsExactly(IpAddress.parse("8.8.4.4"));
    assertThat(genuine.headers.get(0)).containsEntry("Metadata-Flavor", "Google");
    Detection d = detector(CloudProvider.GCP, impostor).detect(AddressFamily.IPV4);
    assertThat(((Detection.Failed) d).reason()).contains("Metadata-Flavor");
  }

  @Test
  void azureAsksTheTextFormWithTheMetadataHeader() {
    Scripted http =
        new Scripted()
            .answer(
                "GET /metadata/instance/network/interface/0/ipv4/ipAddress/0/publicIpAddress"
                    + "?api-version=2021-02-01&format=text",
                200,
                "8.8.4.4");

    assertThat(found(detector(CloudProvider.AZURE, http).detect(AddressFamily.IPV4)))
        .containsExactly(IpAddress.parse("8.8.4.4"));
    assertThat(http.headers.get(0)).containsEntry("Metadata", "true");
  }

  @Test
  void anEmptyAzureAnswerMeansNoPublicAddress() {
    Scripted http =
        new Scripted()
            .answer(
                "GET /metadata/instance/network/interface/0/ipv4/ipAddress/0/publicIpAddress"
                    + "?api-version=2021-02-01&format=text",
                200,
                "");

    assertThat(detector(CloudProvider.AZURE, http).detect(AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
  }
}
