package io.haddns.controller.node;

import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import java.net.InetAddress;
import java.util.List;

/** The current addresses of a line. */
final class LineAddresses {
  private LineAddresses() {}

  static List<InetAddress> of(LineConfig line) {
    return switch (line.address()) {
      case LineAddress.Static s -> s.addresses();
      // Agent-reported addresses arrive with the gateway; until one is reported the line has none.
      case LineAddress.Agent a -> List.of();
    };
  }
}
