package io.haddns.controller.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** The address record types haddns manages. */
public enum RecordType {
  A(1),
  AAAA(28);

  private final int code;

  RecordType(int code) {
    this.code = code;
  }

  /** The RR type number (RFC 1035, RFC 3596). */
  public int code() {
    return code;
  }

  public boolean accepts(InetAddress address) {
    return switch (this) {
      case A -> address instanceof Inet4Address;
      case AAAA -> address instanceof Inet6Address;
    };
  }
}
