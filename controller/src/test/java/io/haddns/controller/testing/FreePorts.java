package io.haddns.controller.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;

/**
 * Loopback ports free for both TCP and UDP. Prefer {@link #hold}, which keeps the sockets bound, or
 * a server bound to port 0 that reports its port: a port number that {@link #tcpAndUdp} found free
 * may be taken by the time a server binds it, so a caller that must hand a number to an external
 * process retries the start with another port when the process cannot bind.
 */
public final class FreePorts {
  private FreePorts() {}

  /** A port bound for TCP (listening, never accepting) and UDP (never answering) on one address. */
  public record Held(ServerSocket tcp, DatagramSocket udp) implements AutoCloseable {
    public int port() {
      return tcp.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      try {
        udp.close();
      } finally {
        tcp.close();
      }
    }
  }

  /** Binds a port free for both TCP and UDP on {@code address} and keeps both sockets bound. */
  public static Held hold(InetAddress address) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      ServerSocket tcp = new ServerSocket(0, 50, address);
      try {
        return new Held(tcp, new DatagramSocket(tcp.getLocalPort(), address));
      } catch (SocketException udpTaken) {
        tcp.close();
      }
    }
    throw new IOException("no port free for both TCP and UDP on " + address.getHostAddress());
  }

  /** A port free for both TCP and UDP at the moment of asking (see the class comment). */
  public static int tcpAndUdp(InetAddress address) throws IOException {
    try (Held held = hold(address)) {
      return held.port();
    }
  }
}
