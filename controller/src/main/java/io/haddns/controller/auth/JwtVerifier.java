package io.haddns.controller.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies operator JWTs with nimbus-jose-jwt: a compact JWS signed with EdDSA (Ed25519), ES256 or
 * RS256 by a key of the configured JWK set, from the configured issuer, for the configured
 * audience, with {@code exp} in the future and {@code nbf} (if any) in the past, both within the
 * clock skew, on the injected clock. Ed25519 signatures are checked with the JDK's own Ed25519
 * (nimbus would need Google Tink for it). Reasons name the check that failed, never the token.
 */
final class JwtVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.ES256, JWSAlgorithm.RS256);
  private static final byte[] ED25519_X509_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final Pattern PRINTABLE_NAME = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private final OperatorsConfig.Jwt settings;
  private final InstantSource clock;

  JwtVerifier(OperatorsConfig.Jwt settings, InstantSource clock) {
    this.settings = settings;
    this.clock = clock;
  }

  AuthOutcome verify(String value) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(value);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new AuthOutcome.Refused("malformed JWT");
    }
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      return new AuthOutcome.Refused(
          "JWT algorithm not accepted (EdDSA, ES256 and RS256 are)", Optional.empty());
    }
    List<JWK> keys = new JWKSelector(JWKMatcher.forJWSHeader(header)).select(settings.keys());
    if (keys.isEmpty()) {
      return new AuthOutcome.Refused("JWT signed by a key not in the configured JWKS");
    }
    boolean valid = false;
    for (JWK key : keys) {
      if (signatureValid(jwt, key)) {
        valid = true;
        break;
      }
    }
    if (!valid) {
      return new AuthOutcome.Refused("JWT signature invalid");
    }
    Optional<String> name = stringClaim(claims, settings.nameClaim()).filter(this::printable);
    Instant now = clock.instant();
    if (!settings.issuer().equals(claims.getIssuer())) {
      return new AuthOutcome.Refused("JWT from another issuer", name);
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(settings.audience())) {
      return new AuthOutcome.Refused("JWT for another audience", name);
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return new AuthOutcome.Refused("JWT without exp", name);
    }
    if (!now.isBefore(exp.toInstant().plus(settings.clockSkew()))) {
      return new AuthOutcome.Refused("JWT expired", name);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(settings.clockSkew()))) {
      return new AuthOutcome.Refused("JWT not valid yet (nbf)", name);
    }
    if (name.isEmpty()) {
      return new AuthOutcome.Refused("JWT without claim " + settings.nameClaim());
    }
    Optional<OperatorRole> role =
        stringClaim(claims, settings.roleClaim()).flatMap(OperatorRole::parse);
    if (role.isEmpty()) {
      return new AuthOutcome.Refused(
          "JWT without a role (claim " + settings.roleClaim() + ": viewer, operator or admin)",
          name);
    }
    return new AuthOutcome.Authenticated(
        new Principal("jwt:" + name.get(), role.get(), "jwt", Optional.empty()));
  }

  private boolean printable(String name) {
    return PRINTABLE_NAME.matcher(name).matches();
  }

  private static Optional<String> stringClaim(JWTClaimsSet claims, String claim) {
    try {
      return Optional.ofNullable(claims.getStringClaim(claim));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  private static boolean signatureValid(SignedJWT jwt, JWK key) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    try {
      if (alg.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec) {
        return jwt.verify(new ECDSAVerifier(ec));
      }
      if (alg.equals(JWSAlgorithm.RS256) && key instanceof RSAKey rsa) {
        return jwt.verify(new RSASSAVerifier(rsa));
      }
      if ((alg.equals(JWSAlgorithm.EdDSA) || alg.equals(JWSAlgorithm.Ed25519))
          && key instanceof OctetKeyPair okp
          && Curve.Ed25519.equals(okp.getCurve())) {
        return ed25519(jwt, okp);
      }
    } catch (JOSEException | GeneralSecurityException | IllegalStateException e) {
      return false;
    }
    return false;
  }

  private static boolean ed25519(SignedJWT jwt, OctetKeyPair key) throws GeneralSecurityException {
    byte[] x = key.getDecodedX();
    byte[] encoded = new byte[ED25519_X509_PREFIX.length + x.length];
    System.arraycopy(ED25519_X509_PREFIX, 0, encoded, 0, ED25519_X509_PREFIX.length);
    System.arraycopy(x, 0, encoded, ED25519_X509_PREFIX.length, x.length);
    PublicKey publicKey =
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    verifier.update(jwt.getSigningInput());
    return verifier.verify(jwt.getSignature().decode());
  }
}
