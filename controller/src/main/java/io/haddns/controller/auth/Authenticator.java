package io.haddns.controller.auth;

import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Turns a request's credentials into a {@link Principal}: a bearer token (an operator token or,
 * when an issuer is configured, a JWT) from the {@code Authorization} header, else a client
 * certificate whose subject CN or DNS SAN is mapped to a role. A header that is present but not
 * valid is refused even when a certificate would do, so a bad token never passes unnoticed.
 * Thread-safe; never blocks.
 */
public final class Authenticator {
  private static final String BEARER = "bearer ";
  private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final String cluster;
  private final OperatorsConfig config;
  private final Map<String, OperatorsConfig.Token> bySha256 = new HashMap<>();
  private final Optional<JwtVerifier> jwt;

  public Authenticator(String cluster, OperatorsConfig config, InstantSource clock) {
    this.cluster = cluster;
    this.config = config;
    config.tokens().forEach(t -> bySha256.put(t.sha256(), t));
    this.jwt = config.jwt().map(j -> new JwtVerifier(j, clock));
  }

  /** The cluster whose tokens this accepts. */
  public String cluster() {
    return cluster;
  }

  /** Whether any operator credential is configured: then everything under /api/ needs one. */
  public boolean enforcing() {
    return config.anyCredential();
  }

  public AuthOutcome authenticate(Optional<String> authorization, Optional<X509Certificate> peer) {
    if (authorization.isPresent()) {
      return bearer(authorization.get());
    }
    return peer.flatMap(this::certificate)
        .<AuthOutcome>map(AuthOutcome.Authenticated::new)
        .orElse(new AuthOutcome.Anonymous());
  }

  private AuthOutcome bearer(String header) {
    String h = header.strip();
    if (h.length() < BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return new AuthOutcome.Refused("unsupported authorization scheme; use 'Bearer <token>'");
    }
    String value = h.substring(BEARER.length()).strip();
    if (OperatorTokens.looksLikeToken(value)) {
      return token(value);
    }
    if (jwt.isPresent() && value.chars().filter(c -> c == '.').count() == 2) {
      return jwt.get().verify(value);
    }
    return new AuthOutcome.Refused(
        jwt.isPresent()
            ? "neither a haddns token nor a JWT"
            : "not a haddns token (haddns_<cluster>.<secret>); JWTs are not configured");
  }

  private AuthOutcome token(String value) {
    Optional<String> tokenCluster = OperatorTokens.cluster(value);
    if (tokenCluster.isEmpty()) {
      return new AuthOutcome.Refused("malformed haddns token");
    }
    if (!tokenCluster.get().equals(cluster)) {
      String other =
          CLUSTER_NAME.matcher(tokenCluster.get()).matches()
              ? "'" + tokenCluster.get() + "'"
              : "another cluster";
      return new AuthOutcome.Refused(
          "token is for cluster " + other + ", this is cluster '" + cluster + "'");
    }
    OperatorsConfig.Token t = bySha256.get(OperatorTokens.sha256(value));
    if (t == null) {
      return new AuthOutcome.Refused("unknown or revoked token");
    }
    return new AuthOutcome.Authenticated(new Principal(t.name(), t.role(), "token", t.scope()));
  }

  private Optional<Principal> certificate(X509Certificate cert) {
    Map<String, OperatorRole> clients =
        config.tls().map(OperatorsConfig.Tls::clients).orElse(Map.of());
    for (String subject : subjects(cert)) {
      OperatorRole role = clients.get(subject);
      if (role != null) {
        return Optional.of(new Principal("cert:" + subject, role, "certificate", Optional.empty()));
      }
    }
    return Optional.empty();
  }

  /** The certificate's subject CNs and DNS subject alternative names. */
  static List<String> subjects(X509Certificate cert) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          out.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // No CN to offer; SANs may still match.
    }
    try {
      var sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2 && Integer.valueOf(2).equals(san.get(0))) {
            out.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // Unreadable SANs: only the CN counts.
    }
    return out;
  }
}
