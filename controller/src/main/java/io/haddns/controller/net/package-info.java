/**
 * IP addresses as haddns judges them: strict literal parsing and canonical text (RFC 5952), CIDR
 * prefixes, the IANA special-purpose registries and the address policy that says which addresses
 * may be a line's.
 *
 * <p>Pure: no name lookup, no I/O.
 */
package io.haddns.controller.net;
