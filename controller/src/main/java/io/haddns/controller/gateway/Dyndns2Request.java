package io.haddns.controller.gateway;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A dyndns2 update as received ({@code GET /nic/update?hostname=…&myip=…}).
 *
 * @param authorization the {@code Authorization} header, if any
 * @param source the connection's peer address, used when {@code myip} is absent
 */
record Dyndns2Request(
    Optional<String> authorization,
    Optional<String> userAgent,
    Optional<String> hostname,
    Optional<String> myip,
    InetAddress source) {
  Dyndns2Request {
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(myip, "myip");
    Objects.requireNonNull(source, "source");
  }

  // Never print the Authorization header.
  @Override
  public String toString() {
    return "Dyndns2Request[hostname=" + hostname + ", myip=" + myip + ", source=" + source + "]";
  }
}
