package io.haddns.controller.config;

import java.util.List;
import java.util.Objects;

/**
 * A dyndns2 credential (routers, ddclient, inadyn): who may update which host names, and the line
 * whose address an update sets.
 *
 * @param hostnames canonical names of configured records, all of which use {@code line}
 * @param line a line with {@code address: { agent: <username> }}
 * @param allowPrivate whether its line also admits private addresses ({@code allowPrivate: true},
 *     docs/configuration.md)
 */
public record Dyndns2Config(
    String username,
    PasswordHash passwordHash,
    List<String> hostnames,
    String line,
    boolean allowPrivate) {
  public Dyndns2Config {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    hostnames = List.copyOf(hostnames);
    Objects.requireNonNull(line, "line");
  }

  /**
   * A credential whose line admits globally reachable addresses only (unless the line says more).
   */
  public Dyndns2Config(
      String username, PasswordHash passwordHash, List<String> hostnames, String line) {
    this(username, passwordHash, hostnames, line, false);
  }
}
