package io.haddns.controller.config;

import java.util.List;
import java.util.Objects;

/**
 * A dyndns2 credential (routers, ddclient, inadyn): who may update which host names, and the line
 * whose address an update sets.
 *
 * @param hostnames canonical names of configured records, all of which use {@code line}
 * @param line a line with {@code address: { agent: <username> }}
 */
public record Dyndns2Config(
    String username, PasswordHash passwordHash, List<String> hostnames, String line) {
  public Dyndns2Config {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    hostnames = List.copyOf(hostnames);
    Objects.requireNonNull(line, "line");
  }
}
