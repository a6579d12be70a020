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
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 (RFC 9112) over a plain socket bound to the line's source, for instance metadata
 * services: they speak plain HTTP on a link-local address, must not be reached through a proxy
 * (this client never uses one), and {@link java.net.http.HttpClient} cannot bind a source address.
 * The source is chosen by the family of the metadata server's address (an IPv6 detection still asks
 * an IPv4 metadata server). Responses are limited to {@value #MAX_RESPONSE} bytes.
 */
final class SocketMetadataTransport implements MetadataTransport {
  static final int MAX_RESPONSE = 8 * 1024;
  private final SourceBinding sources;
  private final Duration timeout;

  SocketMetadataTransport(SourceBinding sources, Duration timeout) {
    this.sources = sources;
    this.timeout = timeout;
  }

  @Override
  public HttpResponseReader.Response send(String method, URI url, Map<String, String> headers)
      throws IOException {
    if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IOException("metadata URL must be http://host/...: " + url);
    }
    String host = url.getHost().replaceAll("^\\[|\\]$", "");
    int port = url.getPort() < 0 ? 80 : url.getPort();
    InetAddress target = InetAddress.getAllByName(host)[0];
    AddressFamily family = target instanceof Inet4Address ? AddressFamily.IPV4 : AddressFamily.IPV6;
    StringBuilder request = new StringBuilder();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    request.append("Host: ").append(url.getHost());
    if (url.getPort() >= 0) {
      request.append(':').append(port);
    }
    request.append("\r\nUser-Agent: haddns-agent\r\nAccept: text/plain\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (!h.getKey().matches("[A-Za-z0-9-]+") || !h.getValue().matches("[\\x20-\\x7e]*")) {
        throw new IOException("refusing to send a malformed header " + h.getKey());
      }
      request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (method.equals("PUT") || method.equals("POST")) {
      request.append("Content-Length: 0\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    int millis = (int) timeout.toMillis();
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(millis);
      Optional<InetAddress> local = sources.localAddress(family);
      if (local.isPresent()) {
        socket.bind(new InetSocketAddress(local.get(), 0));
      }
      socket.connect(new InetSocketAddress(target, port), millis);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new HttpResponseReader(MAX_RESPONSE).read(socket.getInputStream());
    }
  }
}
