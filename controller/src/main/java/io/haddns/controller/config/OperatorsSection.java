package io.haddns.controller.config;

import com.nimbusds.jose.jwk.JWKSet;
import io.haddns.controller.dns.DnsNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the optional {@code operators} section: tokens (as SHA-256 hashes), a JWT issuer, TLS and
 * client certificates for the admin port. A token's update scope names a line reported under the
 * token's name ({@code address: { agent: <name> }}) and records of that line, as a dyndns2
 * credential does.
 */
final class OperatorsSection {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final AgentsSection lineRules;
  private final List<RecordConfig> records;
  private final SmallFileReader files;

  OperatorsSection(AgentsSection lineRules, List<RecordConfig> records, SmallFileReader files) {
    this.lineRules = lineRules;
    this.records = records;
    this.files = files;
  }

  Optional<OperatorsConfig> read(YamlValue value) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m =
        map.get().allow("tokens", "tokensFile", "jwt", "tls", "metricsRequireToken", "failures");
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    Optional<List<OperatorsConfig.Token>> inline =
        m.get("tokens").map(v -> tokens(v, names, hashes)).orElse(Optional.of(List.of()));
    Optional<List<OperatorsConfig.Token>> fromFile =
        m.get("tokensFile").map(v -> tokensFile(v, names, hashes)).orElse(Optional.of(List.of()));
    Optional<List<OperatorsConfig.Token>> tokens =
        inline.isPresent() && fromFile.isPresent()
            ? Optional.of(
                java.util.stream.Stream.concat(inline.get().stream(), fromFile.get().stream())
                    .toList())
            : Optional.empty();
    Optional<Optional<OperatorsConfig.Jwt>> jwt =
        m.get("jwt").map(v -> jwt(v).map(Optional::of)).orElse(Optional.of(Optional.empty()));
    Optional<Optional<OperatorsConfig.Tls>> tls =
        m.get("tls").map(v -> tls(v).map(Optional::of)).orElse(Optional.of(Optional.empty()));
    Optional<Boolean> metrics =
        m.get("metricsRequireToken").map(YamlValue::bool).orElse(Optional.of(false));
    Optional<YamlMap> failures = m.get("failures").flatMap(YamlValue::map);
    boolean failuresOk = m.get("failures").map(v -> failures.isPresent()).orElse(true);
    failures.ifPresent(f -> f.allow("perSourcePerMinute"));
    Optional<Integer> perMinute =
        failures
            .flatMap(f -> f.get("perSourcePerMinute"))
            .map(v -> v.integer(1, 100_000))
            .orElse(Optional.of(OperatorsConfig.DEFAULT_MAX_FAILURES_PER_MINUTE));
    if (tokens.isEmpty()
        || jwt.isEmpty()
        || tls.isEmpty()
        || metrics.isEmpty()
        || !failuresOk
        || perMinute.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new OperatorsConfig(tokens.get(), jwt.get(), tls.get(), metrics.get(), perMinute.get()));
  }

  /**
   * {@code tokensFile}: a YAML file holding a list of token entries like {@code tokens}, so tokens
   * can be managed apart from the rest of the configuration (a Kubernetes secret, a config
   * management template). Problems name the file and the entry, never a value.
   */
  private Optional<List<OperatorsConfig.Token>> tokensFile(
      YamlValue value, Set<String> names, Set<String> hashes) {
    Optional<SmallFileReader.Content> content = files.read(value);
    if (content.isEmpty()) {
      return Optional.empty();
    }
    Optional<com.fasterxml.jackson.databind.JsonNode> tree;
    try {
      tree =
          new YamlTreeReader()
              .read(new String(content.get().bytes(), StandardCharsets.UTF_8), value.problems());
    } catch (YamlTreeReader.SyntaxException e) {
      value.problem("is not YAML (" + content.get().file() + "): " + e.getMessage());
      return Optional.empty();
    }
    if (tree.isEmpty()) {
      return Optional.of(List.of());
    }
    return tokens(
        new YamlValue(
            value.path() + "(" + content.get().file() + ")", tree.get(), value.problems()),
        names,
        hashes);
  }

  private Optional<List<OperatorsConfig.Token>> tokens(
      YamlValue value, Set<String> names, Set<String> hashes) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<OperatorsConfig.Token> out = new java.util.ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<YamlMap> map = item.map();
      if (map.isEmpty()) {
        ok = false;
        continue;
      }
      YamlMap m = map.get().refuse("token", TOKEN_INLINE).allow("name", "role", "sha256", "scope");
      Optional<String> name = m.required("name").flatMap(v -> name(v, names));
      Optional<OperatorRole> role = m.required("role").flatMap(OperatorsSection::role);
      Optional<String> sha256 =
          m.required("sha256")
              .flatMap(
                  v ->
                      v.string()
                          .filter(
                              h -> {
                                if (!SHA256.matcher(h).matches()) {
                                  v.problemHidingValue(
                                      "must be 64 lowercase hex digits, the SHA-256 that 'haddns"
                                          + " ctl token create' prints");
                                  return false;
                                }
                                if (!hashes.add(h)) {
                                  v.problemHidingValue("the same token is configured twice");
                                  return false;
                                }
                                return true;
                              }));
      Optional<Optional<OperatorsConfig.UpdateScope>> scope =
          m.get("scope")
              .map(v -> name.flatMap(n -> scope(v, n)).map(Optional::of))
              .orElse(Optional.of(Optional.empty()));
      if (m.has("token")
          || name.isEmpty()
          || role.isEmpty()
          || sha256.isEmpty()
          || scope.isEmpty()) {
        ok = false;
        continue;
      }
      out.add(new OperatorsConfig.Token(name.get(), role.get(), sha256.get(), scope.get()));
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  private static final String TOKEN_INLINE =
      "a token is never written in the configuration: put its SHA-256 under 'sha256' ('haddns ctl"
          + " token create' prints the line)";

  private static Optional<String> name(YamlValue value, Set<String> seen) {
    return value
        .string()
        .filter(
            n -> {
              if (!NAME.matcher(n).matches()) {
                value.problem(
                    "a credential name must be 1 to 64 letters, digits, '_', '.', '@' or '-'");
                return false;
              }
              if (!seen.add(n)) {
                value.problem("name used twice");
                return false;
              }
              return true;
            });
  }

  private static Optional<OperatorRole> role(YamlValue value) {
    return value
        .string()
        .flatMap(
            r -> {
              Optional<OperatorRole> role = OperatorRole.parse(r);
              if (role.isEmpty()) {
                value.problem("must be one of viewer, operator, admin");
              }
              return role;
            });
  }

  private Optional<OperatorsConfig.UpdateScope> scope(YamlValue value, String tokenName) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get().allow("line", "hostnames");
    Optional<String> line =
        m.required("line")
            .flatMap(
                v ->
                    v.string()
                        .filter(
                            l -> {
                              Optional<String> problem = lineRules.lineProblem(l, tokenName);
                              problem.ifPresent(v::problem);
                              return problem.isEmpty();
                            }));
    Optional<Set<String>> hostnames =
        line.flatMap(l -> m.required("hostnames").flatMap(v -> hostnames(v, l)));
    if (line.isEmpty() || hostnames.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new OperatorsConfig.UpdateScope(line.get(), hostnames.get()));
  }

  private Optional<Set<String>> hostnames(YamlValue value, String line) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      value.problem("must list at least one host name");
      return Optional.empty();
    }
    Set<String> out = new LinkedHashSet<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<String> name = item.string().map(DnsNames::canonical);
      if (name.isEmpty()) {
        ok = false;
        continue;
      }
      boolean served =
          records.stream()
              .anyMatch(r -> r.key().name().equals(name.get()) && r.lines().contains(line));
      if (!served) {
        item.problem(
            "is not a configured record of line '"
                + line
                + "'; list it under records with lines: ["
                + line
                + "]");
        ok = false;
      } else {
        out.add(name.get());
      }
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  private Optional<OperatorsConfig.Jwt> jwt(YamlValue value) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m =
        map.get().allow("issuer", "audience", "jwksFile", "roleClaim", "nameClaim", "clockSkew");
    Optional<String> issuer = m.required("issuer").flatMap(YamlValue::string);
    Optional<String> audience = m.required("audience").flatMap(YamlValue::string);
    Optional<JWKSet> keys = m.required("jwksFile").flatMap(this::jwks);
    Optional<String> roleClaim =
        m.get("roleClaim")
            .map(YamlValue::string)
            .orElse(Optional.of(OperatorsConfig.Jwt.DEFAULT_ROLE_CLAIM));
    Optional<String> nameClaim =
        m.get("nameClaim")
            .map(YamlValue::string)
            .orElse(Optional.of(OperatorsConfig.Jwt.DEFAULT_NAME_CLAIM));
    Optional<Duration> skew =
        m.get("clockSkew")
            .map(v -> v.duration(Duration.ofMillis(1), Duration.ofMinutes(10)))
            .orElse(Optional.of(OperatorsConfig.Jwt.DEFAULT_CLOCK_SKEW));
    if (issuer.isEmpty()
        || audience.isEmpty()
        || keys.isEmpty()
        || roleClaim.isEmpty()
        || nameClaim.isEmpty()
        || skew.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new OperatorsConfig.Jwt(
            issuer.get(),
            audience.get(),
            keys.get(),
            roleClaim.get(),
            nameClaim.get(),
            skew.get()));
  }

  private Optional<JWKSet> jwks(YamlValue value) {
    return files
        .read(value)
        .flatMap(
            f -> {
              try {
                JWKSet set = JWKSet.parse(new String(f.bytes(), StandardCharsets.UTF_8));
                if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                  value.problem(
                      "holds a private key; give only the public keys (" + f.file() + ")");
                  return Optional.empty();
                }
                if (set.getKeys().isEmpty()) {
                  value.problem("holds no keys (" + f.file() + ")");
                  return Optional.empty();
                }
                return Optional.of(set);
              } catch (ParseException e) {
                value.problem("is not a JWK set (RFC 7517) (" + f.file() + ")");
                return Optional.empty();
              }
            });
  }

  private Optional<OperatorsConfig.Tls> tls(YamlValue value) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get().allow("certificateFile", "keyFile", "clientCaFile", "clients");
    Optional<Path> cert =
        m.required("certificateFile")
            .flatMap(
                v ->
                    files
                        .read(v)
                        .filter(
                            c ->
                                NodeSection.pem(
                                    v, c, NodeSection.CERTIFICATE, NodeSection.CERTIFICATE_RULE)))
            .map(SmallFileReader.Content::file);
    Optional<Path> key =
        m.required("keyFile")
            .flatMap(
                v ->
                    files
                        .read(v)
                        .filter(
                            c -> NodeSection.pem(v, c, NodeSection.PKCS8, NodeSection.KEY_RULE)))
            .map(SmallFileReader.Content::file);
    Optional<Optional<Path>> ca =
        NodeSection.optionalCertificates(
            m, "clientCaFile", files, "must be a PEM CA certificate (-----BEGIN CERTIFICATE-----)");
    Optional<Map<String, OperatorRole>> clients =
        m.get("clients").map(this::clients).orElse(Optional.of(Map.of()));
    if (clients.isPresent() && !clients.get().isEmpty() && ca.isPresent() && ca.get().isEmpty()) {
      m.missing(
          "clientCaFile", "is required with clients: it is the CA that signs their certificates");
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty() || ca.isEmpty() || clients.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new OperatorsConfig.Tls(cert.get(), key.get(), ca.get(), clients.get()));
  }

  private Optional<Map<String, OperatorRole>> clients(YamlValue value) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    Map<String, OperatorRole> out = new LinkedHashMap<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<YamlMap> map = item.map();
      if (map.isEmpty()) {
        ok = false;
        continue;
      }
      YamlMap m = map.get().allow("subject", "role");
      Optional<String> subject = m.required("subject").flatMap(YamlValue::string);
      Optional<OperatorRole> role = m.required("role").flatMap(OperatorsSection::role);
      if (subject.isEmpty() || role.isEmpty()) {
        ok = false;
      } else if (out.putIfAbsent(subject.get(), role.get()) != null) {
        item.problem("subject listed twice");
        ok = false;
      }
    }
    return ok ? Optional.of(out) : Optional.empty();
  }
}
