package io.haddns.controller.provider.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

class ResponseCheckTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final TSIG KEY =
      new TSIG(
          TSIG.HMAC_SHA256,
          Name.fromConstantString("haddns."),
          new SecretKeySpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "HmacSHA256"),
          CLOCK);

  private final ResponseCheck unsigned =
      new ResponseCheck("example.com", "192.0.2.53:53", Optional.empty());
  private final ResponseCheck signed =
      new ResponseCheck("example.com", "192.0.2.53:53", Optional.of("haddns"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "NOERROR, OK",
    "NXDOMAIN, NO_SUCH_NAME",
    "NXRRSET, PREREQUISITE_FAILED",
    "YXRRSET, PREREQUISITE_FAILED",
    "SERVFAIL, transient",
    "NOTAUTH, permanent",
    "REFUSED, permanent",
    "NOTZONE, permanent",
    "FORMERR, permanent",
    "NOTIMP, permanent",
    "YXDOMAIN, permanent",
  })
  void classifiesRcodes(String rcode, String expected) throws Exception {
    Message answer = signedAnswer(Rcode.value(rcode), Rcode.NOERROR);
    switch (expected) {
      case "transient" ->
          assertThatThrownBy(() -> signed.check(answer, "UPDATE"))
              .isInstanceOf(TransientProviderException.class)
              .hasMessageContaining("example.com")
              .hasMessageContaining(rcode);
      case "permanent" ->
          assertThatThrownBy(() -> signed.check(answer, "UPDATE"))
              .isInstanceOf(PermanentProviderException.class)
              .hasMessageContaining("zone example.com")
              .hasMessageContaining(rcode)
              .hasMessageContaining("'haddns'");
      default ->
          assertThat(signed.check(answer, "UPDATE"))
              .isEqualTo(ResponseCheck.Outcome.valueOf(expected));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"BADKEY", "BADSIG", "BADTIME"})
  void refusedKeyIsPermanentAndNamesKeyZoneAndTsigError(String tsigError) throws Exception {
    int error = tsigError.equals("BADSIG") ? Rcode.BADSIG : Rcode.value(tsigError);
    Message answer = signedAnswer(Rcode.NOTAUTH, error);

    assertThatThrownBy(() -> signed.check(answer, "UPDATE"))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining(
            "server 192.0.2.53:53 refused the TSIG key 'haddns' for zone example.com")
        .hasMessageContaining("NOTAUTH/" + tsigError);
  }

  @Test
  void unsignedAnswerIsPermanentWhenAKeyIsConfigured() {
    Message answer = plainAnswer(Rcode.NOERROR);

    assertThatThrownBy(() -> signed.check(answer, "UPDATE"))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("not signed/verified with TSIG key 'haddns'");
  }

  @Test
  void answerWithAWrongSignatureIsPermanent() throws Exception {
    Message answer = signedAnswer(Rcode.NOERROR, Rcode.NOERROR);
    TSIG other =
        new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromConstantString("haddns."),
            new SecretKeySpec(new byte[] {9, 9, 9, 9}, "HmacSHA256"),
            CLOCK);
    byte[] wire = answer.toWire();
    Message reparsed = new Message(wire);
    other.verify(reparsed, wire, null);

    assertThatThrownBy(() -> signed.check(reparsed, "UPDATE"))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not signed/verified");
  }

  @Test
  void unsignedAnswerIsAcceptedWithoutAKey() throws Exception {
    assertThat(unsigned.check(plainAnswer(Rcode.NOERROR), "UPDATE"))
        .isEqualTo(ResponseCheck.Outcome.OK);
  }

  private static Message plainAnswer(int rcode) {
    Message m = new Message(1);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(question(), Section.QUESTION);
    return m;
  }

  /** An answer signed by the server with {@code tsigError} and verified as the client would. */
  private static Message signedAnswer(int rcode, int tsigError) throws IOException {
    Message query = Message.newQuery(question());
    KEY.apply(query, null);
    byte[] queryWire = query.toWire();
    TSIGRecord queryTsig = new Message(queryWire).getTSIG();

    Message answer = new Message(query.getHeader().getID());
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setRcode(rcode);
    answer.addRecord(question(), Section.QUESTION);
    KEY.apply(answer, tsigError, queryTsig);
    byte[] wire = answer.toWire();
    Message received = new Message(wire);
    KEY.verify(received, wire, queryTsig);
    return received;
  }

  private static Record question() {
    return Record.newRecord(Name.fromConstantString("example.com."), Type.SOA, DClass.IN);
  }
}
