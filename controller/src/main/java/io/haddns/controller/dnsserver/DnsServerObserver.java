package io.haddns.controller.dnsserver;

/**
 * Hook for metrics on the embedded server, so the server itself stays free of any metrics library.
 *
 * <p>Called on the server's event-loop threads, possibly concurrently: implementations must be
 * thread-safe, must not block and must not throw.
 */
public interface DnsServerObserver {

  DnsServerObserver NOOP = (rcode, transport) -> {};

  /**
   * A response was sent.
   *
   * @param rcode the full response code, including EDNS extended bits (e.g. {@code
   *     org.xbill.DNS.Rcode.NXDOMAIN}; see {@code Rcode.string(int)} for a label)
   */
  void answered(int rcode, Transport transport);

  /** A packet got no response: unparseable, a response rather than a query, or a broken frame. */
  default void dropped(Transport transport) {}
}
