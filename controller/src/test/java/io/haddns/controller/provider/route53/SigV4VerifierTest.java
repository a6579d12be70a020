package io.haddns.controller.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verifier against AWS's published worked examples: the Signature Version 4 test suite case
 * get-vanilla-query-order-key-case
 * (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html) and the signed IAM
 * ListUsers POST
 * (https://docs.aws.amazon.com/general/latest/gr/sigv4-signed-request-examples.html).
 */
class SigV4VerifierTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void acceptsTestSuiteGetVanillaQueryOrderKeyCase() {
    SigV4Verifier v = new SigV4Verifier("AKIDEXAMPLE", SECRET, "us-east-1", "service");
    assertThat(v.verify("GET", "/", "Param2=value2&Param1=value1", vanilla(SUITE_SIG), new byte[0]))
        .isEmpty();
  }

  @Test
  void refusesTheSameRequestSignedWithAnotherSecret() {
    SigV4Verifier v = new SigV4Verifier("AKIDEXAMPLE", SECRET + "x", "us-east-1", "service");
    assertThat(v.verify("GET", "/", "Param2=value2&Param1=value1", vanilla(SUITE_SIG), new byte[0]))
        .contains("signature mismatch");
  }

  @Test
  void refusesAChangedQuery() {
    SigV4Verifier v = new SigV4Verifier("AKIDEXAMPLE", SECRET, "us-east-1", "service");
    assertThat(v.verify("GET", "/", "Param2=value2&Param1=value3", vanilla(SUITE_SIG), new byte[0]))
        .contains("signature mismatch");
  }

  @Test
  void acceptsTheSignedIamListUsersPost() {
    SigV4Verifier v = new SigV4Verifier("AKIDEXAMPLE", SECRET, "us-east-1", "iam");
    Map<String, List<String>> headers =
        Map.of(
            "authorization",
            List.of(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/iam/aws4_request,"
                    + " SignedHeaders=content-type;host;x-amz-date,"
                    + " Signature=ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c"),
            "host",
            List.of("iam.amazonaws.com"),
            "content-type",
            List.of("application/x-www-form-urlencoded; charset=utf-8"),
            "x-amz-date",
            List.of("20110909T233600Z"));
    byte[] body = "Action=ListUsers&Version=2010-05-08".getBytes(StandardCharsets.UTF_8);
    assertThat(v.verify("POST", "/", "", headers, body)).isEmpty();
    assertThat(v.verify("POST", "/", "", headers, "Action=ListUsers".getBytes())).isPresent();
  }

  @Test
  void encodesPathSegmentsAgainAndSortsQuery() {
    assertThat(SigV4Verifier.canonicalUri("/2013-04-01/hostedzone/Z1/rrset/"))
        .isEqualTo("/2013-04-01/hostedzone/Z1/rrset/");
    assertThat(SigV4Verifier.canonicalUri("/a%2Ab")).isEqualTo("/a%252Ab");
    assertThat(SigV4Verifier.canonicalQuery("type=TXT&name=_x.example.com.&maxitems=1"))
        .isEqualTo("maxitems=1&name=_x.example.com.&type=TXT");
  }

  private static final String SUITE_SIG =
      "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

  private static Map<String, List<String>> vanilla(String signature) {
    return Map.of(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature="
                + signature),
        "host",
        List.of("example.amazonaws.com"),
        "x-amz-date",
        List.of("20150830T123600Z"));
  }
}
