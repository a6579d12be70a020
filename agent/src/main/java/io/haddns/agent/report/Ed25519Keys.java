package io.haddns.agent.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 (RFC 8032) keys in PEM: PKCS#8 {@code PRIVATE KEY} and X.509 SubjectPublicKeyInfo {@code
 * PUBLIC KEY} (RFC 7468, RFC 8410), through the JDK's own provider.
 */
public final class Ed25519Keys {
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";

  private Ed25519Keys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519 (JDK 15+ always has)", e);
    }
  }

  public static PrivateKey privateKeyFromPem(String pem) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(decode(pem, PRIVATE)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PKCS#8 Ed25519 private key", e);
    }
  }

  public static PublicKey publicKeyFromPem(String pem) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(decode(pem, PUBLIC)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X.509 Ed25519 public key", e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return privateKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static PublicKey readPublicKey(Path file) throws IOException {
    return publicKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static String toPem(PrivateKey key) {
    return encode(key.getEncoded(), PRIVATE);
  }

  public static String toPem(PublicKey key) {
    return encode(key.getEncoded(), PUBLIC);
  }

  private static String encode(byte[] der, String label) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] decode(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("PEM has no " + label + " block");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM " + label + " block is not base64", e);
    }
  }
}
