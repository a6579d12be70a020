package io.haddns.controller.provider.alidns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signature against the worked example of Alibaba Cloud DNS' "Request signatures" page
 * (https://help.aliyun.com/document_detail/29819.html, English:
 * https://www.alibabacloud.com/help/doc-detail/29747.htm): DescribeDomainRecords for example.com
 * with AccessKeyId {@code testid}, secret {@code testsecret}.
 */
class AlidnsSignerTest {
  private static final Map<String, String> EXAMPLE =
      Map.of(
          "Format", "XML",
          "AccessKeyId", "testid",
          "Action", "DescribeDomainRecords",
          "SignatureMethod", "HMAC-SHA1",
          "DomainName", "example.com",
          "SignatureNonce", "f59ed6a9-83fc-473b-9cc6-99c95df3856e",
          "SignatureVersion", "1.0",
          "Version", "2015-01-09",
          "Timestamp", "2016-03-24T16:41:54Z");

  @Test
  void buildsTheDocumentedStringToSign() {
    String canonical = AlidnsSigner.canonicalQuery(EXAMPLE);

    assertThat(canonical)
        .isEqualTo(
            "AccessKeyId=testid&Action=DescribeDomainRecords&DomainName=example.com&Format=XML"
                + "&SignatureMethod=HMAC-SHA1"
                + "&SignatureNonce=f59ed6a9-83fc-473b-9cc6-99c95df3856e&SignatureVersion=1.0"
                + "&Timestamp=2016-03-24T16%3A41%3A54Z&Version=2015-01-09");
    assertThat(AlidnsSigner.stringToSign("GET", canonical))
        .isEqualTo(
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDomainRecords%26DomainName%3Dexample.com"
                + "%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Df59ed6a9-83fc-473b"
                + "-9cc6-99c95df3856e%26SignatureVersion%3D1.0%26Timestamp%3D2016-03-24T16%253A41%253A54Z"
                + "%26Version%3D2015-01-09");
  }

  @Test
  void signsTheDocumentedExample() {
    // The page's published result for this StringToSign and key "testsecret&".
    String stringToSign = AlidnsSigner.stringToSign("GET", AlidnsSigner.canonicalQuery(EXAMPLE));

    assertThat(
            AlidnsSigner.signature(stringToSign, "testsecret".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("uRpHwaSEt3J+6KQD//svCh/x+pI=");
    assertThat(
            AlidnsSigner.signedQuery(
                "GET", EXAMPLE, "testsecret".getBytes(StandardCharsets.US_ASCII)))
        .endsWith("&Signature=uRpHwaSEt3J%2B6KQD%2F%2FsvCh%2Fx%2BpI%3D");
  }

  @Test
  void percentEncodesAsAlibabaSpecifies() {
    assertThat(AlidnsSigner.percentEncode("a b*c~d-_.")).isEqualTo("a%20b%2Ac~d-_.");
    assertThat(AlidnsSigner.percentEncode("+/=&:")).isEqualTo("%2B%2F%3D%26%3A");
    assertThat(AlidnsSigner.percentEncode("线路")).isEqualTo("%E7%BA%BF%E8%B7%AF");
  }

  @Test
  void sortsNamesByCodeUnitSoUpperCaseComesFirst() {
    assertThat(AlidnsSigner.canonicalQuery(Map.of("b", "1", "B", "2", "a", "3")))
        .isEqualTo("B=2&a=3&b=1");
  }

  @Test
  void aDifferentSecretGivesADifferentSignature() {
    String s = AlidnsSigner.stringToSign("GET", AlidnsSigner.canonicalQuery(EXAMPLE));

    assertThat(AlidnsSigner.signature(s, "testsecreT".getBytes(StandardCharsets.US_ASCII)))
        .isNotEqualTo("uRpHwaSEt3J+6KQD//svCh/x+pI=");
  }
}
