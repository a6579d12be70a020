package io.haddns.controller.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One client connection speaking HTTP/1.1 by hand, for what {@code HttpClient} cannot do. */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  RawHttp(InetSocketAddress gateway) throws IOException {
    this(gateway, null);
  }

  /** Connects from {@code local} (e.g. {@code 127.0.0.2}, another loopback source); null: any. */
  RawHttp(InetSocketAddress gateway, InetAddress local) throws IOException {
    socket = new Socket(gateway.getAddress(), gateway.getPort(), local, 0);
    socket.setSoTimeout(15_000);
  }

  void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n";
  }

  /** Reads one response (status line, headers, a Content-Length body); null at end of stream. */
  String response() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    if (b < 0) {
      return head.size() == 0 ? null : head.toString(StandardCharsets.UTF_8);
    }
    String headers = head.toString(StandardCharsets.UTF_8);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Whether the server has sent something. */
  boolean answered() throws IOException {
    return socket.getInputStream().available() > 0;
  }

  /** Whether the server closed the connection (reads end of stream within the socket timeout). */
  boolean closedByServer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
