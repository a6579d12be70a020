package io.haddns.controller.gateway;

import io.haddns.controller.store.AddressFamily;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A parsed agent report (docs/agent-protocol.md), not yet verified.
 *
 * @param observedAt Unix time in milliseconds
 * @param signature the 64-byte Ed25519 signature
 */
record AgentReport(
    String agent,
    String line,
    AddressFamily family,
    List<InetAddress> addresses,
    long observedAt,
    long sequence,
    byte[] signature) {

  AgentReport {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(family, "family");
    addresses = List.copyOf(addresses);
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AgentReport r
        && agent.equals(r.agent)
        && line.equals(r.line)
        && family == r.family
        && addresses.equals(r.addresses)
        && observedAt == r.observedAt
        && sequence == r.sequence
        && Arrays.equals(signature, r.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(agent, line, family, addresses, observedAt, sequence);
  }

  // The signature is not secret, but it has no place in logs.
  @Override
  public String toString() {
    return "AgentReport[agent="
        + agent
        + ", line="
        + line
        + ", family="
        + family.label()
        + ", sequence="
        + sequence
        + "]";
  }
}
