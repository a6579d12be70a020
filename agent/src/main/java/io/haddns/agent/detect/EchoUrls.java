package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import java.net.URI;
import java.util.List;

/**
 * The HTTPS echo services asked per address family. An IPv6 detection must only ask services that
 * answer over IPv6 (and the same for IPv4), or a dual-stack line could never reach a quorum on the
 * family the services lack.
 */
public record EchoUrls(List<URI> ipv4, List<URI> ipv6) {
  /**
   * Well-known public services, run by independent operators (ipify, icanhazip, ident.me, Amazon),
   * each asked on a host name that has only the family's address, and each answering with the bare
   * address as its body.
   */
  public static final EchoUrls DEFAULTS =
      new EchoUrls(
          List.of(
              URI.create("https://api.ipify.org"),
              URI.create("https://ipv4.icanhazip.com"),
              URI.create("https://v4.ident.me"),
              URI.create("https://checkip.amazonaws.com")),
          List.of(
              URI.create("https://api6.ipify.org"),
              URI.create("https://ipv6.icanhazip.com"),
              URI.create("https://v6.ident.me")));

  public EchoUrls {
    ipv4 = List.copyOf(ipv4);
    ipv6 = List.copyOf(ipv6);
  }

  /** The same services for both families (dual-stack services). */
  public static EchoUrls both(List<URI> urls) {
    return new EchoUrls(urls, urls);
  }

  public List<URI> of(AddressFamily family) {
    return switch (family) {
      case IPV4 -> ipv4;
      case IPV6 -> ipv6;
    };
  }
}
