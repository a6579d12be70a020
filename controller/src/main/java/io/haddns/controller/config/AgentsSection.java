package io.haddns.controller.config;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code agents} section: each agent's Ed25519 public key (X.509 SubjectPublicKeyInfo
 * PEM, RFC 8410) and the lines it may report, each of which must name it in {@code address: {
 * agent: <id> }}.
 */
final class AgentsSection {
  /** Agent ids and dyndns2 user names (docs/agent-protocol.md): at most 63 characters. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----", Pattern.DOTALL);

  private final Map<String, Optional<LineAddress>> lines;
  private final SmallFileReader files;

  AgentsSection(Map<String, Optional<LineAddress>> lines, SmallFileReader files) {
    this.lines = lines;
    this.files = files;
  }

  /**
   * @param ids receives every valid id, even of an agent with other problems
   */
  List<AgentConfig> read(YamlValue value, Map<String, String> ids) {
    List<AgentConfig> agents = new ArrayList<>();
    for (YamlValue item : value.list().orElse(List.of())) {
      Optional<YamlMap> map = item.map();
      if (map.isEmpty()) {
        continue;
      }
      YamlMap m = map.get().allow("id", "publicKeyFile", "lines", "allowPrivate");
      Optional<String> id = m.required("id").flatMap(v -> id(v, ids, "agent id"));
      Optional<SmallFileReader.Content> file = m.required("publicKeyFile").flatMap(files::read);
      Optional<PublicKey> key =
          file.flatMap(f -> publicKey(m.get("publicKeyFile").orElseThrow(), f));
      Optional<List<String>> agentLines =
          id.flatMap(i -> m.required("lines").flatMap(v -> lines(v, i)));
      Optional<Boolean> allowPrivate = allowPrivate(m);
      if (id.isPresent() && key.isPresent() && agentLines.isPresent() && allowPrivate.isPresent()) {
        agents.add(
            new AgentConfig(
                id.get(),
                key.get(),
                file.orElseThrow().file().toString(),
                agentLines.get(),
                allowPrivate.get()));
      }
    }
    return agents;
  }

  /** A reporter's {@code allowPrivate}: false when absent. */
  static Optional<Boolean> allowPrivate(YamlMap m) {
    return m.get("allowPrivate").map(YamlValue::bool).orElse(Optional.of(false));
  }

  /** Reads an id unique across agents and dyndns2 users, which share one namespace. */
  static Optional<String> id(YamlValue value, Map<String, String> ids, String what) {
    Optional<String> id = value.string();
    if (id.isEmpty()) {
      return id;
    }
    if (!ID.matcher(id.get()).matches()) {
      value.problem(
          "an "
              + what
              + " must be 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or"
              + " digit");
      return Optional.empty();
    }
    String first = ids.putIfAbsent(id.get(), value.path());
    if (first != null) {
      value.problem(
          "already used at " + first + " (agent ids and dyndns2 user names share one namespace)");
      return Optional.empty();
    }
    return id;
  }

  private static Optional<PublicKey> publicKey(YamlValue value, SmallFileReader.Content file) {
    Matcher pem = PEM.matcher(new String(file.bytes(), StandardCharsets.US_ASCII));
    String problem =
        "does not hold an Ed25519 public key in PEM ('-----BEGIN PUBLIC KEY-----', as written by"
            + " 'haddns-agent keygen') ("
            + file.file()
            + ")";
    if (!pem.find()) {
      value.problem(problem);
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.group(1).replaceAll("\\s", ""));
      return Optional.of(
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      value.problem(problem);
      return Optional.empty();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519 (Java 15+ always has it)", e);
    }
  }

  private Optional<List<String>> lines(YamlValue value, String id) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      value.problem("must list at least one line");
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<String> line = item.string();
      Optional<String> problem = line.flatMap(l -> lineProblem(l, id));
      problem.ifPresent(item::problem);
      if (line.isEmpty() || problem.isPresent()) {
        ok = false;
      } else if (!names.add(line.get())) {
        item.problem("line listed twice");
        ok = false;
      }
    }
    return ok ? Optional.of(List.copyOf(names)) : Optional.empty();
  }

  /** Why {@code reporter} may not report {@code line}, if it may not. */
  Optional<String> lineProblem(String line, String reporter) {
    if (!lines.containsKey(line)) {
      return Optional.of(
          KeySuggestion.closest(line, lines.keySet())
              .map(s -> "unknown line; did you mean '" + s + "'?")
              .orElse("unknown line; configured lines: " + String.join(", ", lines.keySet())));
    }
    return switch (lines.get(line).orElse(null)) {
      case LineAddress.Agent a when a.agentId().equals(reporter) -> Optional.empty();
      case LineAddress.Agent a ->
          Optional.of(
              "line '" + line + "' is reported by '" + a.agentId() + "', not '" + reporter + "'");
      case LineAddress.Static s ->
          Optional.of(
              "line '"
                  + line
                  + "' has static addresses; give it address: { agent: "
                  + reporter
                  + " }");
      // The line's own address is invalid and already reported.
      case null -> Optional.empty();
    };
  }

  static Map<String, String> newIds() {
    return new LinkedHashMap<>();
  }
}
