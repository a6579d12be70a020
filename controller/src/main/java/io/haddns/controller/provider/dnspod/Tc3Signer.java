package io.haddns.controller.provider.dnspod;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256, for POST requests with a JSON body.
 *
 * <p>CanonicalRequest = method, URI "/", empty query, the signed headers (lower-case {@code
 * name:value\n}, sorted), their names joined by ';', and hex SHA-256 of the body. StringToSign =
 * "TC3-HMAC-SHA256", the timestamp, {@code <UTC date>/<service>/tc3_request} and hex SHA-256 of the
 * canonical request. The key is derived as HMAC("TC3" + SecretKey, date) → service → "tc3_request".
 *
 * <p>Pure and thread-safe; holds the secret key, which never leaves this class except as the
 * signature.
 *
 * @see <a href="https://www.tencentcloud.com/document/api/213/30654">Signature v3</a>
 */
final class Tc3Signer {
  static final String ALGORITHM = "TC3-HMAC-SHA256";
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String secretId;
  private final byte[] secretKey;
  private final String service;

  Tc3Signer(String secretId, byte[] secretKey, String service) {
    this.secretId = Objects.requireNonNull(secretId, "secretId");
    this.secretKey = secretKey.clone();
    this.service = Objects.requireNonNull(service, "service");
  }

  /** The pieces of one signature, for tests against the documented example. */
  record Signed(
      String canonicalRequest, String stringToSign, String signature, String authorization) {}

  /**
   * @param headers the headers to sign (at least content-type and host), as sent
   * @param timestamp the {@code X-TC-Timestamp} value, seconds since the epoch
   */
  Signed sign(Map<String, String> headers, byte[] payload, long timestamp) {
    SortedMap<String, String> canonical = new TreeMap<>();
    headers.forEach(
        (k, v) -> canonical.put(k.toLowerCase(Locale.ROOT), v.strip().toLowerCase(Locale.ROOT)));
    StringBuilder headerLines = new StringBuilder();
    canonical.forEach((k, v) -> headerLines.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", canonical.keySet());
    String canonicalRequest =
        "POST\n/\n\n" + headerLines + "\n" + signedHeaders + "\n" + sha256Hex(payload);
    String date = DATE.format(Instant.ofEpochSecond(timestamp));
    String scope = date + "/" + service + "/tc3_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + timestamp
            + "\n"
            + scope
            + "\n"
            + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] k = (("TC3").getBytes(StandardCharsets.UTF_8));
    byte[] tc3Key = new byte[k.length + secretKey.length];
    System.arraycopy(k, 0, tc3Key, 0, k.length);
    System.arraycopy(secretKey, 0, tc3Key, k.length, secretKey.length);
    byte[] signing = hmac(hmac(hmac(tc3Key, date), service), "tc3_request");
    String signature = HexFormat.of().formatHex(hmac(signing, stringToSign));
    String authorization =
        ALGORITHM
            + " Credential="
            + secretId
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature;
    return new Signed(canonicalRequest, stringToSign, signature, authorization);
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Tc3Signer[" + service + "]";
  }
}
