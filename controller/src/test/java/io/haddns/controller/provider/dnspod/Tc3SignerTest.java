package io.haddns.controller.provider.dnspod;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Tc3SignerTest {

  /**
   * The worked example of Tencent Cloud's "Signature v3" page (DescribeInstances on cvm, timestamp
   * 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE):
   * https://www.tencentcloud.com/document/api/213/30654 — every intermediate value below is quoted
   * from it.
   */
  @Test
  void reproducesTheDocumentedExample() {
    Tc3Signer signer =
        new Tc3Signer(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".getBytes(StandardCharsets.UTF_8),
            "cvm");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("Host", "cvm.tencentcloudapi.com");
    String payload =
        "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\":"
            + " \"instance-name\"}]}";

    Tc3Signer.Signed s = signer.sign(headers, payload.getBytes(StandardCharsets.UTF_8), 1551113065);

    assertThat(Tc3Signer.sha256Hex(payload.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    assertThat(s.canonicalRequest())
        .isEqualTo(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
                + "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
                + "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    assertThat(s.stringToSign())
        .isEqualTo(
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
                + "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    assertThat(s.signature())
        .isEqualTo("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    assertThat(s.authorization())
        .isEqualTo(
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
                + "tc3_request, SignedHeaders=content-type;host, "
                + "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  }

  @Test
  void signsTheUtf8BytesOfTheBodyAndTheLowerCasedAction() {
    Tc3Signer signer = new Tc3Signer("id", "key".getBytes(StandardCharsets.UTF_8), "dnspod");
    Map<String, String> headers =
        Map.of(
            "Content-Type", "application/json; charset=utf-8",
            "Host", "dnspod.tencentcloudapi.com",
            "X-TC-Action", "CreateRecord");

    Tc3Signer.Signed a =
        signer.sign(headers, "{\"RecordLine\":\"默认\"}".getBytes(StandardCharsets.UTF_8), 1);
    Tc3Signer.Signed b =
        signer.sign(headers, "{\"RecordLine\":\"电信\"}".getBytes(StandardCharsets.UTF_8), 1);

    assertThat(a.canonicalRequest()).contains("x-tc-action:createrecord\n");
    assertThat(a.authorization()).contains("SignedHeaders=content-type;host;x-tc-action");
    assertThat(a.signature()).isNotEqualTo(b.signature());
    assertThat(signer.toString()).doesNotContain("key");
  }
}
