package io.haddns.controller.dnsserver;

/** How a query reached the embedded server. */
public enum Transport {
  UDP,
  TCP
}
