package io.haddns.controller.provider.dnspod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Documented {@code Response.Error.Code} values mapped to outcomes. */
class DnspodErrorsTest {
  private final DnspodErrors errors = new DnspodErrors(new ObjectMapper());

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "AuthFailure.SignatureFailure, permanent",
    "AuthFailure.SecretIdNotFound, permanent",
    "AuthFailure.SignatureExpire, permanent",
    "AuthFailure.UnauthorizedOperation, permanent",
    "InvalidParameterValue.DomainNotExists, permanent",
    "InvalidParameter.DomainNotFound, permanent",
    "InvalidParameter.RecordLineInvalid, permanent",
    "RequestLimitExceeded, transient",
    "RequestLimitExceeded.UinLimitExceeded, transient",
    "InternalError, transient",
    "InternalError.GenerateIdFailed, transient",
    "FailedOperation.FrequencyLimit, transient",
  })
  void classifiesDocumentedCodes(String code, String outcome) throws Exception {
    String body =
        "{\"Response\":{\"Error\":{\"Code\":\""
            + code
            + "\",\"Message\":\"m\"},\"RequestId\":\"r\"}}";
    DnspodErrors.Outcome o = errors.parse("ctx", 200, body);

    assertThat(o).isInstanceOf(DnspodErrors.Outcome.Failed.class);
    ProviderException e = DnspodErrors.classify("ctx", ((DnspodErrors.Outcome.Failed) o).error());
    assertThat(e)
        .isInstanceOf(
            outcome.equals("transient")
                ? TransientProviderException.class
                : PermanentProviderException.class)
        .hasMessageContaining(code)
        .hasMessageContaining("ctx");
  }

  @Test
  void throttlingSuggestsADelay() {
    TransientProviderException e =
        (TransientProviderException)
            DnspodErrors.classify("ctx", new DnspodErrors.ApiError("RequestLimitExceeded", "slow"));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
  }

  @Test
  void successAnswersTheResponseObject() throws Exception {
    DnspodErrors.Outcome o =
        errors.parse("ctx", 200, "{\"Response\":{\"RecordId\":162,\"RequestId\":\"r\"}}");

    assertThat(((DnspodErrors.Outcome.Ok) o).response().path("RecordId").asLong()).isEqualTo(162);
  }

  @Test
  void htmlIsPermanentWithAClearMessageAndGatewayErrorsAreTransient() {
    assertThat(catchThrowable(() -> errors.parse("ctx", 200, "<html>captive portal</html>")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not a JSON Response")
        .hasMessageContaining("<html>");
    assertThat(catchThrowable(() -> errors.parse("ctx", 504, "<html>Gateway Timeout</html>")))
        .isInstanceOf(TransientProviderException.class);
  }
}
