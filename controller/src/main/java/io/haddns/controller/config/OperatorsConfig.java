package io.haddns.controller.config;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code operators} section: who may use the admin API and with which role. See
 * docs/configuration.md and docs/security.md ("Operator access").
 *
 * @param tokens named bearer tokens, each stored as the SHA-256 of the token
 * @param jwt JWTs from one issuer, verified against a JWKS file
 * @param tls TLS on the admin port, optionally with client certificates mapped to roles
 * @param metricsRequireToken whether {@code /metrics} needs a credential too
 * @param maxFailuresPerMinute failed authentications one source may have per minute before it is
 *     answered 429 without a check
 */
public record OperatorsConfig(
    List<Token> tokens,
    Optional<Jwt> jwt,
    Optional<Tls> tls,
    boolean metricsRequireToken,
    int maxFailuresPerMinute) {
  public static final int DEFAULT_MAX_FAILURES_PER_MINUTE = 10;

  public OperatorsConfig {
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(tls, "tls");
  }

  /** No operator credentials: reads open, mutations refused. */
  public static OperatorsConfig none() {
    return new OperatorsConfig(
        List.of(), Optional.empty(), Optional.empty(), false, DEFAULT_MAX_FAILURES_PER_MINUTE);
  }

  /** Whether any operator credential (token, JWT issuer, client certificate rule) is configured. */
  public boolean anyCredential() {
    return !tokens.isEmpty()
        || jwt.isPresent()
        || tls.map(t -> !t.clients().isEmpty()).orElse(false);
  }

  /**
   * A named token: {@code sha256} is the lowercase hex SHA-256 of the whole token ({@code
   * haddns_<cluster>.<secret>}), never the token itself.
   *
   * @param scope the line and host names the token may set with {@code POST /api/v1/update}
   */
  public record Token(String name, OperatorRole role, String sha256, Optional<UpdateScope> scope) {
    public Token {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /** A line whose address a token may set, and the host names it may name doing so. */
  public record UpdateScope(String line, Set<String> hostnames) {
    public UpdateScope {
      Objects.requireNonNull(line, "line");
      hostnames = Set.copyOf(hostnames);
    }
  }

  /**
   * JWTs (EdDSA, ES256, RS256) from {@code issuer} for {@code audience}, signed by a key of {@code
   * keys}; the role is the string claim {@code roleClaim}, the credential's name the claim {@code
   * nameClaim}.
   *
   * @param clockSkew how far {@code exp} and {@code nbf} may be off
   */
  public record Jwt(
      String issuer,
      String audience,
      JWKSet keys,
      String roleClaim,
      String nameClaim,
      Duration clockSkew) {
    public static final String DEFAULT_ROLE_CLAIM = "haddns_role";
    public static final String DEFAULT_NAME_CLAIM = "sub";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    public Jwt {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(audience, "audience");
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(roleClaim, "roleClaim");
      Objects.requireNonNull(nameClaim, "nameClaim");
      Objects.requireNonNull(clockSkew, "clockSkew");
    }
  }

  /**
   * TLS on the admin port: PEM certificate chain and PKCS#8 key (as {@code node.gateway.tls}); with
   * {@code clientCaFile} every client must present a certificate that CA signed, and {@code
   * clients} maps a certificate's subject CN or DNS SAN to a role.
   */
  public record Tls(
      Path certificateFile,
      Path keyFile,
      Optional<Path> clientCaFile,
      Map<String, OperatorRole> clients) {
    public Tls {
      Objects.requireNonNull(certificateFile, "certificateFile");
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(clientCaFile, "clientCaFile");
      clients = Map.copyOf(clients);
    }
  }
}
