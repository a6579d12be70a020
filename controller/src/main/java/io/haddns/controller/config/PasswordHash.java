package io.haddns.controller.config;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.util.Arrays;
import java.util.Objects;

/**
 * A bcrypt password hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, as written by {@code htpasswd
 * -B} or {@code haddns}'s tooling). Never printed: {@link #toString()} names only its source.
 */
public final class PasswordHash {
  private final byte[] hash;
  private final String source;
  private final int cost;

  /**
   * @throws IllegalArgumentException when {@code hash} is not a bcrypt hash (the message never
   *     contains the hash)
   */
  public PasswordHash(byte[] hash, String source) {
    this.hash = Objects.requireNonNull(hash, "hash").clone();
    this.source = Objects.requireNonNull(source, "source");
    try {
      this.cost = BCrypt.Version.VERSION_2A.parser.parse(this.hash).cost;
    } catch (at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException e) {
      throw new IllegalArgumentException("not a bcrypt hash", null);
    }
  }

  /** Whether {@code password} matches; takes the hash's cost in CPU time (tens of ms). */
  public boolean matches(byte[] password) {
    try {
      return BCrypt.verifyer().verify(password, hash).verified;
    } catch (IllegalArgumentException tooLong) {
      // bcrypt uses at most 72 bytes; a longer password cannot be the one that was hashed.
      return false;
    }
  }

  /** The bcrypt cost (log2 of the rounds), e.g. 10 for {@code $2y$10$…}. */
  public int cost() {
    return cost;
  }

  /**
   * A hash of a random password at {@code cost}: checking an unknown user's password against it
   * takes as long as checking a known user's, and never matches in practice.
   */
  public static PasswordHash dummy(int cost) {
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    return new PasswordHash(BCrypt.withDefaults().hash(cost, random), "dummy");
  }

  /** Where the hash was read from, e.g. {@code file /etc/haddns/router1.hash}; safe to log. */
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p && Arrays.equals(hash, p.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "PasswordHash[" + source + "]";
  }
}
