package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.CaTrust;
import io.haddns.agent.report.IpAddress;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTPS echo servers on loopback, trusted through the CA-file option. */
class HttpsEchoDetectorIT {
  private final List<HttpsServer> servers = new ArrayList<>();

  private URI echo(Function<InetAddress, String> body) throws Exception {
    return echo(InetAddress.getLoopbackAddress(), body);
  }

  /** An HTTPS echo server on {@code listening}, its URL naming that address literally. */
  private URI echo(InetAddress listening, Function<InetAddress, String> body) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = getClass().getResourceAsStream("/test-tls.p12")) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(listening, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          byte[] out =
              body.apply(exchange.getRemoteAddress().getAddress()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    servers.add(server);
    if (listening.equals(InetAddress.getLoopbackAddress())) {
      return URI.create("https://localhost:" + server.getAddress().getPort() + "/ip");
    }
    String host = listening.getHostAddress();
    return URI.create(
        "https://"
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + server.getAddress().getPort()
            + "/ip");
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private static SocketHttpsFetcher fetcher(SourceBinding sources) throws Exception {
    Path ca = Path.of(HttpsEchoDetectorIT.class.getResource("/test-ca.pem").toURI());
    return new SocketHttpsFetcher(
        CaTrust.sslContext(Optional.of(ca)), sources, Duration.ofSeconds(5));
  }

  @Test
  void twoAgreeingEchoServicesGiveTheAddress() throws Exception {
    List<URI> urls = List.of(echo(a -> "8.8.4.4\n"), echo(a -> "{\"ip\": \"8.8.4.4\"}"));

    Detection d =
        HttpsEchoDetector.create(
                EchoUrls.both(urls),
                fetcher(SourceAddresses.NONE),
                2,
                new PublicAddressFilter(false))
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Found.class);
    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void disagreeingEchoServicesGiveNothing() throws Exception {
    List<URI> urls = List.of(echo(a -> "8.8.4.4"), echo(a -> "8.8.8.8"));

    Detection d =
        HttpsEchoDetector.create(
                EchoUrls.both(urls),
                fetcher(SourceAddresses.NONE),
                2,
                new PublicAddressFilter(false))
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
  }

  @Test
  void bindsTheLinesSourceAddress() throws Exception {
    List<URI> urls = List.of(echo(InetAddress::getHostAddress), echo(InetAddress::getHostAddress));
    SourceAddresses source = SourceAddresses.of(List.of(InetAddress.getByName("127.0.0.2")));

    Detection d =
        HttpsEchoDetector.create(
                EchoUrls.both(urls), fetcher(source), 2, new PublicAddressFilter(true))
            .detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("127.0.0.2"));
  }

  @Test
  void bindsTheLinesInterfaceByName() throws Exception {
    List<URI> urls = List.of(echo(InetAddress::getHostAddress), echo(InetAddress::getHostAddress));
    InterfaceSource lo = InterfaceSource.of(CloudMetadataDetectorIT.loopbackInterfaceName());
    IpAddress expected = IpAddress.of(lo.localAddress(AddressFamily.IPV4).orElseThrow());

    Detection d =
        HttpsEchoDetector.create(EchoUrls.both(urls), fetcher(lo), 2, new PublicAddressFilter(true))
            .detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(expected);
  }

  @Test
  void anAbsentInterfaceIsNoAnswer() throws Exception {
    List<URI> urls = List.of(echo(InetAddress::getHostAddress), echo(InetAddress::getHostAddress));

    Detection d =
        HttpsEchoDetector.create(
                EchoUrls.both(urls),
                fetcher(InterfaceSource.of("haddns-none0")),
                2,
                new PublicAddressFilter(true))
            .detect(AddressFamily.IPV4);

    assertThat(((Detection.Failed) d).reason()).contains("no interface haddns-none0");
  }

  @Test
  void anUntrustedCertificateIsNoAnswer() throws Exception {
    List<URI> urls = List.of(echo(a -> "8.8.4.4"), echo(a -> "8.8.4.4"));
    SocketHttpsFetcher defaultTrust =
        new SocketHttpsFetcher(
            CaTrust.sslContext(Optional.empty()), SourceAddresses.NONE, Duration.ofSeconds(5));

    Detection d =
        HttpsEchoDetector.create(
                EchoUrls.both(urls), defaultTrust, 2, new PublicAddressFilter(false))
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
  }

  private static final InetAddress V6 = ipv6Loopback();
  private static final String PUBLIC_V6 = "2a00:1450:4001:80b::200e";

  private static InetAddress ipv6Loopback() {
    try {
      return InetAddress.getByName("::1");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static HttpsEchoDetector detector(EchoUrls urls, SourceBinding sources, boolean lab)
      throws Exception {
    return HttpsEchoDetector.create(urls, fetcher(sources), 2, new PublicAddressFilter(lab));
  }

  @Test
  void twoAgreeingIpv6EchoServicesOnIpv6LoopbackGiveTheAddress() throws Exception {
    List<URI> v6 =
        List.of(echo(V6, a -> PUBLIC_V6 + "\n"), echo(V6, a -> "{\"ip\":\"" + PUBLIC_V6 + "\"}"));

    Detection d =
        detector(EchoUrls.both(v6), SourceAddresses.NONE, false).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse(PUBLIC_V6));
  }

  @Test
  void ipv6EchoServicesSeeTheBoundIpv6Source() throws Exception {
    List<URI> v6 =
        List.of(echo(V6, InetAddress::getHostAddress), echo(V6, InetAddress::getHostAddress));

    Detection d =
        detector(EchoUrls.both(v6), SourceAddresses.of(List.of(V6)), true)
            .detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("::1"));
  }

  @Test
  void twoDisagreeingIpv6EchoServicesGiveNothing() throws Exception {
    List<URI> v6 = List.of(echo(V6, a -> PUBLIC_V6), echo(V6, a -> "2a00:1450:4001:80b::200f"));

    Detection d =
        detector(EchoUrls.both(v6), SourceAddresses.NONE, false).detect(AddressFamily.IPV6);

    assertThat(((Detection.Failed) d).reason()).contains("disagree");
  }

  @Test
  void aMajorityOfThreeIpv6ServicesOutvotesAHijackedOne() throws Exception {
    List<URI> v6 =
        List.of(
            echo(V6, a -> PUBLIC_V6),
            echo(V6, a -> "2001:4860:4860::8888"),
            echo(V6, a -> PUBLIC_V6));

    Detection d =
        detector(EchoUrls.both(v6), SourceAddresses.NONE, false).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse(PUBLIC_V6));
  }

  @Test
  void eachFamilyAsksItsOwnServicesOnOneDualStackLine() throws Exception {
    EchoUrls urls =
        new EchoUrls(
            List.of(echo(a -> "8.8.4.4"), echo(a -> "8.8.4.4")),
            List.of(echo(V6, a -> PUBLIC_V6), echo(V6, a -> PUBLIC_V6)));
    HttpsEchoDetector d = detector(urls, SourceAddresses.NONE, false);

    assertThat(((Detection.Found) d.detect(AddressFamily.IPV4)).addresses())
        .containsExactly(IpAddress.parse("8.8.4.4"));
    assertThat(((Detection.Found) d.detect(AddressFamily.IPV6)).addresses())
        .containsExactly(IpAddress.parse(PUBLIC_V6));
  }

  @Test
  void ipv4OnlyServicesAskedForIpv6NeverReachTheQuorum() throws Exception {
    List<URI> v4only =
        List.of(
            echo(literal("127.0.0.1"), a -> "8.8.4.4"),
            echo(literal("127.0.0.1"), a -> "8.8.4.4"),
            echo(V6, a -> PUBLIC_V6));

    Detection d =
        detector(EchoUrls.both(v4only), SourceAddresses.NONE, false).detect(AddressFamily.IPV6);

    assertThat(((Detection.Failed) d).reason())
        .contains("fewer than 2 echo services agree (1 answered)")
        .contains("localhost has no ipv6 address");
  }

  private static InetAddress literal(String ip) throws java.net.UnknownHostException {
    return InetAddress.getByName(ip);
  }
}
