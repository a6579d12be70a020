package io.haddns.controller.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * One benchmark agent: an Ed25519 key pair, its public key as the PEM file the controller reads,
 * and signed report bodies for one line and one IPv4 address (docs/agent-protocol.md). Not
 * thread-safe: each load connection owns its agent. Signs with Bouncy Castle's RFC 8032 code (about
 * 7 times cheaper than the JDK provider), so that signing reports ahead of a window, or live when
 * the signed ones run out, takes less of the cores the gateway shares.
 */
final class BenchAgent {
  final String id;
  final String line;

  /** RFC 8410 §4: the SubjectPublicKeyInfo header of an Ed25519 key; the 32 key bytes follow. */
  private static final byte[] SPKI_HEADER = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final byte[] privateKey = new byte[Ed25519.SECRET_KEY_SIZE];
  private final byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
  private long sequence;
  private byte[] lastMessage = new byte[0];
  private byte[] lastSignature = new byte[Ed25519.SIGNATURE_SIZE];

  BenchAgent(String id, String line) {
    this.id = id;
    this.line = line;
    Ed25519.generatePrivateKey(new SecureRandom(), privateKey);
    Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  /** Writes the public key as X.509 SubjectPublicKeyInfo PEM; returns the file. */
  Path writePublicKey(Path dir) throws IOException {
    Path file = dir.resolve(id + ".pub");
    Files.writeString(
        file,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(spki())
            + "\n-----END PUBLIC KEY-----\n",
        StandardCharsets.US_ASCII);
    return file;
  }

  /** The next report (sequence one higher than the last), observed now, as a JSON body. */
  byte[] next(String ipv4, long observedAtMillis) {
    sequence++;
    return signed(sequence, ipv4, observedAtMillis);
  }

  /**
   * A report with the given {@code sequence}, signed now to be sent later; does not move this
   * agent's own counter (see {@link #advanceTo}). Sequences need only rise, so reports signed ahead
   * may leave a gap below them for reports signed live in the meantime.
   */
  byte[] signed(long sequence, String ipv4, long observedAtMillis) {
    String canonical =
        "haddns-report-v1\n"
            + id
            + "\n"
            + line
            + "\n"
            + "ipv4\n"
            + ipv4
            + "\n"
            + observedAtMillis
            + "\n"
            + sequence
            + "\n";
    byte[] message = canonical.getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(privateKey, 0, message, 0, message.length, signed, 0);
    lastMessage = message;
    lastSignature = signed;
    String signature = Base64.getEncoder().encodeToString(signed);
    return ("{\"agent\":\""
            + id
            + "\",\"line\":\""
            + line
            + "\",\"family\":\"ipv4\",\"addresses\":[\""
            + ipv4
            + "\"],\"observedAt\":"
            + observedAtMillis
            + ",\"sequence\":"
            + sequence
            + ",\"signature\":\""
            + signature
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] spki() {
    byte[] out = new byte[SPKI_HEADER.length + publicKey.length];
    System.arraycopy(SPKI_HEADER, 0, out, 0, SPKI_HEADER.length);
    System.arraycopy(publicKey, 0, out, SPKI_HEADER.length, publicKey.length);
    return out;
  }

  /**
   * The check the gateway makes of this agent's last signed report ({@code SignatureCheck}: Bouncy
   * Castle, the public key decoded and validated once), as a supplier that repeats it.
   */
  BooleanSupplier lastSignatureCheck() {
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
    byte[] message = lastMessage.clone();
    byte[] signature = lastSignature.clone();
    return () -> Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  /** Makes the next live report's sequence higher than {@code sequence}. */
  void advanceTo(long sequence) {
    this.sequence = Math.max(this.sequence, sequence);
  }

  long sequence() {
    return sequence;
  }
}
