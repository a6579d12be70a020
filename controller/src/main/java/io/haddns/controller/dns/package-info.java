/**
 * DNS value types shared by the whole controller: canonical names, record keys, record types and
 * RRsets.
 *
 * <p>Pure values: no I/O, no dependency on any other haddns package, so every package may use them.
 */
package io.haddns.controller.dns;
