package io.haddns.controller.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP receiver for tests (the JDK's server on loopback): records every request and answers
 * from a script of replies, then with its default reply.
 */
final class ReceiverServer implements AutoCloseable {
  record Request(
      Instant at, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst()
          .map(e -> e.getValue().get(0))
          .orElse(null);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  record Reply(int status, String body, Map<String, String> headers, long delayMillis) {
    static Reply of(int status, String body) {
      return new Reply(status, body, Map.of(), 0);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Reply> script = new ArrayDeque<>();
  private volatile Reply fallback;

  ReceiverServer(int port, Reply fallback) throws IOException {
    this.fallback = fallback;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          requests.add(
              new Request(
                  Instant.now(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestURI().getRawQuery(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          Reply r;
          synchronized (script) {
            r = script.isEmpty() ? this.fallback : script.poll();
          }
          if (r.delayMillis() > 0) {
            try {
              Thread.sleep(r.delayMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
          r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          try {
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
              try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
              }
            }
          } catch (IOException e) {
            // The client gave up (a timeout test): nothing to answer.
          }
          exchange.close();
        });
    server.start();
  }

  /** On any free loopback port, answering 200 "ok" unless scripted. */
  static ReceiverServer ok() throws IOException {
    return new ReceiverServer(0, Reply.of(200, "ok"));
  }

  void script(Reply... replies) {
    synchronized (script) {
      script.addAll(List.of(replies));
    }
  }

  void answer(Reply reply) {
    this.fallback = reply;
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
