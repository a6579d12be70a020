package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.store.AddressFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalFormTest {
  private final ReportParser parser = new ReportParser();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "0:0:0:0:0:0:0:1, ::1",
    "2001:db8::, 2001:db8::",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "198.51.100.7, 198.51.100.7"
  })
  void writesRfc5952Literals(String written, String canonical) {
    assertThat(IpLiterals.canonical(IpLiterals.parse(written).orElseThrow())).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"198.51.100.07", "1.2.3", "example.com", "fe80::1%eth0", "::ffff:1.2.3.4", "''"})
  void refusesWhatIsNotAStrictLiteral(String written) {
    assertThat(IpLiterals.parse(written)).isEmpty();
  }

  @Test
  void sortsAddressesByNetworkOrderBytes() throws ReportRejected {
    TestAgent agent = new TestAgent("office-gw", 1);
    AgentReport r =
        parser.parse(
            agent
                .body(
                    "telecom",
                    "ipv4",
                    List.of("203.0.113.9", "198.51.100.10", "198.51.100.9"),
                    1795320000123L,
                    42)
                .getBytes(StandardCharsets.UTF_8));

    assertThat(CanonicalForm.text(r))
        .isEqualTo(
            "haddns-report-v1\noffice-gw\ntelecom\nipv4\n"
                + "198.51.100.9,198.51.100.10,203.0.113.9\n1795320000123\n42\n");
  }

  @Test
  void verifiesOwnSignatureAndRejectsAnyChange() throws ReportRejected {
    TestAgent agent = new TestAgent("office-gw", 1);
    String body = agent.body("telecom", "ipv6", List.of("2001:DB8::7"), 1795320000123L, 42);
    AgentReport r = parser.parse(body.getBytes(StandardCharsets.UTF_8));

    assertThat(SignatureCheck.verifies(r, agent.keys.getPublic())).isTrue();
    AgentReport changed =
        new AgentReport(
            r.agent(),
            r.line(),
            r.family(),
            r.addresses(),
            r.observedAt(),
            r.sequence() + 1,
            r.signature());
    assertThat(SignatureCheck.verifies(changed, agent.keys.getPublic())).isFalse();
    assertThat(SignatureCheck.verifies(r, new TestAgent("other", 2).keys.getPublic())).isFalse();
  }

  @Test
  void ownVectorIsStable() throws ReportRejected {
    TestAgent agent = new TestAgent("office-gw", 7);
    AgentReport r =
        parser.parse(
            agent
                .body("telecom", "ipv4", List.of("198.51.100.7"), 1795320000123L, 42)
                .getBytes(StandardCharsets.UTF_8));
    // Ed25519 is deterministic: the same key and message always give the same signature.
    assertThat(r.family()).isEqualTo(AddressFamily.IPV4);
    assertThat(Base64.getEncoder().encodeToString(r.signature()))
        .isEqualTo(agent.sign(CanonicalForm.text(r)));
  }

  /** The vectors shared with the agent module (docs/agent-protocol.md, "Test vectors"). */
  @Test
  void agreesWithSharedVectors() throws Exception {
    Path file = Path.of("..", "testdata", "report-vectors.json");
    assumeTrue(Files.exists(file), "no shared vectors yet at " + file.toAbsolutePath());
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<JsonNode> vectors = new ArrayList<>();
    (root.isArray() ? root : root.path("vectors")).forEach(vectors::add);
    assertThat(vectors).as("vectors in %s", file).isNotEmpty();
    PublicKey key = publicKey(root);
    int checked = 0;
    for (JsonNode v : vectors) {
      JsonNode request = v.has("request") ? v.get("request") : v.get("body");
      if (request == null || !v.has("canonical")) {
        continue;
      }
      byte[] body =
          request.isTextual()
              ? request.textValue().getBytes(StandardCharsets.UTF_8)
              : new ObjectMapper().writeValueAsBytes(request);
      AgentReport r = parser.parse(body);
      assertThat(CanonicalForm.text(r)).as("vector %s", v).isEqualTo(v.get("canonical").asText());
      if (key != null) {
        assertThat(SignatureCheck.verifies(r, key)).as("signature of %s", v).isTrue();
      }
      checked++;
    }
    assertThat(checked).as("vectors with a request and a canonical form").isPositive();
  }

  private static PublicKey publicKey(JsonNode root) throws Exception {
    for (String field : List.of("publicKeyPem", "publicKey", "publicKeyPEM")) {
      if (root.has(field)) {
        String pem =
            root.get(field).asText().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
      }
    }
    return null;
  }
}
