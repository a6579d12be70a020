package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {
  private static final TestAgent AGENT = new TestAgent("router1", 1);
  private static final TestAgent OTHER = new TestAgent("router2", 2);

  private static AgentReport report(String line) throws ReportRejected {
    String body = AGENT.body(line, "ipv4", List.of("198.51.100.7"), 1_700_000_000_000L, 5);
    return new ReportParser().parse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void verifiesAReportSignedByTheJdkProvider() throws Exception {
    assertThat(SignatureCheck.verifies(report("home"), AGENT.keys.getPublic())).isTrue();
  }

  @Test
  void oneCheckDecodedFromTheKeyVerifiesEveryReportOfThatAgent() throws Exception {
    SignatureCheck check = SignatureCheck.of(AGENT.keys.getPublic());

    assertThat(check.verifies(report("home"))).isTrue();
    assertThat(check.verifies(report("office"))).isTrue();
    assertThat(SignatureCheck.of(OTHER.keys.getPublic()).verifies(report("home"))).isFalse();
  }

  @Test
  void refusesTheSignatureUnderAnotherAgentsKey() throws Exception {
    assertThat(SignatureCheck.verifies(report("home"), OTHER.keys.getPublic())).isFalse();
  }

  @Test
  void refusesAKeyOfAnotherAlgorithmWithAnEncodingOfTheSameLength() throws Exception {
    PublicKey x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic();
    assertThat(x25519.getEncoded()).hasSize(AGENT.keys.getPublic().getEncoded().length);

    assertThat(SignatureCheck.verifies(report("home"), x25519)).isFalse();
  }
}
