package io.haddns.controller.net;

/** Whether an address may be a line's address, by the special-purpose block it lies in. */
public enum AddressScope {
  /** Globally reachable: always admitted. */
  PUBLIC,
  /**
   * Not globally reachable, but a unicast address a private network or a lab routes to a host:
   * admitted only where {@code allowPrivate: true} says so.
   */
  PRIVATE,
  /**
   * Never a line's address: unspecified, loopback, link-local, multicast, broadcast, reserved,
   * discard-only, or a protocol's own address that no host is reached at.
   */
  UNUSABLE
}
