package io.haddns.controller.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated uplink for the demo: a TCP service on a loopback address that the line's probes
 * connect to. {@link #fail()} closes it (connections are refused, as when a line's far end is
 * gone); {@link #restore()} opens it again on the same address and port.
 */
public final class SimulatedLine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedLine.class);

  private final String name;
  private final InetAddress address;
  private final int port;
  private ServerSocket socket;

  public SimulatedLine(String name, InetAddress address, int port) {
    this.name = name;
    this.address = address;
    this.port = port;
  }

  public synchronized void restore() throws IOException {
    if (socket != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(new InetSocketAddress(address, port), 256);
    } catch (IOException e) {
      s.close();
      throw new IOException(
          "line "
              + name
              + " cannot listen on "
              + address.getHostAddress()
              + ":"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
    socket = s;
    Thread.ofPlatform().daemon().name("demo-line-" + name).start(() -> serve(s));
  }

  private void serve(ServerSocket s) {
    while (!s.isClosed()) {
      try (Socket c = s.accept()) {
        c.shutdownOutput();
      } catch (IOException e) {
        if (!s.isClosed()) {
          log.debug("line={} accept failed: {}", name, e.toString());
        }
      }
    }
  }

  public synchronized void fail() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  public String name() {
    return name;
  }

  public InetAddress address() {
    return address;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException {
    fail();
  }

  /** A TCP port free on every one of {@code addresses} right now, for lines sharing a port. */
  public static int freePort(InetAddress... addresses) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, addresses[0])) {
        port = s.getLocalPort();
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
    throw new IOException("no TCP port is free on all of the line addresses");
  }
}
