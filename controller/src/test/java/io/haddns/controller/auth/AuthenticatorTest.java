package io.haddns.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.testing.SettableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ISSUER = "https://sso.example.com";
  private static final String AUDIENCE = "haddns-prod";

  private final SettableClock clock = new SettableClock(NOW);
  private final ECKey ecKey =
      generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec1").generate());
  private final RSAKey rsaKey = generate(() -> new RSAKeyGenerator(2048).keyID("rsa1").generate());
  private final KeyPair edPair = ed25519();
  private final OctetKeyPair edKey =
      new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawEd25519(edPair)))
          .keyID("ed1")
          .build();
  private final String aliceToken = OperatorTokens.generate("prod", new SecureRandom());
  private final String bobToken = OperatorTokens.generate("prod", new SecureRandom());

  private Authenticator authenticator(boolean withJwt) {
    OperatorsConfig config =
        new OperatorsConfig(
            List.of(
                new OperatorsConfig.Token(
                    "alice",
                    OperatorRole.OPERATOR,
                    OperatorTokens.sha256(aliceToken),
                    Optional.empty()),
                new OperatorsConfig.Token(
                    "bob", OperatorRole.VIEWER, OperatorTokens.sha256(bobToken), Optional.empty())),
            withJwt
                ? Optional.of(
                    new OperatorsConfig.Jwt(
                        ISSUER,
                        AUDIENCE,
                        new JWKSet(List.<JWK>of(ecKey.toPublicJWK(), rsaKey.toPublicJWK(), edKey)),
                        "haddns_role",
                        "sub",
                        Duration.ofSeconds(30)))
                : Optional.empty(),
            Optional.empty(),
            false,
            10);
    return new Authenticator("prod", config, clock);
  }

  private AuthOutcome bearer(Authenticator a, String value) {
    return a.authenticate(Optional.of("Bearer " + value), Optional.empty());
  }

  @Test
  void acceptsAConfiguredTokenWithItsNameAndRole() {
    AuthOutcome outcome = bearer(authenticator(false), aliceToken);

    assertThat(outcome)
        .isEqualTo(
            new AuthOutcome.Authenticated(
                new Principal("alice", OperatorRole.OPERATOR, "token", Optional.empty())));
    assertThat(bearer(authenticator(false), bobToken))
        .isInstanceOfSatisfying(
            AuthOutcome.Authenticated.class,
            a -> assertThat(a.principal().role()).isEqualTo(OperatorRole.VIEWER));
  }

  @Test
  void refusesAnUnknownTokenOfThisCluster() {
    String other = OperatorTokens.generate("prod", new SecureRandom());

    assertThat(bearer(authenticator(false), other))
        .isEqualTo(new AuthOutcome.Refused("unknown or revoked token"));
  }

  @Test
  void refusesATokenOfAnotherClusterNamingBothClusters() {
    String staging = OperatorTokens.generate("staging", new SecureRandom());

    assertThat(bearer(authenticator(false), staging))
        .isEqualTo(
            new AuthOutcome.Refused("token is for cluster 'staging', this is cluster 'prod'"));
  }

  @Test
  void refusesOtherSchemesAndNonTokensWithoutEchoingThem() {
    Authenticator a = authenticator(false);

    AuthOutcome basic = a.authenticate(Optional.of("Basic dXNlcjpwYXNz"), Optional.empty());
    AuthOutcome garbage = bearer(a, "s3cr3t-value");

    assertThat(basic).isInstanceOf(AuthOutcome.Refused.class);
    assertThat(((AuthOutcome.Refused) garbage).reason()).doesNotContain("s3cr3t");
  }

  @Test
  void treatsARequestWithoutCredentialsAsAnonymous() {
    assertThat(authenticator(false).authenticate(Optional.empty(), Optional.empty()))
        .isEqualTo(new AuthOutcome.Anonymous());
  }

  @Test
  void acceptsJwtsSignedWithEs256Rs256AndEdDsaTakingTheRoleFromTheClaim() throws Exception {
    Authenticator a = authenticator(true);

    String es =
        sign(
            JWSAlgorithm.ES256,
            "ec1",
            claims("ci-deploy", "operator", AUDIENCE, NOW.plusSeconds(300)));
    String rs =
        sign(
            JWSAlgorithm.RS256,
            "rsa1",
            claims("sso-carol", "admin", AUDIENCE, NOW.plusSeconds(300)));
    String ed =
        sign(
            JWSAlgorithm.EdDSA, "ed1", claims("ci-read", "viewer", AUDIENCE, NOW.plusSeconds(300)));

    assertThat(bearer(a, es))
        .isEqualTo(
            new AuthOutcome.Authenticated(
                new Principal("jwt:ci-deploy", OperatorRole.OPERATOR, "jwt", Optional.empty())));
    assertThat(bearer(a, rs))
        .isInstanceOfSatisfying(
            AuthOutcome.Authenticated.class,
            x -> assertThat(x.principal().role()).isEqualTo(OperatorRole.ADMIN));
    assertThat(bearer(a, ed))
        .isInstanceOfSatisfying(
            AuthOutcome.Authenticated.class,
            x -> assertThat(x.principal().name()).isEqualTo("jwt:ci-read"));
  }

  @Test
  void refusesAnExpiredJwtPastTheClockSkew() throws Exception {
    Authenticator a = authenticator(true);
    String jwt =
        sign(JWSAlgorithm.ES256, "ec1", claims("ci", "operator", AUDIENCE, NOW.plusSeconds(60)));
    assertThat(bearer(a, jwt)).isInstanceOf(AuthOutcome.Authenticated.class);

    clock.advance(Duration.ofSeconds(91));

    assertThat(bearer(a, jwt)).isEqualTo(new AuthOutcome.Refused("JWT expired", Optional.of("ci")));
  }

  @Test
  void refusesAJwtBeforeItsNotBeforeTime() throws Exception {
    JWTClaimsSet c =
        new JWTClaimsSet.Builder(claims("ci", "operator", AUDIENCE, NOW.plusSeconds(600)))
            .notBeforeTime(Date.from(NOW.plusSeconds(120)))
            .build();

    assertThat(bearer(authenticator(true), sign(JWSAlgorithm.ES256, "ec1", c)))
        .isEqualTo(new AuthOutcome.Refused("JWT not valid yet (nbf)", Optional.of("ci")));
  }

  @Test
  void refusesAJwtForAnotherAudienceOrIssuer() throws Exception {
    Authenticator a = authenticator(true);
    String otherAudience =
        sign(JWSAlgorithm.ES256, "ec1", claims("ci", "operator", "grafana", NOW.plusSeconds(60)));
    String otherIssuer =
        sign(
            JWSAlgorithm.ES256,
            "ec1",
            new JWTClaimsSet.Builder(claims("ci", "operator", AUDIENCE, NOW.plusSeconds(60)))
                .issuer("https://evil.example")
                .build());

    assertThat(bearer(a, otherAudience))
        .isEqualTo(new AuthOutcome.Refused("JWT for another audience", Optional.of("ci")));
    assertThat(bearer(a, otherIssuer))
        .isEqualTo(new AuthOutcome.Refused("JWT from another issuer", Optional.of("ci")));
  }

  @Test
  void refusesAJwtWithABadSignatureAnUnknownKeyOrNoRole() throws Exception {
    Authenticator a = authenticator(true);
    JWTClaimsSet good = claims("ci", "operator", AUDIENCE, NOW.plusSeconds(60));
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    SignedJWT forged =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec1").build(), good);
    forged.sign(new ECDSASigner(stranger));
    ECKey unknown = new ECKeyGenerator(Curve.P_256).keyID("ec9").generate();
    SignedJWT unknownKey =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec9").build(), good);
    unknownKey.sign(new ECDSASigner(unknown));
    JWTClaimsSet noRole = new JWTClaimsSet.Builder(good).claim("haddns_role", null).build();

    assertThat(bearer(a, forged.serialize()))
        .isEqualTo(new AuthOutcome.Refused("JWT signature invalid"));
    assertThat(bearer(a, unknownKey.serialize()))
        .isEqualTo(new AuthOutcome.Refused("JWT signed by a key not in the configured JWKS"));
    assertThat(bearer(a, sign(JWSAlgorithm.ES256, "ec1", noRole)))
        .isInstanceOfSatisfying(
            AuthOutcome.Refused.class,
            r -> assertThat(r.reason()).startsWith("JWT without a role"));
    assertThat(bearer(a, "eyJhbGciOiJub25lIn0.e30.x")).isInstanceOf(AuthOutcome.Refused.class);
  }

  @Test
  void refusesAnUnsignedJwt() {
    String none =
        Base64URL.encode("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + Base64URL.encode(
                ("{\"sub\":\"x\",\"haddns_role\":\"admin\",\"iss\":\""
                        + ISSUER
                        + "\",\"aud\":\""
                        + AUDIENCE
                        + "\",\"exp\":"
                        + NOW.plusSeconds(60).getEpochSecond()
                        + "}")
                    .getBytes(StandardCharsets.UTF_8))
            + ".";

    assertThat(bearer(authenticator(true), none)).isInstanceOf(AuthOutcome.Refused.class);
  }

  private static JWTClaimsSet claims(String sub, String role, String audience, Instant exp) {
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issuer(ISSUER)
        .audience(audience)
        .expirationTime(Date.from(exp))
        .claim("haddns_role", role)
        .build();
  }

  private String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
    JWSHeader header = new JWSHeader.Builder(alg).keyID(kid).build();
    if (alg.equals(JWSAlgorithm.EdDSA)) {
      // nimbus signs Ed25519 only with Google Tink; the JDK signs it here.
      JWSObject unsigned = new JWSObject(header, new Payload(claims.toJSONObject()));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(edPair.getPrivate());
      s.update(unsigned.getSigningInput());
      return unsigned.getHeader().toBase64URL()
          + "."
          + unsigned.getPayload().toBase64URL()
          + "."
          + Base64URL.encode(s.sign());
    }
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(alg.equals(JWSAlgorithm.ES256) ? new ECDSASigner(ecKey) : new RSASSASigner(rsaKey));
    return jwt.serialize();
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 32-byte public key from its X.509 encoding (a fixed 12-byte prefix). */
  private static byte[] rawEd25519(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }

  private interface KeySupplier<T> {
    T get() throws JOSEException;
  }

  private static <T> T generate(KeySupplier<T> s) {
    try {
      return s.get();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
