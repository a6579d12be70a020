package io.haddns.probe.icmp;

/**
 * ICMP probing is not possible in this process: neither a ping socket nor a raw socket may be
 * opened. The message says which sysctl or capability would allow it.
 */
public final class IcmpUnavailableException extends RuntimeException {

  public IcmpUnavailableException(String message) {
    super(message);
  }
}
