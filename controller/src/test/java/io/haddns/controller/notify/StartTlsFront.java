package io.haddns.controller.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP front on loopback that offers STARTTLS (RFC 3207), upgrades the connection with {@code
 * tls} (the JDK's TLS) and then relays it to a plain SMTP server (GreenMail 2.1 has no STARTTLS),
 * whose greeting it swallows: the client sees one SMTP session that became TLS. Before the upgrade
 * it answers only EHLO/HELO, STARTTLS and QUIT.
 */
final class StartTlsFront implements AutoCloseable {
  private final ServerSocket server;
  private final SSLContext tls;
  private final int backend;
  private final AtomicInteger upgraded = new AtomicInteger();

  StartTlsFront(SSLContext tls, int backendPort) throws IOException {
    this.tls = tls;
    this.backend = backendPort;
    this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Sessions whose TLS handshake completed. */
  int upgraded() {
    return upgraded.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> session(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void session(Socket plain) {
    try (plain) {
      InputStream in = plain.getInputStream();
      OutputStream out = plain.getOutputStream();
      write(out, "220 starttls-front ESMTP\r\n");
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        if (verb.equals("EHLO") || verb.equals("HELO")) {
          write(out, "250-starttls-front\r\n250 STARTTLS\r\n");
        } else if (verb.equals("STARTTLS")) {
          write(out, "220 ready to start TLS\r\n");
          break;
        } else if (verb.equals("QUIT")) {
          write(out, "221 bye\r\n");
          return;
        } else {
          write(out, "530 5.7.0 must issue a STARTTLS command first\r\n");
        }
      }
      SSLSocket secure =
          (SSLSocket)
              tls.getSocketFactory()
                  .createSocket(
                      plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
      secure.setUseClientMode(false);
      secure.startHandshake();
      upgraded.incrementAndGet();
      try (secure;
          Socket back = new Socket(InetAddress.getLoopbackAddress(), backend)) {
        readLine(back.getInputStream()); // the backend's own greeting: already given above
        Thread up = Thread.ofVirtual().start(() -> pipe(secure, back));
        pipe(back, secure);
        up.join();
      }
    } catch (IOException e) {
      // The client gave up, e.g. it did not trust the certificate.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // One side closed.
    }
  }

  /** One CRLF-terminated line, read byte by byte so nothing after it is consumed. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).strip();
      }
      line.write(b);
    }
    return null;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
