package io.haddns.controller.provider.alidns;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud's RPC signature, version 1.0 with HMAC-SHA1 ("Request signatures",
 * https://www.alibabacloud.com/help/doc-detail/29747.htm, Chinese original
 * https://help.aliyun.com/document_detail/29819.html): parameters sorted by name (case-sensitive,
 * i.e. by code unit), names and values percent-encoded as RFC 3986 unreserved characters kept
 * ({@code A-Z a-z 0-9 - _ . ~}) and everything else {@code %XY} of its UTF-8 bytes (so a space is
 * {@code %20}, {@code *} is {@code %2A}); {@code StringToSign = METHOD + "&" + enc("/") + "&" +
 * enc(canonicalQuery)}; {@code Signature = base64(HMAC-SHA1(secret + "&", StringToSign))}.
 *
 * <p>Stateless; the secret is only ever an argument and never part of a returned string other than
 * through the HMAC.
 */
final class AlidnsSigner {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private AlidnsSigner() {}

  /** Alibaba's percent-encoding of {@code s}: RFC 3986 unreserved kept, all else {@code %XY}. */
  static String percentEncode(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** {@code name=value} pairs, each encoded, sorted by name, joined with {@code &}. */
  static String canonicalQuery(Map<String, String> parameters) {
    SortedMap<String, String> sorted = new TreeMap<>(parameters);
    StringJoiner q = new StringJoiner("&");
    sorted.forEach((k, v) -> q.add(percentEncode(k) + "=" + percentEncode(v)));
    return q.toString();
  }

  static String stringToSign(String method, String canonicalQuery) {
    return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery);
  }

  /** The base64 HMAC-SHA1 of {@code stringToSign} under the key {@code secret + "&"}. */
  static String signature(String stringToSign, byte[] secret) {
    byte[] key = new byte[secret.length + 1];
    System.arraycopy(secret, 0, key, 0, secret.length);
    key[secret.length] = '&';
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  /** The query string to send: the canonical query plus {@code &Signature=…}. */
  static String signedQuery(String method, Map<String, String> parameters, byte[] secret) {
    String canonical = canonicalQuery(parameters);
    String signature = signature(stringToSign(method, canonical), secret);
    return canonical + "&Signature=" + percentEncode(signature);
  }
}
