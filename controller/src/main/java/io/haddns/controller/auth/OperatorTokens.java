package io.haddns.controller.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Operator bearer tokens: {@code haddns_<cluster>.<secret>}, the secret 32 random bytes in
 * base64url (43 characters). The prefix makes a leaked token recognisable (secret scanners, logs);
 * the cluster name binds it to one cluster, so a token of another cluster is refused by name. Only
 * the SHA-256 of the whole token is configured: a salted slow hash (bcrypt) protects guessable
 * passwords, but 256 random bits cannot be guessed at any hashing speed, and a fast unsalted hash
 * lets the node find a token by its hash in one lookup without per-request CPU an attacker could
 * exhaust.
 */
public final class OperatorTokens {
  public static final String PREFIX = "haddns_";
  private static final int SECRET_BYTES = 32;
  private static final int SECRET_CHARS = 43;

  private OperatorTokens() {}

  /** A new token for {@code cluster}. */
  public static String generate(String cluster, SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return PREFIX + cluster + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Lowercase hex SHA-256 of the token's UTF-8 bytes: what the configuration holds. */
  public static String sha256(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Whether {@code value} has the shape of an operator token (of any cluster). */
  public static boolean looksLikeToken(String value) {
    return value.startsWith(PREFIX) && value.lastIndexOf('.') > PREFIX.length();
  }

  /**
   * The cluster a token names, when it has the token's shape ({@code haddns_<cluster>.<43 chars>});
   * empty otherwise.
   */
  public static Optional<String> cluster(String token) {
    int dot = token.lastIndexOf('.');
    if (!token.startsWith(PREFIX) || dot <= PREFIX.length()) {
      return Optional.empty();
    }
    if (token.length() - dot - 1 != SECRET_CHARS) {
      return Optional.empty();
    }
    return Optional.of(token.substring(PREFIX.length(), dot));
  }
}
