package io.haddns.controller.node;

import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.store.LineAddressState;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The current addresses of a line: configured, or as last reported by its agent. */
final class LineAddresses {
  private LineAddresses() {}

  /**
   * @param reported the committed reports per line; a reported line with no report yet has none
   */
  static List<InetAddress> of(LineConfig line, Map<String, LineAddressState> reported) {
    return switch (line.address()) {
      case LineAddress.Static s -> s.addresses();
      case LineAddress.Agent a -> {
        LineAddressState state = reported.get(line.name());
        yield state == null ? List.of() : state.addresses();
      }
    };
  }

  /** Same addresses, in any order. */
  static boolean same(List<InetAddress> a, List<InetAddress> b) {
    return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
  }
}
