package io.haddns.controller.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs from a node's admin server, returning the status code. */
public final class AdminHttp {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AdminHttp() {}

  public static int status(InetSocketAddress admin, String path) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      return CLIENT.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
