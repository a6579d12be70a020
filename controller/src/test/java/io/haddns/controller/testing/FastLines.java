package io.haddns.controller.testing;

/**
 * The {@code lines:} section most cluster tests and benchmarks share: lines {@code a} and {@code b}
 * with one static address each, one TCP probe, every 100 ms with an 80 ms timeout, fall 3, rise 2.
 */
public final class FastLines {
  private FastLines() {}

  /** The section, unindented, ending in a newline; for a config whose top level is unindented. */
  public static String yaml(String addressA, int portA, String addressB, int portB) {
    return """
        lines:
        %s%s"""
        .formatted(line("a", addressA, portA), line("b", addressB, portB));
  }

  private static String line(String name, String address, int port) {
    return """
          - name: %s
            address: { static: [%s] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
            fall: 3
            rise: 2
        """
        .formatted(name, address, port);
  }
}
