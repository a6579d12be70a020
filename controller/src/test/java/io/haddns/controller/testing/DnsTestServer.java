package io.haddns.controller.testing;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.config.TsigConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Record;

/**
 * A real authoritative DNS server process (BIND or Knot) serving test zones on 127.0.0.1 over UDP
 * and TCP, accepting RFC 2136 UPDATEs of A, AAAA and TXT records and AXFR signed with one TSIG key.
 * Each zone starts with SOA and NS only. The server can be stopped and started again on the same
 * port with its zone contents kept.
 */
public interface DnsTestServer extends AutoCloseable {

  /** The TSIG algorithm of all keys. */
  String TSIG_ALGORITHM = "hmac-sha256";

  /** {@code bind} or {@code knot}. */
  String kind();

  int port();

  /** The first zone served. */
  default String zone() {
    return zones().get(0);
  }

  /** All zones served, canonical (lower case, no trailing dot). */
  List<String> zones();

  /** Name of the key allowed to update A/AAAA/TXT and to transfer. */
  String tsigName();

  String tsigSecretBase64();

  /** A secret the server does not hold for {@link #tsigName()}: signing with it gets BADSIG. */
  String wrongTsigSecretBase64();

  /** Name of a key the server knows but allows nothing. */
  String deniedTsigName();

  String deniedTsigSecretBase64();

  /** Answer records for {@code name}/{@code type}, asked over TCP without TSIG. */
  List<Record> query(String name, int type) throws IOException;

  /** The server's log lines about updates, each naming the client's address. */
  List<String> updateLogLines() throws IOException;

  /** Whether the process is running. */
  boolean isRunning();

  /** Starts the stopped server again on the same port; returns once it answers SOA. */
  void start() throws IOException;

  /** Stops the process and waits until it has exited and freed the port. */
  void stop();

  /** Stops the process; the work directory is left for inspection. */
  @Override
  void close();

  default TsigConfig tsigConfig() {
    return tsig(tsigName(), tsigSecretBase64());
  }

  default TsigConfig wrongSecretTsigConfig() {
    return tsig(tsigName(), wrongTsigSecretBase64());
  }

  default TsigConfig deniedTsigConfig() {
    return tsig(deniedTsigName(), deniedTsigSecretBase64());
  }

  /** A provider configuration pointing at this server. */
  default ProviderConfig.Rfc2136 rfc2136(Optional<TsigConfig> tsig, int batchSize) {
    return new ProviderConfig.Rfc2136("127.0.0.1", port(), tsig, batchSize, Duration.ofSeconds(2));
  }

  private static TsigConfig tsig(String name, String secretBase64) {
    return new TsigConfig(
        name, TSIG_ALGORITHM, new Secret(Base64.getDecoder().decode(secretBase64), "test"));
  }
}
