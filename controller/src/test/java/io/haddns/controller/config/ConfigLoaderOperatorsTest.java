package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code operators} section. */
class ConfigLoaderOperatorsTest {
  private static final String HASH = "a".repeat(64);

  private static final String YAML =
      """
      cluster:
        name: prod
      lines:
        - name: home
          address: { agent: ci-home }
          probes: [ { tcp: { port: 443 } } ]
        - name: unicom
          address: { static: [198.51.100.7] }
          probes: [ { tcp: { port: 443 } } ]
      zones:
        - name: example.com
          provider: { type: embedded }
      records:
        - { name: home.example.com, lines: [home] }
        - { name: app.example.com, lines: [unicom] }
      operators:
        tokens:
          - { name: alice, role: operator, sha256: HASH }
          - { name: ci-home, role: viewer, sha256: OTHER, scope: { line: home, hostnames: [Home.Example.com.] } }
        jwt: { issuer: "https://sso.example.com", audience: haddns-prod, jwksFile: jwks.json }
        metricsRequireToken: true
        failures: { perSourcePerMinute: 5 }
      node:
        id: node-1
      """
          .replace("OTHER", "b".repeat(64))
          .replace("HASH", HASH);

  @TempDir Path dir;

  @BeforeEach
  void writeJwks() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
    Files.writeString(dir.resolve("private.json"), new JWKSet(key).toString(false));
  }

  private HaddnsConfig parse(String yaml) throws ConfigException {
    return ConfigTesting.loader(Map.of()).parse(yaml, "test.yaml", dir);
  }

  private String problems(String from, String to) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> parse(YAML.replace(from, to)));
    assertThat(e).as("no problem for %s", to).isNotNull();
    return e.problems().toString();
  }

  @Test
  void readsTokensWithRolesAndScopesAJwtIssuerAndTheAccessSettings() throws Exception {
    OperatorsConfig ops = parse(YAML).operators();

    assertThat(ops.tokens())
        .containsExactly(
            new OperatorsConfig.Token("alice", OperatorRole.OPERATOR, HASH, Optional.empty()),
            new OperatorsConfig.Token(
                "ci-home",
                OperatorRole.VIEWER,
                "b".repeat(64),
                Optional.of(new OperatorsConfig.UpdateScope("home", Set.of("home.example.com")))));
    assertThat(ops.jwt().orElseThrow().audience()).isEqualTo("haddns-prod");
    assertThat(ops.jwt().orElseThrow().roleClaim()).isEqualTo("haddns_role");
    assertThat(ops.jwt().orElseThrow().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ops.metricsRequireToken()).isTrue();
    assertThat(ops.maxFailuresPerMinute()).isEqualTo(5);
    assertThat(ops.anyCredential()).isTrue();
  }

  @Test
  void hasNoOperatorCredentialsWithoutTheSection() throws Exception {
    String without = YAML.substring(0, YAML.indexOf("operators:")) + "node:\n  id: node-1\n";

    assertThat(parse(without).operators()).isEqualTo(OperatorsConfig.none());
  }

  @Test
  void refusesAnInlineTokenWithoutEchoingIt() {
    String p =
        problems(
            "{ name: alice, role: operator, sha256: " + HASH + " }",
            "{ name: alice, role: operator, token: haddns_prod.secretsecret }");

    assertThat(p)
        .contains("a token is never written in the configuration")
        .doesNotContain("secretsecret");
  }

  @Test
  void refusesABadHashAnUnknownRoleAndADuplicateName() {
    assertThat(problems("sha256: " + HASH, "sha256: abc123")).contains("64 lowercase hex digits");
    assertThat(problems("role: operator", "role: root")).contains("viewer, operator, admin");
    assertThat(problems("name: alice", "name: ci-home")).contains("name used twice");
  }

  @Test
  void refusesAScopeOnALineTheTokenDoesNotReportOrAHostnameOfAnotherLine() {
    assertThat(problems("line: home, hostnames", "line: unicom, hostnames"))
        .contains("operators.tokens[1].scope.line");
    assertThat(problems("[Home.Example.com.]", "[app.example.com]"))
        .contains("is not a configured record of line 'home'");
  }

  @Test
  void refusesAJwksFileWithAPrivateKey() {
    assertThat(problems("jwksFile: jwks.json", "jwksFile: private.json"))
        .contains("holds a private key");
  }

  @Test
  void readsFurtherTokensFromATokensFileAndRefusesANameUsedInBoth() throws Exception {
    Files.writeString(
        dir.resolve("tokens.yaml"),
        "- { name: carol, role: admin, sha256: \"" + "c".repeat(64) + "\" }\n");
    String withFile = YAML.replace("  tokens:\n", "  tokensFile: tokens.yaml\n  tokens:\n");

    OperatorsConfig ops = parse(withFile).operators();

    assertThat(ops.tokens())
        .extracting(OperatorsConfig.Token::name)
        .containsExactly("alice", "ci-home", "carol");
    Files.writeString(
        dir.resolve("tokens.yaml"),
        "- { name: alice, role: admin, sha256: \"" + "c".repeat(64) + "\" }\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(withFile));
    assertThat(e.problems().toString()).contains("tokens.yaml").contains("name used twice");
  }
}
