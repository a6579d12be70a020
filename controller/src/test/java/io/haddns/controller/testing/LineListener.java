package io.haddns.controller.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP listener standing in for a line's public service: up while open, refusing connections once
 * closed. Reopened on the same address and port.
 */
public final class LineListener implements AutoCloseable {
  private final InetAddress address;
  private final int port;
  private ServerSocket socket;
  private Thread acceptor;

  public LineListener(InetAddress address, int port) {
    this.address = address;
    this.port = port;
  }

  public synchronized LineListener open() throws IOException {
    if (socket != null) {
      return this;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(address, port), 128);
    socket = s;
    acceptor =
        Thread.ofPlatform()
            .daemon()
            .name("line-" + address.getHostAddress())
            .start(
                () -> {
                  while (!s.isClosed()) {
                    // Accept and close gracefully (FIN): the prober's handshake has completed.
                    try (Socket c = s.accept()) {
                      c.shutdownOutput();
                    } catch (IOException e) {
                      if (s.isClosed()) {
                        return;
                      }
                    }
                  }
                });
    return this;
  }

  /** Stops listening: probes now get connection refused. */
  public synchronized void down() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  public InetAddress address() {
    return address;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException {
    down();
  }

  /** A port free on both addresses right now. */
  public static int freePort(InetAddress... addresses) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, addresses[0])) {
        port = probe.getLocalPort();
      }
      boolean free = true;
      for (InetAddress a : addresses) {
        try (ServerSocket s = new ServerSocket(port, 1, a)) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return port;
      }
    }
    throw new IOException("no port free on all of the line addresses");
  }
}
