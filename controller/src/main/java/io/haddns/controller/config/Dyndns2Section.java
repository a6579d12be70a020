package io.haddns.controller.config;

import io.haddns.controller.dns.DnsNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code dyndns2} section: credentials for the dyndns2 endpoint. A credential's line must
 * name it as its reporter ({@code address: { agent: <username> }}), and each of its host names must
 * be a configured record that uses that line.
 */
final class Dyndns2Section {
  /** dyndns2 clients may name at most 20 host names per update ({@code numhost} above). */
  static final int MAX_HOSTNAMES = 20;

  private final AgentsSection lineRules;
  private final List<RecordConfig> records;
  private final SmallFileReader files;

  Dyndns2Section(AgentsSection lineRules, List<RecordConfig> records, SmallFileReader files) {
    this.lineRules = lineRules;
    this.records = records;
    this.files = files;
  }

  List<Dyndns2Config> read(YamlValue value, Map<String, String> ids) {
    List<Dyndns2Config> credentials = new ArrayList<>();
    for (YamlValue item : value.list().orElse(List.of())) {
      Optional<YamlMap> map = item.map();
      if (map.isEmpty()) {
        continue;
      }
      YamlMap m =
          map.get().allow("username", "passwordHashFile", "hostnames", "line", "allowPrivate");
      Optional<String> username =
          m.required("username").flatMap(v -> AgentsSection.id(v, ids, "dyndns2 user name"));
      Optional<PasswordHash> hash = m.required("passwordHashFile").flatMap(this::hash);
      Optional<String> line =
          m.required("line")
              .flatMap(
                  v ->
                      v.string()
                          .flatMap(
                              l -> {
                                Optional<String> problem =
                                    username.flatMap(u -> lineRules.lineProblem(l, u));
                                problem.ifPresent(v::problem);
                                return problem.isPresent() ? Optional.empty() : Optional.of(l);
                              }));
      Optional<List<String>> hostnames =
          line.flatMap(l -> m.required("hostnames").flatMap(v -> hostnames(v, l)));
      Optional<Boolean> allowPrivate = AgentsSection.allowPrivate(m);
      if (username.isPresent()
          && hash.isPresent()
          && line.isPresent()
          && hostnames.isPresent()
          && allowPrivate.isPresent()) {
        credentials.add(
            new Dyndns2Config(
                username.get(), hash.get(), hostnames.get(), line.get(), allowPrivate.get()));
      }
    }
    return credentials;
  }

  private Optional<PasswordHash> hash(YamlValue value) {
    return files
        .read(value)
        .flatMap(
            f -> {
              String text = new String(f.bytes(), StandardCharsets.US_ASCII).strip();
              try {
                return Optional.of(
                    new PasswordHash(text.getBytes(StandardCharsets.US_ASCII), "file " + f.file()));
              } catch (IllegalArgumentException e) {
                // Never echo the content: it might be the password itself.
                value.problem(
                    "does not hold a bcrypt hash (e.g. from 'htpasswd -nbB user pass', the part"
                        + " after ':') ("
                        + f.file()
                        + ")");
                return Optional.empty();
              }
            });
  }

  private Optional<List<String>> hostnames(YamlValue value, String line) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty() || items.get().size() > MAX_HOSTNAMES) {
      value.problem("must list 1 to " + MAX_HOSTNAMES + " host names");
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<String> written = item.string();
      if (written.isEmpty()) {
        ok = false;
        continue;
      }
      Optional<String> syntax = DnsNameSyntax.ownerNameProblem(written.get(), true);
      if (syntax.isPresent()) {
        item.problem(syntax.get());
        ok = false;
        continue;
      }
      String name = DnsNames.canonical(written.get());
      List<RecordConfig> named = records.stream().filter(r -> r.key().name().equals(name)).toList();
      if (named.isEmpty()) {
        item.problem(
            "is not a configured record; list it under records with lines: [" + line + "]");
        ok = false;
      } else if (named.stream().noneMatch(r -> r.lines().contains(line))) {
        item.problem("record " + name + " does not use line '" + line + "'");
        ok = false;
      } else if (!names.add(name)) {
        item.problem("host name listed twice");
        ok = false;
      }
    }
    return ok ? Optional.of(List.copyOf(names)) : Optional.empty();
  }
}
