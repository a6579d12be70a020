package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Where a line's detection traffic leaves from on a multi-WAN host: fixed source addresses ({@link
 * SourceAddresses}) or the current address of a named interface ({@link InterfaceSource}). Binding
 * a socket to the address makes the host's policy routing send it over that line, so each line
 * learns its own public address.
 *
 * <p>Contract: {@link #localAddress} is called before each connection (an interface's address may
 * change between rounds), is thread-safe, does not block on the network, and fails with an {@link
 * IOException} naming the problem when the line's source cannot be used — never falls back to an
 * unbound socket, which would detect another line's address.
 */
public sealed interface SourceBinding permits SourceAddresses, InterfaceSource {

  /**
   * The local address to bind for traffic of {@code family}, or empty to let the host choose (no
   * binding configured for that family).
   *
   * @throws IOException if a binding is configured but cannot be used now (interface absent, down
   *     or without an address of {@code family})
   */
  Optional<InetAddress> localAddress(AddressFamily family) throws IOException;
}
