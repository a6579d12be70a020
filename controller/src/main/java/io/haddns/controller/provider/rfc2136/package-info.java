/**
 * The RFC 2136 backend (BIND, Knot, PowerDNS, Windows DNS): TSIG-signed UPDATEs over TCP, zone
 * listing by AXFR, and the fence record {@code _haddns-fence.<zone>} whose prerequisite makes a
 * stale leader's update fail (docs/architecture.md, "Fencing").
 *
 * <p>Message building and listing ({@link io.haddns.controller.provider.rfc2136.UpdateMessages},
 * {@link io.haddns.controller.provider.rfc2136.ZoneListing}) are pure; only the client does I/O. It
 * manages A and AAAA RRsets and the fence only, never another type, and the TSIG secret never
 * appears in logs or errors.
 */
package io.haddns.controller.provider.rfc2136;
