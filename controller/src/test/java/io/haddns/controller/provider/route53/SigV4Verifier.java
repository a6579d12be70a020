package io.haddns.controller.provider.route53;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recomputes an AWS Signature Version 4 from a received request, per
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical request,
 * string to sign, derived signing key). Path segments are encoded once more than sent, as for every
 * service but S3.
 */
final class SigV4Verifier {
  private static final Pattern AUTH =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");

  private final String accessKey;
  private final String secret;
  private final String region;
  private final String service;

  SigV4Verifier(String accessKey, String secret, String region, String service) {
    this.accessKey = accessKey;
    this.secret = secret;
    this.region = region;
    this.service = service;
  }

  /**
   * @param headers lower-case names to their values as received
   * @return empty when the signature is valid, else why not
   */
  Optional<String> verify(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    List<String> auth = headers.get("authorization");
    if (auth == null || auth.size() != 1) {
      return Optional.of("missing Authorization");
    }
    Matcher m = AUTH.matcher(auth.get(0));
    if (!m.matches()) {
      return Optional.of("malformed Authorization");
    }
    if (!m.group(1).equals(accessKey)) {
      return Optional.of("unknown access key");
    }
    if (!m.group(3).equals(region) || !m.group(4).equals(service)) {
      return Optional.of("wrong credential scope " + m.group(3) + "/" + m.group(4));
    }
    List<String> date = headers.get("x-amz-date");
    if (date == null || !date.get(0).startsWith(m.group(2))) {
      return Optional.of("x-amz-date missing or not in the credential scope");
    }
    String signedHeaders = m.group(5);
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signedHeaders.split(";")) {
      List<String> values = headers.get(name);
      if (values == null) {
        return Optional.of("signed header " + name + " not sent");
      }
      List<String> trimmed = new ArrayList<>();
      for (String v : values) {
        trimmed.add(v.trim().replaceAll("\\s+", " "));
      }
      canonicalHeaders.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    List<String> declared = headers.get("x-amz-content-sha256");
    String payloadHash = declared != null ? declared.get(0) : hex(sha256(body));
    if (declared != null && !declared.get(0).equals(hex(sha256(body)))) {
      return Optional.of("x-amz-content-sha256 does not match the body");
    }
    String canonicalRequest =
        method
            + "\n"
            + canonicalUri(rawPath)
            + "\n"
            + canonicalQuery(rawQuery)
            + "\n"
            + canonicalHeaders
            + "\n"
            + signedHeaders
            + "\n"
            + payloadHash;
    String scope = m.group(2) + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + date.get(0)
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), m.group(2));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    return MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            m.group(6).getBytes(StandardCharsets.US_ASCII))
        ? Optional.empty()
        : Optional.of("signature mismatch");
  }

  static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String[] segments = rawPath.split("/", -1);
    List<String> out = new ArrayList<>();
    for (String s : segments) {
      out.add(encode(s));
    }
    return String.join("/", out);
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      String v = eq < 0 ? "" : p.substring(eq + 1);
      pairs.add(new String[] {encode(decode(k)), encode(decode(v))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> out = new ArrayList<>();
    for (String[] p : pairs) {
      out.add(p[0] + "=" + p[1]);
    }
    return String.join("&", out);
  }

  /** RFC 3986 percent-encoding of everything but unreserved characters, upper-case hex. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static String decode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() + 0 && i + 2 <= s.length() - 1) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
