package io.haddns.controller.store;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A line address report to commit.
 *
 * @param sequence the reporter's own sequence number (agents sign one); empty when the reporter has
 *     none (dyndns2) and the store assigns the reporter's last committed sequence plus one
 */
public record AddressSubmission(
    String line,
    AddressFamily family,
    List<InetAddress> addresses,
    Instant observedAt,
    OptionalLong sequence,
    String agent,
    String receivedBy) {

  public AddressSubmission {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(family, "family");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(sequence, "sequence");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(receivedBy, "receivedBy");
  }
}
