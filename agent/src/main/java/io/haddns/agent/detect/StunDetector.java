package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Asks STUN servers (RFC 8489 Binding over UDP) for the line's mapped address, from the line's
 * source address when configured. Servers are tried in order; the first valid, acceptable answer
 * wins. Each server gets {@code attempts} requests, the wait doubling from {@code timeout} (the
 * RFC's retransmission, shortened: a detection round must stay short). Datagrams from other
 * addresses or with another transaction id are ignored; an error response or one with an unknown
 * comprehension-required attribute fails that server at once (RFC 8489 §6.3.3).
 */
public final class StunDetector implements IpDetector {
  /** host:port strings; the port defaults to 3478. */
  private final List<String> servers;

  private final SourceBinding sources;
  private final Duration timeout;
  private final int attempts;
  private final PublicAddressFilter filter;
  private final RandomGenerator random;

  public StunDetector(
      List<String> servers,
      SourceBinding sources,
      Duration timeout,
      int attempts,
      PublicAddressFilter filter,
      RandomGenerator random) {
    if (servers.isEmpty() || attempts < 1) {
      throw new IllegalArgumentException("stun needs at least one server and one attempt");
    }
    this.servers = List.copyOf(servers);
    this.sources = sources;
    this.timeout = timeout;
    this.attempts = attempts;
    this.filter = filter;
    this.random = random;
  }

  @Override
  public String name() {
    return "stun";
  }

  @Override
  public Detection detect(AddressFamily family) {
    List<String> problems = new ArrayList<>();
    for (String server : servers) {
      try {
        Optional<IpAddress> answer = ask(server, family);
        if (answer.isEmpty()) {
          problems.add(server + ": no answer");
          continue;
        }
        Optional<String> rejection = filter.rejection(answer.get());
        if (rejection.isPresent()) {
          problems.add(server + ": " + answer.get() + " is " + rejection.get());
          continue;
        }
        return new Detection.Found(List.of(answer.get()), name() + " " + server);
      } catch (IOException | IllegalArgumentException e) {
        problems.add(server + ": " + e.getMessage());
      }
      if (Thread.currentThread().isInterrupted()) {
        return new Detection.Failed("interrupted");
      }
    }
    return new Detection.Failed("no STUN answer " + problems);
  }

  private Optional<IpAddress> ask(String server, AddressFamily family) throws IOException {
    InetSocketAddress target = resolve(server, family);
    byte[] id = new byte[12];
    random.nextBytes(id);
    byte[] request = StunCodec.bindingRequest(id);
    InetSocketAddress local = new InetSocketAddress(sources.localAddress(family).orElse(null), 0);
    try (DatagramSocket socket = new DatagramSocket(local)) {
      long wait = timeout.toMillis();
      for (int attempt = 0; attempt < attempts; attempt++, wait *= 2) {
        socket.send(new DatagramPacket(request, request.length, target));
        long deadline = System.nanoTime() + wait * 1_000_000;
        byte[] buf = new byte[1500];
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            break;
          }
          socket.setSoTimeout((int) left);
          DatagramPacket packet = new DatagramPacket(buf, buf.length);
          try {
            socket.receive(packet);
          } catch (SocketTimeoutException e) {
            break;
          }
          if (!packet.getSocketAddress().equals(target)) {
            continue;
          }
          try {
            IpAddress mapped = StunCodec.parseBindingResponse(buf, packet.getLength(), id);
            if (mapped.family() == family) {
              return Optional.of(mapped);
            }
            throw new IOException("mapped address " + mapped + " is not " + family.wireName());
          } catch (StunCodec.FailedTransaction e) {
            throw new IOException(e.getMessage(), e);
          } catch (IllegalArgumentException e) {
            // A stray or forged datagram: keep waiting for the real answer.
            continue;
          }
        }
      }
      return Optional.empty();
    }
  }

  private static InetSocketAddress resolve(String server, AddressFamily family) throws IOException {
    String host = server;
    int port = 3478;
    int colon = server.lastIndexOf(':');
    if (server.startsWith("[")) {
      int close = server.indexOf(']');
      host = server.substring(1, close);
      if (close + 1 < server.length() && server.charAt(close + 1) == ':') {
        port = Integer.parseInt(server.substring(close + 2));
      }
    } else if (colon > 0 && server.indexOf(':') == colon) {
      host = server.substring(0, colon);
      port = Integer.parseInt(server.substring(colon + 1));
    }
    InetAddress address =
        Arrays.stream(InetAddress.getAllByName(host))
            .filter(a -> (a instanceof Inet4Address) == (family == AddressFamily.IPV4))
            .findFirst()
            .orElseThrow(
                () -> new IOException(server + " has no " + family.wireName() + " address"));
    return new InetSocketAddress(address, port);
  }
}
