package io.haddns.controller.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password of an HTTP Basic {@code Authorization} header (RFC 7617). The password
 * stays in a byte array, erased by {@link #erase()} once checked; never printed.
 */
final class Login {
  private final String username;
  private final byte[] password;

  private Login(String username, byte[] password) {
    this.username = username;
    this.password = password;
  }

  /** Empty unless {@code header} is {@code Basic <base64 of user:password>}. */
  static Optional<Login> of(Optional<String> header) {
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.get().substring(6).trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try {
      for (int i = 0; i < decoded.length; i++) {
        if (decoded[i] == ':') {
          return Optional.of(
              new Login(
                  new String(decoded, 0, i, StandardCharsets.UTF_8),
                  Arrays.copyOfRange(decoded, i + 1, decoded.length)));
        }
      }
      return Optional.empty();
    } finally {
      Arrays.fill(decoded, (byte) 0);
    }
  }

  String username() {
    return username;
  }

  byte[] password() {
    return password;
  }

  void erase() {
    Arrays.fill(password, (byte) 0);
  }

  @Override
  public String toString() {
    return "Login[" + username + "]";
  }
}
