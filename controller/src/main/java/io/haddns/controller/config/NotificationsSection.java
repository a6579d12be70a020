package io.haddns.controller.config;

import io.haddns.controller.notify.EventKind;
import io.haddns.controller.notify.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the optional {@code notifications} section (docs/notifications.md). Credentials and token
 * URLs come only from files or environment variables; a problem names where they came from, never
 * their content.
 */
final class NotificationsSection {
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private final SecretReader secrets;
  private final SmallFileReader files;

  NotificationsSection(SecretReader secrets, SmallFileReader files) {
    this.secrets = secrets;
    this.files = files;
  }

  Optional<NotificationsConfig> read(YamlValue value) {
    Optional<YamlMap> section = value.map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m =
        section
            .get()
            .allow(
                "receivers",
                "routes",
                "maxAttempts",
                "minBackoff",
                "maxBackoff",
                "pollInterval",
                "maxDeadLetters",
                "gatewayAbuse");
    List<ReceiverConfig> receivers = new ArrayList<>();
    boolean ok = true;
    Set<String> names = new HashSet<>();
    for (YamlValue item : m.get("receivers").flatMap(YamlValue::list).orElse(List.of())) {
      Optional<ReceiverConfig> r = item.map().flatMap(this::receiver);
      if (r.isEmpty()) {
        ok = false;
      } else if (!names.add(r.get().name())) {
        item.problemHidingValue("receiver name " + r.get().name() + " is used twice");
        ok = false;
      } else {
        receivers.add(r.get());
      }
    }
    List<RouteConfig> routes = new ArrayList<>();
    Optional<List<YamlValue>> routeItems = m.get("routes").flatMap(YamlValue::list);
    for (YamlValue item : routeItems.orElse(List.of())) {
      Optional<RouteConfig> r = item.map().flatMap(map -> route(map, names));
      ok &= r.isPresent();
      r.ifPresent(routes::add);
    }
    if (m.get("routes").isEmpty() && !receivers.isEmpty()) {
      routes.add(
          new RouteConfig(
              receivers.stream().map(ReceiverConfig::name).toList(),
              Set.of(),
              Severity.INFO,
              RouteConfig.DEFAULT_GROUP_INTERVAL));
    }
    Optional<Integer> maxAttempts =
        m.get("maxAttempts")
            .map(v -> v.integer(1, 1000))
            .orElse(Optional.of(NotificationsConfig.DEFAULT_MAX_ATTEMPTS));
    Optional<Duration> minBackoff =
        duration(m, "minBackoff", Duration.ofMillis(10), NotificationsConfig.DEFAULT_MIN_BACKOFF);
    Optional<Duration> maxBackoff =
        duration(m, "maxBackoff", Duration.ofMillis(10), NotificationsConfig.DEFAULT_MAX_BACKOFF);
    Optional<Duration> poll =
        duration(
            m, "pollInterval", Duration.ofMillis(10), NotificationsConfig.DEFAULT_POLL_INTERVAL);
    Optional<Integer> maxDead =
        m.get("maxDeadLetters")
            .map(v -> v.integer(1, 100_000))
            .orElse(Optional.of(NotificationsConfig.DEFAULT_MAX_DEAD_LETTERS));
    Optional<GatewayAbuseConfig> abuse =
        m.get("gatewayAbuse")
            .map(v -> v.map().flatMap(NotificationsSection::gatewayAbuse))
            .orElse(Optional.of(GatewayAbuseConfig.defaults()));
    if (!ok
        || abuse.isEmpty()
        || maxAttempts.isEmpty()
        || minBackoff.isEmpty()
        || maxBackoff.isEmpty()
        || poll.isEmpty()
        || maxDead.isEmpty()) {
      return Optional.empty();
    }
    if (maxBackoff.get().compareTo(minBackoff.get()) < 0) {
      m.get("maxBackoff").orElseThrow().problem("must be at least minBackoff");
      return Optional.empty();
    }
    return Optional.of(
        new NotificationsConfig(
            receivers,
            routes,
            maxAttempts.get(),
            minBackoff.get(),
            maxBackoff.get(),
            poll.get(),
            maxDead.get(),
            abuse.get()));
  }

  private static Optional<GatewayAbuseConfig> gatewayAbuse(YamlMap map) {
    YamlMap m = map.allow("threshold", "window", "publishInterval", "maxSources");
    Optional<Integer> threshold =
        m.get("threshold")
            .map(v -> v.integer(1, 1_000_000))
            .orElse(Optional.of(GatewayAbuseConfig.DEFAULT_THRESHOLD));
    Optional<Duration> window =
        duration(m, "window", Duration.ofSeconds(1), GatewayAbuseConfig.DEFAULT_WINDOW);
    Optional<Duration> publish =
        duration(
            m,
            "publishInterval",
            Duration.ofMillis(100),
            GatewayAbuseConfig.DEFAULT_PUBLISH_INTERVAL);
    Optional<Integer> maxSources =
        m.get("maxSources")
            .map(v -> v.integer(1, 100))
            .orElse(Optional.of(GatewayAbuseConfig.DEFAULT_MAX_SOURCES));
    if (threshold.isEmpty() || window.isEmpty() || publish.isEmpty() || maxSources.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayAbuseConfig(threshold.get(), window.get(), publish.get(), maxSources.get()));
  }

  private Optional<ReceiverConfig> receiver(YamlMap map) {
    Optional<String> name = map.required("name").flatMap(v -> v.string().flatMap(n -> name(v, n)));
    Optional<String> type = map.required("type").flatMap(YamlValue::string);
    if (name.isEmpty() || type.isEmpty()) {
      map.allow(map.keys().toArray(String[]::new));
      return Optional.empty();
    }
    String n = name.get();
    return switch (type.get()) {
      case "webhook" ->
          webhook(n, refuse(map, "secret").allow(keys("url", "secretFile", "secretEnv")));
      case "slack" -> slack(n, refuse(map, "url").allow(keys("urlFile", "urlEnv")));
      case "dingtalk", "feishu" ->
          chatBot(
              n,
              type.get(),
              refuse(refuse(map, "url"), "secret")
                  .allow(keys("urlFile", "urlEnv", "secretFile", "secretEnv")));
      case "email" ->
          email(
              n,
              refuse(map, "password")
                  .allow(
                      keys(
                          "host",
                          "port",
                          "security",
                          "username",
                          "passwordFile",
                          "passwordEnv",
                          "from",
                          "to",
                          "trustCaFile")));
      default -> {
        map.get("type")
            .orElseThrow()
            .problem("unknown receiver type; one of webhook, slack, dingtalk, feishu, email");
        map.allow(map.keys().toArray(String[]::new));
        yield Optional.empty();
      }
    };
  }

  private static String[] keys(String... specific) {
    List<String> all = new ArrayList<>(List.of("name", "type", "timeout"));
    all.addAll(Arrays.asList(specific));
    return all.toArray(String[]::new);
  }

  private static YamlMap refuse(YamlMap m, String key) {
    return m.refuse(
        key,
        "inline credentials are not accepted: put it in a file ("
            + key
            + "File) or an environment variable ("
            + key
            + "Env)");
  }

  private Optional<ReceiverConfig> webhook(String name, YamlMap m) {
    Optional<URI> url =
        m.required("url").flatMap(v -> v.string().flatMap(text -> httpUrl(v, text, text)));
    Optional<Optional<Secret>> secret = optionalSecret(m, "secret");
    Optional<Duration> timeout = timeout(m);
    if (url.isEmpty() || secret.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReceiverConfig.Webhook(name, url.get(), secret.get(), timeout.get()));
  }

  private Optional<ReceiverConfig> slack(String name, YamlMap m) {
    Optional<Secret> url = secretUrl(m);
    Optional<Duration> timeout = timeout(m);
    if (url.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReceiverConfig.Slack(name, url.get(), timeout.get()));
  }

  private Optional<ReceiverConfig> chatBot(String name, String type, YamlMap m) {
    Optional<Secret> url = secretUrl(m);
    Optional<Optional<Secret>> secret = optionalSecret(m, "secret");
    Optional<Duration> timeout = timeout(m);
    if (url.isEmpty() || secret.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        type.equals("dingtalk")
            ? new ReceiverConfig.DingTalk(name, url.get(), secret.get(), timeout.get())
            : new ReceiverConfig.Feishu(name, url.get(), secret.get(), timeout.get()));
  }

  private Optional<ReceiverConfig> email(String name, YamlMap m) {
    Optional<String> host =
        m.required("host").flatMap(v -> v.string().flatMap(h -> nonBlank(v, h)));
    Optional<ReceiverConfig.SmtpSecurity> security =
        m.get("security")
            .map(
                v ->
                    v.string()
                        .flatMap(
                            s ->
                                Arrays.stream(ReceiverConfig.SmtpSecurity.values())
                                    .filter(x -> x.name().toLowerCase(Locale.ROOT).equals(s))
                                    .findFirst()
                                    .or(
                                        () -> {
                                          v.problem("must be one of starttls, tls, none");
                                          return Optional.empty();
                                        })))
            .orElse(Optional.of(ReceiverConfig.SmtpSecurity.STARTTLS));
    Optional<Integer> port =
        m.get("port")
            .map(v -> v.integer(1, 65535))
            .orElse(security.map(s -> s == ReceiverConfig.SmtpSecurity.TLS ? 465 : 587));
    Optional<Optional<String>> username =
        m.get("username")
            .map(v -> v.string().flatMap(u -> nonBlank(v, u)).map(Optional::of))
            .orElse(Optional.of(Optional.empty()));
    Optional<Optional<Secret>> password = optionalSecret(m, "password");
    Optional<String> from = m.required("from").flatMap(v -> v.string().flatMap(f -> address(v, f)));
    Optional<List<String>> to =
        m.required("to")
            .flatMap(
                v ->
                    v.list()
                        .flatMap(
                            items -> {
                              if (items.isEmpty()) {
                                v.problem("needs at least one address");
                                return Optional.empty();
                              }
                              List<String> out = new ArrayList<>();
                              for (YamlValue i : items) {
                                i.string().flatMap(a -> address(i, a)).ifPresent(out::add);
                              }
                              return out.size() == items.size()
                                  ? Optional.of(out)
                                  : Optional.empty();
                            }));
    Optional<Duration> timeout = timeout(m);
    Optional<Optional<Path>> trust =
        NodeSection.optionalCertificates(
            m, "trustCaFile", files, "must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
    if (host.isEmpty()
        || trust.isEmpty()
        || security.isEmpty()
        || port.isEmpty()
        || username.isEmpty()
        || password.isEmpty()
        || from.isEmpty()
        || to.isEmpty()
        || timeout.isEmpty()) {
      return Optional.empty();
    }
    if (username.get().isPresent() != password.get().isPresent()) {
      m.missing(
          username.get().isPresent() ? "passwordFile" : "username",
          "username and password (passwordFile or passwordEnv) go together");
      return Optional.empty();
    }
    return Optional.of(
        new ReceiverConfig.Email(
            name,
            host.get(),
            port.get(),
            security.get(),
            username.get(),
            password.get(),
            from.get(),
            to.get(),
            timeout.get(),
            trust.get()));
  }

  private Optional<RouteConfig> route(YamlMap map, Set<String> receiverNames) {
    YamlMap m = map.allow("receivers", "kinds", "minSeverity", "groupInterval");
    Optional<List<String>> receivers =
        m.required("receivers")
            .flatMap(
                v ->
                    v.list()
                        .flatMap(
                            items -> {
                              List<String> out = new ArrayList<>();
                              for (YamlValue i : items) {
                                Optional<String> r = i.string();
                                if (r.isPresent() && !receiverNames.contains(r.get())) {
                                  i.problem(
                                      "no such receiver; configured: "
                                          + String.join(", ", receiverNames));
                                } else {
                                  r.ifPresent(out::add);
                                }
                              }
                              if (items.isEmpty()) {
                                v.problem("needs at least one receiver");
                              }
                              return out.size() == items.size() && !items.isEmpty()
                                  ? Optional.of(out)
                                  : Optional.empty();
                            }));
    Optional<Set<EventKind>> kinds =
        m.get("kinds")
            .map(
                v ->
                    v.list()
                        .flatMap(
                            items -> {
                              Set<EventKind> out = new HashSet<>();
                              boolean good = true;
                              for (YamlValue i : items) {
                                Optional<EventKind> k =
                                    i.string()
                                        .flatMap(
                                            s ->
                                                EventKind.fromLabel(s)
                                                    .or(
                                                        () -> {
                                                          i.problem(
                                                              "unknown kind; one of "
                                                                  + kindLabels());
                                                          return Optional.empty();
                                                        }));
                                good &= k.isPresent();
                                k.ifPresent(out::add);
                              }
                              return good ? Optional.of(out) : Optional.empty();
                            }))
            .orElse(Optional.of(Set.of()));
    Optional<Severity> min =
        m.get("minSeverity")
            .map(
                v ->
                    v.string()
                        .flatMap(
                            s ->
                                Severity.fromLabel(s)
                                    .or(
                                        () -> {
                                          v.problem("must be one of info, warning, critical");
                                          return Optional.empty();
                                        })))
            .orElse(Optional.of(Severity.INFO));
    // "0s" turns grouping off; durations elsewhere must be positive.
    Optional<Duration> group =
        m.get("groupInterval")
                .filter(v -> v.node().isTextual() && v.written().strip().equals("0s"))
                .isPresent()
            ? Optional.of(Duration.ZERO)
            : duration(
                m, "groupInterval", Duration.ofSeconds(1), RouteConfig.DEFAULT_GROUP_INTERVAL);
    if (receivers.isEmpty() || kinds.isEmpty() || min.isEmpty() || group.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RouteConfig(receivers.get(), kinds.get(), min.get(), group.get()));
  }

  private static String kindLabels() {
    return Arrays.stream(EventKind.values())
        .filter(k -> k != EventKind.TEST)
        .map(EventKind::label)
        .collect(Collectors.joining(", "));
  }

  /** A URL that carries its receiver's token: from {@code urlFile} or {@code urlEnv} only. */
  private Optional<Secret> secretUrl(YamlMap m) {
    Optional<Optional<Secret>> read = optionalSecret(m, "url");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    if (read.get().isEmpty()) {
      m.missing("urlFile", "is required (or urlEnv): the webhook URL holds the receiver's token");
      return Optional.empty();
    }
    Secret url = read.get().get();
    YamlValue source = m.get("urlFile").or(() -> m.get("urlEnv")).orElseThrow();
    String text = new String(url.value(), StandardCharsets.UTF_8);
    return httpUrl(source, text, "the URL in " + url.source()).map(u -> url);
  }

  /** At most one of {@code <name>File} and {@code <name>Env}; empty inside when neither. */
  private Optional<Optional<Secret>> optionalSecret(YamlMap m, String name) {
    String file = name + "File";
    String env = name + "Env";
    if (m.has(file) && m.has(env)) {
      m.get(env)
          .orElseThrow()
          .problemHidingValue("holds both " + file + " and " + env + "; keep one");
      return Optional.empty();
    }
    if (m.has(file)) {
      return m.get(file).flatMap(secrets::textFromFile).map(Optional::of);
    }
    if (m.has(env)) {
      return m.get(env).flatMap(secrets::textFromEnv).map(Optional::of);
    }
    return Optional.of(Optional.empty());
  }

  /**
   * An http or https URL with a host. {@code shown} is what a problem names: the URL itself when
   * written inline, only its source when it came from a secret.
   */
  private static Optional<URI> httpUrl(YamlValue v, String text, String shown) {
    String reason;
    try {
      URI uri = new URI(text.strip());
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getUserInfo() == null) {
        return Optional.of(uri);
      }
      reason = "must be an http or https URL with a host and without user info";
    } catch (URISyntaxException e) {
      reason = "is not a URL: " + e.getReason();
    }
    if (shown.equals(text)) {
      v.problem(reason);
    } else {
      v.problemHidingValue(shown + " " + reason);
    }
    return Optional.empty();
  }

  private static Optional<String> name(YamlValue v, String n) {
    if (!LinesSection.NAME.matcher(n).matches()) {
      v.problem("a receiver name is letters, digits, '_', '.' and '-'");
      return Optional.empty();
    }
    return Optional.of(n);
  }

  private static Optional<String> nonBlank(YamlValue v, String text) {
    if (text.isBlank()) {
      v.problem("must not be empty");
      return Optional.empty();
    }
    return Optional.of(text.strip());
  }

  private static Optional<String> address(YamlValue v, String text) {
    if (!ADDRESS.matcher(text.strip()).matches()) {
      v.problem("is not a mail address");
      return Optional.empty();
    }
    return Optional.of(text.strip());
  }

  private static Optional<Duration> timeout(YamlMap m) {
    return m.get("timeout")
        .map(v -> v.duration(Duration.ofMillis(1), MAX_TIMEOUT))
        .orElse(Optional.of(ReceiverConfig.DEFAULT_TIMEOUT));
  }

  private static Optional<Duration> duration(
      YamlMap m, String key, Duration min, Duration defaultValue) {
    return m.get(key)
        .map(v -> v.duration(min, Duration.ofDays(1)))
        .orElse(Optional.of(defaultValue));
  }
}
