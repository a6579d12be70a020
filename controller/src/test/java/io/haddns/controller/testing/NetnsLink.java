package io.haddns.controller.testing;

import io.haddns.probe.testing.NetnsHost;
import java.io.IOException;

/**
 * Brings a {@link NetnsHost}'s link back up after {@link NetnsHost#cutLink()}. The permanent
 * neighbour entry that the cut left behind holds the host's real MAC, so it does no harm.
 */
public final class NetnsLink {
  private NetnsLink() {}

  public static void restore(NetnsHost host) throws IOException {
    String ns = host.namespace();
    for (String line : NetnsHost.run("ip", "-n", ns, "-o", "link", "show").split("\n")) {
      // "2: hp123x1@if7: <BROADCAST,...> ..."
      String[] fields = line.split(":\\s+");
      if (fields.length < 2) {
        continue;
      }
      String name = fields[1].split("@")[0];
      if (!name.equals("lo")) {
        NetnsHost.run("ip", "-n", ns, "link", "set", name, "up");
      }
    }
  }
}
