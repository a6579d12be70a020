package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * Classifies a server's answer for one zone: what the caller may act on is returned as an {@link
 * Outcome}, everything else is thrown as a transient or permanent provider error. Pure: no I/O.
 */
final class ResponseCheck {

  /** The answers a caller decides on itself. */
  enum Outcome {
    /** NOERROR. */
    OK,
    /** NXDOMAIN: the queried name does not exist. */
    NO_SUCH_NAME,
    /** NXRRSET or YXRRSET: a prerequisite (RFC 2136 §3.2) was not met. */
    PREREQUISITE_FAILED
  }

  private final String zone;
  private final String server;
  private final Optional<String> keyName;

  /**
   * @param server host:port, for messages
   * @param keyName the TSIG key's name when messages are signed
   */
  ResponseCheck(String zone, String server, Optional<String> keyName) {
    this.zone = zone;
    this.server = server;
    this.keyName = keyName;
  }

  /**
   * @param what the request, for messages, e.g. {@code UPDATE} or {@code fence query}
   * @throws PermanentProviderException for a refused key, an unverified answer, NOTAUTH, REFUSED,
   *     NOTZONE, FORMERR, NOTIMP and unknown rcodes
   * @throws TransientProviderException for SERVFAIL
   */
  Outcome check(Message response, String what) throws ProviderException {
    int rcode = response.getRcode();
    TSIGRecord tsig = response.getTSIG();
    // RFC 8945 §5.3.2/§5.4: a server that rejects the request's TSIG answers NOTAUTH and puts
    // BADKEY, BADSIG or BADTIME in the TSIG error field; such an answer is usually unsigned.
    if (rcode == Rcode.NOTAUTH && tsig != null && tsig.getError() != Rcode.NOERROR) {
      throw new PermanentProviderException(
          "server "
              + server
              + " refused the TSIG key '"
              + keyName.orElse(tsig.getName().toString(true))
              + "' for zone "
              + zone
              + " ("
              + what
              + "): NOTAUTH/"
              + Rcode.TSIGstring(tsig.getError()));
    }
    if (keyName.isPresent() && !response.isVerified()) {
      throw new PermanentProviderException(
          "zone "
              + zone
              + ": the answer of server "
              + server
              + " to "
              + what
              + " ("
              + Rcode.string(rcode)
              + ") was not signed/verified with TSIG key '"
              + keyName.get()
              + "'");
    }
    return switch (rcode) {
      case Rcode.NOERROR -> Outcome.OK;
      case Rcode.NXDOMAIN -> Outcome.NO_SUCH_NAME;
      case Rcode.NXRRSET, Rcode.YXRRSET -> Outcome.PREREQUISITE_FAILED;
      case Rcode.SERVFAIL ->
          throw new TransientProviderException(
              "zone " + zone + ": server " + server + " answered " + what + " with SERVFAIL");
      default ->
          throw new PermanentProviderException(
              "zone "
                  + zone
                  + ": server "
                  + server
                  + " answered "
                  + what
                  + " with "
                  + Rcode.string(rcode)
                  + keyName.map(k -> " (TSIG key '" + k + "')").orElse(" (no TSIG key)"));
    };
  }
}
