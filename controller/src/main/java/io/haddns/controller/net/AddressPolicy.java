package io.haddns.controller.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses may be a line's address: what the gateway accepts from a line's reporter, and
 * what the leader probes and publishes for it. An address's {@link AddressScope} comes from {@link
 * SpecialPurposeAddresses}; {@link AddressScope#UNUSABLE} addresses are refused by every policy.
 * docs/configuration.md ("Which addresses a line accepts") describes it for operators.
 */
public enum AddressPolicy {
  /** Globally reachable addresses only: the default. */
  PUBLIC_ONLY,
  /** Also the private ranges ({@code allowPrivate: true}): RFC 1918, CGNAT, ULA, labs. */
  ALLOW_PRIVATE;

  public static AddressPolicy of(boolean allowPrivate) {
    return allowPrivate ? ALLOW_PRIVATE : PUBLIC_ONLY;
  }

  /** This policy, widened to {@link #ALLOW_PRIVATE} when {@code allowPrivate}. */
  public AddressPolicy or(boolean allowPrivate) {
    return allowPrivate ? ALLOW_PRIVATE : this;
  }

  public boolean allowsPrivate() {
    return this == ALLOW_PRIVATE;
  }

  public boolean admits(InetAddress address) {
    return refusal(address).isEmpty();
  }

  /**
   * Why {@code address} may not be a line's address under this policy, naming its block (e.g.
   * {@code 10.1.2.3 is private-use (RFC 1918); allowed only with allowPrivate: true}); empty when
   * it may.
   */
  public Optional<String> refusal(InetAddress address) {
    Optional<SpecialPurposeBlock> block = SpecialPurposeAddresses.of(address);
    if (block.isEmpty()) {
      return Optional.empty();
    }
    SpecialPurposeBlock b = block.get();
    String what =
        IpLiteral.canonical(address) + " is " + b.name() + " (" + b.reference() + ", " + b.prefix();
    return switch (b.scope()) {
      case PUBLIC -> Optional.empty();
      case PRIVATE ->
          allowsPrivate()
              ? Optional.empty()
              : Optional.of(what + "), allowed only with allowPrivate: true");
      case UNUSABLE -> Optional.of(what + "), never a line's address");
    };
  }
}
