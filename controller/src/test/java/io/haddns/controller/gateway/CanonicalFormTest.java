package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.store.AddressFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalFormTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ReportParser parser = new ReportParser();

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
    JsonNode root = sharedVectors();
    PublicKey key = publicKey(root.required("publicKeyPem").asText());
    assertThat(root.required("vectors").size()).isPositive();
    for (JsonNode v : root.required("vectors")) {
      AgentReport r = parser.parse(JSON.writeValueAsBytes(v.required("request")));
      assertThat(CanonicalForm.text(r))
          .as("canonical form of %s", v.get("name"))
          .isEqualTo(v.required("canonical").asText());
      assertThat(Base64.getEncoder().encodeToString(r.signature()))
          .isEqualTo(v.required("signature").asText());
      assertThat(SignatureCheck.verifies(r, key)).as("signature of %s", v.get("name")).isTrue();
    }
  }

  /** Each invalid vector is refused the way the shared file says: malformed or bad signature. */
  @Test
  void refusesSharedInvalidVectors() throws Exception {
    JsonNode root = sharedVectors();
    PublicKey key = publicKey(root.required("publicKeyPem").asText());
    assertThat(root.required("invalid").size()).isPositive();
    for (JsonNode v : root.required("invalid")) {
      String name = v.required("name").asText();
      String expect = v.required("expect").asText();
      byte[] body = JSON.writeValueAsBytes(v.required("request"));
      switch (expect) {
        case "malformed" ->
            assertThatThrownBy(() -> parser.parse(body))
                .as(name)
                .isInstanceOfSatisfying(
                    ReportRejected.class,
                    e -> assertThat(e.status()).isEqualTo(ReportStatus.MALFORMED));
        case "bad-signature" ->
            assertThat(SignatureCheck.verifies(parser.parse(body), key)).as(name).isFalse();
        default -> throw new AssertionError("unknown expectation " + expect + " in " + name);
      }
    }
  }

  private static JsonNode sharedVectors() throws Exception {
    Path file = Path.of("..", "testdata", "report-vectors.json");
    assertThat(file).as("shared vectors").exists();
    return JSON.readTree(file.toFile());
  }

  private static PublicKey publicKey(String pem) throws Exception {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
