package io.haddns.probe.engine;

/** One kind of probe configured for a line. */
public sealed interface ProbeSpec {

  /** Bounded label of this probe kind ({@code icmp}, {@code tcp}), for logs and metrics. */
  default String kind() {
    return switch (this) {
      case Icmp i -> "icmp";
      case Tcp t -> "tcp";
    };
  }

  /** Human-readable form for logs and transition reasons, e.g. {@code tcp/443}. */
  default String describe() {
    return switch (this) {
      case Icmp i -> "icmp";
      case Tcp t -> "tcp/" + t.port();
    };
  }

  /** ICMP echo to each of the line's addresses. */
  record Icmp() implements ProbeSpec {}

  /** TCP connect to {@code port} on each of the line's addresses. */
  record Tcp(int port) implements ProbeSpec {
    public Tcp {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
    }
  }
}
