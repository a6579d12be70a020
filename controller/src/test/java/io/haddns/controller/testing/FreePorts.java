package io.haddns.controller.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;

/** Finds loopback ports that are free for both TCP and UDP at the moment of asking. */
public final class FreePorts {
  private FreePorts() {}

  public static int tcpAndUdp(InetAddress address) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
        int port = tcp.getLocalPort();
        if (udpFree(address, port)) {
          return port;
        }
      }
    }
    throw new IOException("no port free for both TCP and UDP on " + address.getHostAddress());
  }

  private static boolean udpFree(InetAddress address, int port) {
    try (DatagramSocket udp = new DatagramSocket(port, address)) {
      return udp.isBound();
    } catch (SocketException e) {
      return false;
    }
  }
}
