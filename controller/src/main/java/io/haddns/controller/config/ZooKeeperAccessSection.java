package io.haddns.controller.config;

import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code cluster.zookeeperAuth} and {@code cluster.zookeeperTls}. */
final class ZooKeeperAccessSection {
  static final String DEFAULT_LOGIN_CONTEXT = "Client";

  private final SecretReader secrets;
  private final Path baseDir;

  ZooKeeperAccessSection(SecretReader secrets, Path baseDir) {
    this.secrets = secrets;
    this.baseDir = baseDir;
  }

  /**
   * The access of an external ensemble; empty after a problem. A missing {@code zookeeperAuth} is a
   * problem: an ensemble without authentication must be chosen explicitly ({@code scheme: none}).
   */
  Optional<ZooKeeperAccess> read(YamlMap cluster) {
    Optional<YamlValue> authValue = cluster.get("zookeeperAuth");
    if (authValue.isEmpty()) {
      cluster.missing(
          "zookeeperAuth",
          "is required with cluster.zookeeper: { scheme: digest, user: …, secretFile: … } or"
              + " { scheme: sasl, principal: … }; { scheme: none } leaves haddns's tree writable"
              + " by anyone who can reach ZooKeeper");
      return Optional.empty();
    }
    Optional<YamlMap> section = authValue.get().map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map =
        section
            .get()
            .allow(
                "scheme",
                "user",
                "secretFile",
                "principal",
                "loginContext",
                "jaasFile",
                "migrateAcl");
    Optional<Boolean> migrate =
        map.get("migrateAcl").map(YamlValue::bool).orElse(Optional.of(false));
    Optional<ZooKeeperAccess.Auth> auth =
        map.required("scheme")
            .flatMap(
                v ->
                    v.string()
                        .flatMap(
                            s ->
                                switch (s) {
                                  case "digest" -> digest(map);
                                  case "sasl" -> sasl(map);
                                  case "none" -> none(map);
                                  default -> {
                                    v.problem("must be digest, sasl or none");
                                    yield Optional.empty();
                                  }
                                }));
    Optional<Optional<ZooKeeperAccess.Tls>> tls =
        cluster.get("zookeeperTls").map(this::tls).orElse(Optional.of(Optional.empty()));
    if (auth.isEmpty() || migrate.isEmpty() || tls.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ZooKeeperAccess(auth.get(), migrate.get(), tls.get()));
  }

  private Optional<ZooKeeperAccess.Auth> digest(YamlMap map) {
    notFor(map, "digest", "principal", "loginContext", "jaasFile");
    Optional<String> user = map.required("user").flatMap(v -> v.string().filter(u -> user(v, u)));
    Optional<Secret> secret = map.required("secretFile").flatMap(secrets::textFromFile);
    if (user.isEmpty() || secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ZooKeeperAccess.Auth.Digest(user.get(), secret.get()));
  }

  private static boolean user(YamlValue v, String user) {
    if (user.isEmpty()
        || user.indexOf(':') >= 0
        || user.chars().anyMatch(Character::isWhitespace)) {
      v.problem("must be a non-empty name without ':' or spaces");
      return false;
    }
    return true;
  }

  private Optional<ZooKeeperAccess.Auth> sasl(YamlMap map) {
    notFor(map, "sasl", "user", "secretFile");
    Optional<String> principal =
        map.required("principal").flatMap(YamlValue::string).filter(p -> !p.isBlank());
    Optional<String> context =
        map.get("loginContext").map(YamlValue::string).orElse(Optional.of(DEFAULT_LOGIN_CONTEXT));
    Optional<Optional<Path>> jaas = optionalPath(map, "jaasFile");
    if (principal.isEmpty() || context.isEmpty() || jaas.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ZooKeeperAccess.Auth.Sasl(principal.get(), context.get(), jaas.get()));
  }

  private static Optional<ZooKeeperAccess.Auth> none(YamlMap map) {
    notFor(map, "none", "user", "secretFile", "principal", "loginContext", "jaasFile");
    Optional<YamlValue> migrate =
        map.get("migrateAcl").filter(v -> v.node().isBoolean() && v.node().booleanValue());
    if (migrate.isPresent()) {
      migrate.get().problem("needs an authentication scheme (digest or sasl)");
      return Optional.empty();
    }
    return Optional.of(new ZooKeeperAccess.Auth.None());
  }

  private static void notFor(YamlMap map, String scheme, String... keys) {
    for (String key : keys) {
      map.get(key).ifPresent(v -> v.problemHidingValue("does not apply to scheme " + scheme));
    }
  }

  private Optional<Optional<ZooKeeperAccess.Tls>> tls(YamlValue value) {
    Optional<YamlMap> section = value.map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map =
        section
            .get()
            .allow(
                "keyStore",
                "keyStorePasswordFile",
                "trustStore",
                "trustStorePasswordFile",
                "hostnameVerification");
    Optional<Optional<Path>> keyStore = optionalPath(map, "keyStore");
    Optional<Optional<Path>> trustStore = optionalPath(map, "trustStore");
    Optional<Optional<Secret>> keyPassword = optionalSecret(map, "keyStorePasswordFile");
    Optional<Optional<Secret>> trustPassword = optionalSecret(map, "trustStorePasswordFile");
    Optional<Boolean> verify =
        map.get("hostnameVerification").map(YamlValue::bool).orElse(Optional.of(true));
    if (keyStore.isEmpty()
        || trustStore.isEmpty()
        || keyPassword.isEmpty()
        || trustPassword.isEmpty()
        || verify.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Optional.of(
            new ZooKeeperAccess.Tls(
                keyStore.get(),
                keyPassword.get(),
                trustStore.get(),
                trustPassword.get(),
                verify.get())));
  }

  private Optional<Optional<Path>> optionalPath(YamlMap map, String key) {
    return map.get(key)
        .map(v -> v.string().flatMap(s -> path(v, s)).map(Optional::of))
        .orElse(Optional.of(Optional.empty()));
  }

  private Optional<Optional<Secret>> optionalSecret(YamlMap map, String key) {
    return map.get(key)
        .map(v -> secrets.textFromFile(v).map(Optional::of))
        .orElse(Optional.of(Optional.empty()));
  }

  private Optional<Path> path(YamlValue value, String text) {
    return ClusterSection.path(value, text).map(p -> baseDir.resolve(p).normalize());
  }
}
