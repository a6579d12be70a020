package io.haddns.controller.gateway;

import io.haddns.controller.config.AgentConfig;
import io.haddns.controller.net.IpLiteral;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

/**
 * An agent with a fixed Ed25519 key (derived from a seeded SHA1PRNG, so every run signs the same
 * bytes), producing report bodies as docs/agent-protocol.md describes.
 */
final class TestAgent {
  final String id;
  final KeyPair keys;

  TestAgent(String id, long seed) {
    this.id = id;
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, random);
      this.keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The agent's configuration: its lines admit globally reachable addresses only. */
  AgentConfig config(List<String> lines) {
    return config(lines, false);
  }

  /**
   * The agent's configuration; with {@code allowPrivate} its lines also admit private addresses,
   * among them the documentation ranges (RFC 5737, RFC 3849) the tests report.
   */
  AgentConfig config(List<String> lines, boolean allowPrivate) {
    return new AgentConfig(id, keys.getPublic(), "test:" + id + ".pub", lines, allowPrivate);
  }

  String sign(String canonical) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signed body; {@code addresses} are written as given and signed in canonical order. */
  String body(String line, String family, List<String> addresses, long observedAt, long sequence) {
    String canonical =
        "haddns-report-v1\n"
            + id
            + "\n"
            + line
            + "\n"
            + family
            + "\n"
            + String.join(",", canonicalSorted(addresses))
            + "\n"
            + observedAt
            + "\n"
            + sequence
            + "\n";
    return json(line, family, addresses, observedAt, sequence, sign(canonical));
  }

  String json(
      String line,
      String family,
      List<String> addresses,
      long observedAt,
      long sequence,
      String signature) {
    return "{\"agent\":\""
        + id
        + "\",\"line\":\""
        + line
        + "\",\"family\":\""
        + family
        + "\",\"addresses\":["
        + String.join(",", addresses.stream().map(a -> "\"" + a + "\"").toList())
        + "],\"observedAt\":"
        + observedAt
        + ",\"sequence\":"
        + sequence
        + ",\"signature\":\""
        + signature
        + "\"}";
  }

  private static List<String> canonicalSorted(List<String> addresses) {
    return addresses.stream()
        .map(a -> IpLiteral.parse(a).orElseThrow())
        .sorted(CanonicalForm::compare)
        .map(IpLiteral::canonical)
        .toList();
  }
}
