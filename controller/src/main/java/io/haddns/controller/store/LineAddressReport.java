package io.haddns.controller.store;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One family's committed addresses of a line, as set by the report that last changed them (or by
 * another reporter's report of the same addresses). Later reports by the same reporter that only
 * confirm them advance the reporter's sequence in {@code agents/<id>}, not these fields.
 *
 * @param observedAt when the reporter observed the addresses (its clock)
 * @param sequence the reporter's sequence number of this report (for dyndns2 credentials, assigned
 *     by the store)
 * @param agent the reporter: an agent id or a dyndns2 user name
 * @param receivedBy the node that received and committed the report
 * @param committedAt when that node committed it (its clock)
 */
public record LineAddressReport(
    String line,
    AddressFamily family,
    List<InetAddress> addresses,
    Instant observedAt,
    long sequence,
    String agent,
    String receivedBy,
    Instant committedAt) {

  public LineAddressReport {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(family, "family");
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a report holds at least one address");
    }
    for (InetAddress a : addresses) {
      if (!family.accepts(a)) {
        throw new IllegalArgumentException(a.getHostAddress() + " is not " + family.label());
      }
    }
    Objects.requireNonNull(observedAt, "observedAt");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be at least 1, was " + sequence);
    }
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(receivedBy, "receivedBy");
    Objects.requireNonNull(committedAt, "committedAt");
  }
}
