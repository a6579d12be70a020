package io.haddns.controller.config;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * An agent allowed to report line addresses to the gateway.
 *
 * @param publicKey its Ed25519 public key (RFC 8410), read from {@code publicKeyFile}
 * @param publicKeyFile where the key was read from, for messages
 * @param lines the lines it may report; each has {@code address: { agent: <id> }}
 * @param allowPrivate whether its lines also admit private addresses ({@code allowPrivate: true},
 *     docs/configuration.md)
 */
public record AgentConfig(
    String id,
    PublicKey publicKey,
    String publicKeyFile,
    List<String> lines,
    boolean allowPrivate) {
  public AgentConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(publicKeyFile, "publicKeyFile");
    lines = List.copyOf(lines);
  }

  /** An agent whose lines admit globally reachable addresses only (unless a line says more). */
  public AgentConfig(String id, PublicKey publicKey, String publicKeyFile, List<String> lines) {
    this(id, publicKey, publicKeyFile, lines, false);
  }
}
