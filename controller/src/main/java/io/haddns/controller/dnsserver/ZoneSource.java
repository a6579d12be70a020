package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * Where the embedded server's answers come from: the A and AAAA record sets of each served zone,
 * its serial, and the nodes that serve it.
 *
 * <p>Contract: {@link #records(String)}, {@link #serial(String)} and {@link #nameServerAddresses()}
 * read memory only (never blocks on the network) and may be called from any thread; the server
 * calls it only after start and after each change signal, never per query. Listeners registered
 * with {@link #subscribe(Runnable)} are run after the data of any zone may have changed, on a
 * thread of the source's choosing; signals may be coalesced, but a change must be followed by at
 * least one signal that comes after the change is visible through {@link #records(String)}. A
 * listener must return quickly and must not throw.
 */
public interface ZoneSource {

  /**
   * The record sets of {@code zone} (canonical name), keyed by owner and type. Record sets whose
   * owner lies outside the zone, or that are empty, are ignored by the server.
   */
  Map<RecordKey, RecordSet> records(String zone);

  /**
   * The zone's SOA serial, taken from the replicated state so that every node serves the same
   * serial for the same data and it never decreases, across restarts and failovers too. It advances
   * (RFC 1982 arithmetic) with every change of the zone's records and of {@link
   * #nameServerAddresses()}.
   */
  long serial(String zone);

  /**
   * The addresses of the cluster's live nodes that serve DNS, one list per node, in the same order
   * on every node; empty when none is known. Zones without configured name servers publish these as
   * {@code ns1.<zone>}, {@code ns2.<zone>}, … with glue.
   */
  List<List<InetAddress>> nameServerAddresses();

  /** Runs {@code onChange} after every change of the data. */
  void subscribe(Runnable onChange);
}
