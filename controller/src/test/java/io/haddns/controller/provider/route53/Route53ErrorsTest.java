package io.haddns.controller.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.route53.model.Route53Exception;

class Route53ErrorsTest {
  private final Route53Errors errors = new Route53Errors("example.com");

  private ProviderException service(int status, String code) {
    return errors.classify(
        "ListResourceRecordSets",
        Route53Exception.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("msg " + code).build())
            .build());
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "400, Throttling, transient",
    "400, PriorRequestNotComplete, transient",
    "500, InternalFailure, transient",
    "503, ServiceUnavailable, transient",
    "400, InvalidChangeBatch, permanent",
    "404, NoSuchHostedZone, permanent",
    "403, AccessDenied, permanent",
    "403, InvalidClientTokenId, permanent",
    "403, SignatureDoesNotMatch, permanent",
    "400, InvalidInput, permanent"
  })
  void classifiesDocumentedCodes(int status, String code, String outcome) {
    ProviderException e = service(status, code);
    assertThat(e)
        .isInstanceOf(
            outcome.equals("transient")
                ? TransientProviderException.class
                : PermanentProviderException.class)
        .hasMessageContaining("example.com")
        .hasMessageContaining(code);
  }

  @Test
  void throttlingAsksToWaitASecond() {
    assertThat(((TransientProviderException) service(400, "Throttling")).retryAfter())
        .contains(Duration.ofSeconds(1));
  }

  @Test
  void ioFailureIsTransientAndOtherClientFailuresPermanent() {
    assertThat(
            errors.classify(
                "GetChange",
                SdkClientException.create(
                    "Unable to execute HTTP request", new IOException("reset"))))
        .isInstanceOf(TransientProviderException.class);
    assertThat(
            errors.classify(
                "GetChange",
                SdkClientException.create("Unable to load credentials from any provider")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("credentials");
  }
}
