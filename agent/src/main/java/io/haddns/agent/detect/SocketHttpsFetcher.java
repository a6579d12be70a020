package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal HTTPS GET over a socket bound to the line's source address ({@link
 * java.net.http.HttpClient} cannot bind one). The server's certificate and host name are verified
 * ({@code endpointIdentificationAlgorithm=HTTPS}); the host is resolved and an address of the
 * wanted family is dialled, so an IPv4 detection really leaves over IPv4.
 */
public final class SocketHttpsFetcher implements EchoFetcher {
  private static final int MAX_RESPONSE = 16 * 1024;
  private final SSLContext tls;
  private final SourceBinding sources;
  private final Duration timeout;

  public SocketHttpsFetcher(SSLContext tls, SourceBinding sources, Duration timeout) {
    this.tls = tls;
    this.sources = sources;
    this.timeout = timeout;
  }

  @Override
  public String fetch(URI url, AddressFamily family) throws IOException {
    if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IOException("echo URL must be https://host/...: " + url);
    }
    String host = url.getHost().replaceAll("^\\[|\\]$", "");
    int port = url.getPort() < 0 ? 443 : url.getPort();
    InetAddress target =
        Arrays.stream(InetAddress.getAllByName(host))
            .filter(a -> (a instanceof Inet4Address) == (family == AddressFamily.IPV4))
            .findFirst()
            .orElseThrow(() -> new IOException(host + " has no " + family.wireName() + " address"));
    int millis = (int) timeout.toMillis();
    try (Socket raw = new Socket()) {
      raw.setSoTimeout(millis);
      Optional<InetAddress> local = sources.localAddress(family);
      if (local.isPresent()) {
        raw.bind(new InetSocketAddress(local.get(), 0));
      }
      raw.connect(new InetSocketAddress(target, port), millis);
      try (SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true)) {
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
          params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        OutputStream out = ssl.getOutputStream();
        String path =
            url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
          path += "?" + url.getRawQuery();
        }
        String hostHeader = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + port;
        out.write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: "
                    + hostHeader
                    + "\r\nUser-Agent: haddns-agent\r\nAccept: text/plain, application/json"
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new HttpResponseReader(MAX_RESPONSE).readBody(ssl.getInputStream());
      }
    }
  }
}
