package io.haddns.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared wire-format vectors (testdata/report-vectors.json), read by the controller too. */
class ReportVectorsTest {
  private static final Path FILE = Path.of("..", "testdata", "report-vectors.json");
  private static JsonNode root;
  private static final ReportJson json = new ReportJson();

  @BeforeAll
  static void load() throws IOException {
    root = new ObjectMapper().readTree(Files.readString(FILE));
  }

  static Stream<Arguments> vectors() throws IOException {
    load();
    List<Arguments> out = new ArrayList<>();
    root.get("vectors").forEach(v -> out.add(Arguments.of(v.get("name").asText(), v)));
    return out.stream();
  }

  static Stream<Arguments> invalid() throws IOException {
    load();
    List<Arguments> out = new ArrayList<>();
    root.get("invalid").forEach(v -> out.add(Arguments.of(v.get("name").asText(), v)));
    return out.stream();
  }

  @Test
  void fileHoldsAtLeastSixVectors() {
    assertThat(root.get("vectors").size()).isGreaterThanOrEqualTo(6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void requestParsesToTheDocumentedCanonicalForm(String name, JsonNode vector) {
    SignedReport parsed = json.fromTree(vector.get("request"));

    assertThat(ReportCanonicalForm.text(parsed.report()))
        .isEqualTo(vector.get("canonical").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void signerProducesTheVectorSignature(String name, JsonNode vector) {
    ReportSigner signer =
        new ReportSigner(Ed25519Keys.privateKeyFromPem(root.get("privateKeyPem").asText()));
    Report report = json.fromTree(vector.get("request")).report();

    assertThat(signer.sign(report).signature()).isEqualTo(vector.get("signature").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void verifierAcceptsTheVectorRequest(String name, JsonNode vector) {
    ReportVerifier verifier =
        new ReportVerifier(Ed25519Keys.publicKeyFromPem(root.get("publicKeyPem").asText()));

    assertThat(verifier.verify(json.fromTree(vector.get("request")))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void writtenJsonRoundTripsToTheSameCanonicalForm(String name, JsonNode vector) {
    SignedReport parsed = json.fromTree(vector.get("request"));

    SignedReport again = json.fromJson(json.toJson(parsed));

    assertThat(ReportCanonicalForm.text(again.report()))
        .isEqualTo(vector.get("canonical").asText());
    assertThat(again.signature()).isEqualTo(parsed.signature());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidRequestIsRefused(String name, JsonNode vector) {
    JsonNode request = vector.get("request");
    switch (vector.get("expect").asText()) {
      case "malformed" ->
          assertThatThrownBy(() -> json.fromTree(request))
              .isInstanceOf(IllegalArgumentException.class);
      case "bad-signature" -> {
        ReportVerifier verifier =
            new ReportVerifier(Ed25519Keys.publicKeyFromPem(root.get("publicKeyPem").asText()));
        assertThat(verifier.verify(json.fromTree(request))).isFalse();
      }
      default -> throw new AssertionError("unknown expectation in " + name);
    }
  }
}
