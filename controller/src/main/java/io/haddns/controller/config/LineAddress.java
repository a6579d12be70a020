package io.haddns.controller.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** Where a line's public addresses come from. */
public sealed interface LineAddress {

  /** Addresses fixed in the configuration. */
  record Static(List<InetAddress> addresses) implements LineAddress {
    public Static {
      addresses = List.copyOf(addresses);
    }
  }

  /** Addresses reported at run time by the agent with this id. */
  record Agent(String agentId) implements LineAddress {
    public Agent {
      Objects.requireNonNull(agentId, "agentId");
    }
  }
}
