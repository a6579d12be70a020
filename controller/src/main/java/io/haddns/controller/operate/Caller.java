package io.haddns.controller.operate;

import java.util.Objects;

/**
 * Who makes an operator call, as recorded in intents and the audit trail.
 *
 * @param name the credential's name (never its secret)
 * @param source the caller's address, as the admin server saw it
 */
public record Caller(String name, String source) {
  public Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
  }
}
