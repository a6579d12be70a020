package io.haddns.controller.election;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells whether a TCP port refuses connections: the direct sign that a process is gone while its
 * host is up (the host's kernel answers the SYN with a reset). A frozen process's port still
 * accepts (the kernel completes the handshake), and an unreachable host answers nothing, so neither
 * counts as refused.
 */
@FunctionalInterface
public interface PortProbe {

  /** True only when a connection to {@code hostPort} ({@code host:port}) was actively refused. */
  boolean refused(String hostPort, Duration timeout);

  /** Plain TCP connects; wildcard and unparsable addresses never count as refused. */
  static PortProbe tcp() {
    return (hostPort, timeout) -> {
      Optional<InetSocketAddress> target = parse(hostPort);
      if (target.isEmpty()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(target.get(), (int) Math.max(1, timeout.toMillis()));
        return false;
      } catch (ConnectException e) {
        return refused(e);
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** Whether a failed connect was actively refused (a reset), not timed out or unreachable. */
  static boolean refused(ConnectException e) {
    return e.getMessage() != null && e.getMessage().contains("refused");
  }

  /** {@code host:port} (an IPv6 host unbracketed or bracketed); empty for wildcard hosts. */
  static Optional<InetSocketAddress> parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      return Optional.empty();
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      InetAddress address = InetAddress.getByName(host);
      if (address.isAnyLocalAddress() || port <= 0 || port > 65535) {
        return Optional.empty();
      }
      return Optional.of(new InetSocketAddress(address, port));
    } catch (NumberFormatException | UnknownHostException e) {
      return Optional.empty();
    }
  }
}
