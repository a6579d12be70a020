package io.haddns.probe.engine;

import io.haddns.probe.ProbeResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One probe's outcome within a line's round: {@code latency} is the round-trip time for a success
 * and the time until the failure was known otherwise.
 */
public record ProbeOutcome(
    String line, ProbeSpec spec, InetAddress address, ProbeResult result, Duration latency) {

  public ProbeOutcome {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(latency, "latency");
  }

  /** E.g. {@code tcp/443 198.51.100.7 timeout}, for logs and transition reasons. */
  public String describe() {
    String what =
        switch (result) {
          case ProbeResult.Success s -> "ok";
          case ProbeResult.Failure f ->
              f.detail().isEmpty()
                  ? f.reason().label()
                  : f.reason().label() + " (" + f.detail() + ")";
          case ProbeResult.Fault f ->
              f.detail().isEmpty()
                  ? "prober fault " + f.kind().label()
                  : "prober fault " + f.kind().label() + " (" + f.detail() + ")";
        };
    return spec.describe() + " " + address.getHostAddress() + " " + what;
  }
}
