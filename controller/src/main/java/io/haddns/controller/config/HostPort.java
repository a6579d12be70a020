package io.haddns.controller.config;

import io.haddns.controller.net.IpLiteral;
import java.net.Inet6Address;

/**
 * A server address as written in the configuration: {@code host}, {@code host:port}, {@code
 * [v6]:port} or a bare IPv6 literal. The host is a host name or an IP literal, never resolved here.
 */
record HostPort(String host, int port) {

  /**
   * Parses {@code text}, using {@code defaultPort} when it names no port.
   *
   * @throws IllegalArgumentException with the reason when it is malformed
   */
  static HostPort parse(String text, int defaultPort) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("is empty; expected host or host:port");
    }
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("has '[' without ']'");
      }
      String host = t.substring(1, close);
      if (!(IpLiteral.parse(host).orElse(null) instanceof Inet6Address)) {
        throw new IllegalArgumentException("'" + host + "' in brackets is not an IPv6 address");
      }
      String rest = t.substring(close + 1);
      if (rest.isEmpty()) {
        return new HostPort(host, defaultPort);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':port' after ']'");
      }
      return new HostPort(host, port(rest.substring(1)));
    }
    int colons = (int) t.chars().filter(c -> c == ':').count();
    if (colons > 1) {
      if (IpLiteral.parse(t).isPresent()) {
        return new HostPort(t, defaultPort);
      }
      throw new IllegalArgumentException(
          "is not a valid IPv6 address; write [address]:port to give a port");
    }
    String host = colons == 1 ? t.substring(0, t.indexOf(':')) : t;
    if (IpLiteral.parse(host).isEmpty() && !DnsNameSyntax.isHostName(host)) {
      throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a host name");
    }
    return new HostPort(host, colons == 1 ? port(t.substring(t.indexOf(':') + 1)) : defaultPort);
  }

  private static int port(String text) {
    if (!text.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("port '" + text + "' is not a number");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
    }
    return port;
  }
}
