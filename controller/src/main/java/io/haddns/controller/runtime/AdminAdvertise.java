package io.haddns.controller.runtime;

import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.net.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code host:port} a node registers for its admin server, where operators' tools and the other
 * nodes reach it; followers watch it (an idle connection, then refused connects) to detect a
 * crashed leader (docs/architecture.md, "Fast takeover"): {@code node.http.advertise} (or {@code
 * HADDNS_HTTP_ADVERTISE}) when set; else the bound address when it is specific; else, for a
 * wildcard bind, this host's first global or site-local address (in a Kubernetes pod: the pod IP);
 * else the wildcard as bound, which other nodes never probe.
 */
final class AdminAdvertise {
  private AdminAdvertise() {}

  static String of(NodeConfig node, InetSocketAddress bound) {
    return of(node, bound, DnsAdvertise::interfaceAddresses);
  }

  static String of(
      NodeConfig node, InetSocketAddress bound, Supplier<List<InetAddress>> interfaceAddresses) {
    InetAddress host =
        node.httpAdvertise()
            .orElseGet(
                () -> {
                  InetAddress address = bound.getAddress();
                  if (address == null || !address.isAnyLocalAddress()) {
                    return address;
                  }
                  List<InetAddress> own = interfaceAddresses.get();
                  return own.isEmpty() ? address : own.getFirst();
                });
    if (host == null) {
      return bound.getHostString() + ":" + bound.getPort();
    }
    String literal = IpLiteral.canonical(host);
    return (literal.contains(":") ? "[" + literal + "]" : literal) + ":" + bound.getPort();
  }
}
