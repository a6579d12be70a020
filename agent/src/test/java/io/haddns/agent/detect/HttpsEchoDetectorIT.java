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
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = getClass().getResourceAsStream("/test-tls.p12")) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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
    return URI.create("https://localhost:" + server.getAddress().getPort() + "/ip");
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
}
