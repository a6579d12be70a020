package io.haddns.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class OperatorTokensTest {

  @Test
  void generatesAPrefixedTokenBoundToTheClusterWith256RandomBits() {
    String a = OperatorTokens.generate("prod-eu", new SecureRandom());
    String b = OperatorTokens.generate("prod-eu", new SecureRandom());

    assertThat(a).matches("haddns_prod-eu\\.[A-Za-z0-9_-]{43}");
    assertThat(a).isNotEqualTo(b);
    assertThat(OperatorTokens.cluster(a)).contains("prod-eu");
    assertThat(OperatorTokens.looksLikeToken(a)).isTrue();
  }

  @Test
  void hashesTheWholeTokenWithSha256InLowercaseHex() {
    assertThat(OperatorTokens.sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(OperatorTokens.sha256("haddns_a." + "x".repeat(43)))
        .isNotEqualTo(OperatorTokens.sha256("haddns_b." + "x".repeat(43)));
  }

  @Test
  void readsNoClusterFromValuesWithoutTheTokenShape() {
    assertThat(OperatorTokens.cluster("haddns_prod.short")).isEmpty();
    assertThat(OperatorTokens.cluster("bearer-something")).isEmpty();
    assertThat(OperatorTokens.cluster("haddns_." + "x".repeat(43))).isEmpty();
  }
}
