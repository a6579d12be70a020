package io.haddns.controller.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * One benchmark agent: an Ed25519 key pair, its public key as the PEM file the controller reads,
 * and signed report bodies for one line and one IPv4 address (docs/agent-protocol.md). Not
 * thread-safe: each load connection owns its agent.
 */
final class BenchAgent {
  final String id;
  final String line;
  private final KeyPair keys;
  private final Signature signer;
  private long sequence;

  BenchAgent(String id, String line) {
    this.id = id;
    this.line = line;
    try {
      this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      this.signer = Signature.getInstance("Ed25519");
      signer.initSign(keys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the public key as X.509 SubjectPublicKeyInfo PEM; returns the file. */
  Path writePublicKey(Path dir) throws IOException {
    Path file = dir.resolve(id + ".pub");
    Files.writeString(
        file,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n",
        StandardCharsets.US_ASCII);
    return file;
  }

  /** The next report (sequence one higher than the last), observed now, as a JSON body. */
  byte[] next(String ipv4, long observedAtMillis) {
    sequence++;
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
    String signature;
    try {
      signer.update(canonical.getBytes(StandardCharsets.UTF_8));
      signature = Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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

  long sequence() {
    return sequence;
  }
}
