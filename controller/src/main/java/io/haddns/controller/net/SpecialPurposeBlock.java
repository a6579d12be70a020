package io.haddns.controller.net;

import java.util.Objects;

/**
 * One entry of the IANA IPv4 or IPv6 Special-Purpose Address Registry (RFC 6890), or one of the
 * other blocks that can never be a host's unicast address (multicast, unallocated IPv6 space).
 *
 * @param name the registry's name for it, e.g. {@code Private-Use}
 * @param reference the defining document, e.g. {@code RFC 1918}
 * @param scope what the address policy makes of an address inside it
 */
public record SpecialPurposeBlock(
    IpPrefix prefix, String name, String reference, AddressScope scope) {
  public SpecialPurposeBlock {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(scope, "scope");
  }
}
