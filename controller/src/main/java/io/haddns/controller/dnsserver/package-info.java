/**
 * The embedded authoritative DNS server (Netty UDP and TCP, dnsjava messages) every node runs for
 * {@code provider: { type: embedded }} zones, answering from the replicated applied state through a
 * {@link io.haddns.controller.dnsserver.ZoneSource}.
 *
 * <p>It only reads: it never writes ZooKeeper, and it answers from published in-memory snapshots,
 * so no query waits on the network. It serves only records a leader wrote in one fenced transaction
 * (docs/architecture.md, "Components"). Metrics reach it through {@link
 * io.haddns.controller.dnsserver.DnsServerObserver}, so it depends on no metrics library.
 */
package io.haddns.controller.dnsserver;
