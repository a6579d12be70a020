package io.haddns.controller.config;

import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.netty.TransportPreference;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads the optional {@code node} section and settles the node id: {@code HADDNS_NODE_ID} from the
 * environment, else {@code node.id}, else {@code HOSTNAME}, else the local host name.
 */
final class NodeSection {
  static final String NODE_ID_ENV = "HADDNS_NODE_ID";
  static final String HTTP_ADVERTISE_ENV = "HADDNS_HTTP_ADVERTISE";
  private static final String ADVERTISE_RULE =
      "must be the specific IP address other nodes reach this node's admin server at (not a"
          + " wildcard)";
  static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  private static final int MAX_PER_MINUTE = 100_000_000;
  private static final int MAX_CONNECTIONS = 1_000_000;
  static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  static final String PKCS8 = "-----BEGIN PRIVATE KEY-----";
  static final String CERTIFICATE_RULE =
      "must be a PEM certificate chain (-----BEGIN CERTIFICATE-----), the server's first";
  static final String KEY_RULE =
      "must be an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert one with"
          + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,252}");
  private static final String ID_RULE =
      "a node id must be 1 to 253 letters, digits, '_', '.' or '-', starting with a letter or digit";

  private final Map<String, String> environment;
  private final Supplier<Optional<String>> localHostName;
  private final SmallFileReader files;

  NodeSection(
      Map<String, String> environment,
      Supplier<Optional<String>> localHostName,
      SmallFileReader files) {
    this.environment = environment;
    this.localHostName = localHostName;
    this.files = files;
  }

  Optional<NodeConfig> read(Optional<YamlValue> value, Problems problems) {
    Optional<YamlMap> map = value.flatMap(YamlValue::map);
    map.ifPresent(
        m -> m.allow("id", "http", "dns", "gateway", "descriptors", "transport", "tcpProbes"));
    Optional<YamlValue> idValue = map.flatMap(m -> m.get("id"));
    boolean idOk =
        idValue.map(v -> v.string().filter(id -> validId(v, id)).isPresent()).orElse(true);
    Optional<YamlMap> http = map.flatMap(m -> m.get("http")).flatMap(YamlValue::map);
    boolean httpOk = map.flatMap(m -> m.get("http")).map(v -> http.isPresent()).orElse(true);
    http.ifPresent(h -> h.allow("host", "port", "advertise", "connections", "timeouts"));
    Optional<Optional<InetAddress>> httpAdvertise = httpAdvertise(http, problems);
    Optional<ListenerLimits> httpLimits =
        listenerLimits(http, "request", NodeConfig.DEFAULT_HTTP_LIMITS);
    Optional<String> host =
        http.flatMap(h -> h.get("host"))
            .map(v -> v.string().filter(h -> validHost(v, h)))
            .orElse(Optional.of(DEFAULT_HTTP_HOST));
    Optional<Integer> port =
        http.flatMap(h -> h.get("port"))
            .map(v -> v.integer(0, 65535))
            .orElse(Optional.of(NodeConfig.DEFAULT_HTTP_PORT));
    Optional<YamlMap> dns = map.flatMap(m -> m.get("dns")).flatMap(YamlValue::map);
    boolean dnsOk = map.flatMap(m -> m.get("dns")).map(v -> dns.isPresent()).orElse(true);
    dns.ifPresent(h -> h.allow("host", "port", "advertise", "connections", "timeouts"));
    Optional<ListenerLimits> dnsLimits =
        listenerLimits(dns, "query", NodeConfig.DEFAULT_DNS_TCP_LIMITS);
    Optional<YamlMap> descriptors = map.flatMap(m -> m.get("descriptors")).flatMap(YamlValue::map);
    boolean descriptorsOk =
        map.flatMap(m -> m.get("descriptors")).map(v -> descriptors.isPresent()).orElse(true);
    descriptors.ifPresent(d -> d.allow("reserve"));
    Optional<OptionalInt> reserve =
        descriptors
            .flatMap(d -> d.get("reserve"))
            .map(v -> v.integer(1, MAX_CONNECTIONS).map(OptionalInt::of))
            .orElse(Optional.of(OptionalInt.empty()));
    Optional<List<InetAddress>> advertise =
        dns.flatMap(h -> h.get("advertise"))
            .map(NodeSection::advertise)
            .orElse(Optional.of(List.of()));
    Optional<String> dnsHost =
        dns.flatMap(h -> h.get("host"))
            .map(v -> v.string().filter(h -> validHost(v, h)))
            .orElse(Optional.of(NodeConfig.DEFAULT_DNS_HOST));
    Optional<Integer> dnsPort =
        dns.flatMap(h -> h.get("port"))
            .map(v -> v.integer(0, 65535))
            .orElse(Optional.of(NodeConfig.DEFAULT_DNS_PORT));
    Optional<GatewayListen> gateway = gateway(map.flatMap(m -> m.get("gateway")));
    Optional<TransportPreference> transport =
        map.flatMap(m -> m.get("transport"))
            .map(NodeSection::transport)
            .orElse(Optional.of(TransportPreference.AUTO));
    Optional<TcpProbeMethod> tcpProbes =
        map.flatMap(m -> m.get("tcpProbes"))
            .map(NodeSection::tcpProbes)
            .orElse(Optional.of(TcpProbeMethod.CONNECT));
    if (!idOk
        || !httpOk
        || !dnsOk
        || !descriptorsOk
        || httpLimits.isEmpty()
        || dnsLimits.isEmpty()
        || reserve.isEmpty()
        || gateway.isEmpty()
        || host.isEmpty()
        || port.isEmpty()
        || dnsHost.isEmpty()
        || dnsPort.isEmpty()
        || advertise.isEmpty()
        || httpAdvertise.isEmpty()
        || transport.isEmpty()
        || tcpProbes.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> id = id(idValue.map(v -> v.node().textValue()), problems);
    return id.map(
        i ->
            new NodeConfig(
                i,
                host.get(),
                port.get(),
                dnsHost.get(),
                dnsPort.get(),
                gateway.get(),
                advertise.get(),
                httpLimits.get(),
                dnsLimits.get(),
                reserve.get(),
                httpAdvertise.get(),
                transport.get(),
                tcpProbes.get()));
  }

  /** {@code node.transport}: {@code auto} or {@code nio}. */
  private static Optional<TransportPreference> transport(YamlValue value) {
    return choice(
        value, TransportPreference.values(), p -> p.name().toLowerCase(Locale.ROOT), "auto, nio");
  }

  /** {@code node.tcpProbes}: {@code connect} or {@code half-open}. */
  private static Optional<TcpProbeMethod> tcpProbes(YamlValue value) {
    return choice(value, TcpProbeMethod.values(), TcpProbeMethod::label, "connect, half-open");
  }

  /** The one of {@code choices} whose label {@code value} is, else a problem naming them all. */
  private static <E> Optional<E> choice(
      YamlValue value, E[] choices, Function<E, String> label, String labels) {
    return value
        .string()
        .flatMap(
            text -> {
              Optional<E> chosen =
                  Arrays.stream(choices)
                      .filter(c -> label.apply(c).equals(text.trim()))
                      .findFirst();
              if (chosen.isEmpty()) {
                value.problem("must be one of " + labels);
              }
              return chosen;
            });
  }

  /**
   * {@code HADDNS_HTTP_ADVERTISE} when set and not empty (Kubernetes passes {@code status.podIP}
   * there), else {@code node.http.advertise}; an empty inner value leaves the choice to the node.
   */
  private Optional<Optional<InetAddress>> httpAdvertise(Optional<YamlMap> http, Problems problems) {
    String fromEnv = environment.getOrDefault(HTTP_ADVERTISE_ENV, "").trim();
    if (!fromEnv.isEmpty()) {
      Optional<InetAddress> ip = specific(fromEnv);
      if (ip.isEmpty()) {
        problems.add(
            "node.http.advertise",
            fromEnv,
            "taken from environment variable " + HTTP_ADVERTISE_ENV + ": " + ADVERTISE_RULE);
        return Optional.empty();
      }
      return Optional.of(ip);
    }
    Optional<YamlValue> value = http.flatMap(h -> h.get("advertise"));
    if (value.isEmpty()) {
      return Optional.of(Optional.empty());
    }
    Optional<String> text = value.get().string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<InetAddress> ip = specific(text.get().trim());
    if (ip.isEmpty()) {
      value.get().problem(ADVERTISE_RULE);
      return Optional.empty();
    }
    return Optional.of(ip);
  }

  private static Optional<InetAddress> specific(String text) {
    return IpLiteral.parse(text).filter(a -> !a.isAnyLocalAddress());
  }

  /**
   * {@code connections.max}, {@code connections.perSource} and {@code timeouts.<timeoutKey>} of a
   * listener section; empty when any is invalid.
   */
  private static Optional<ListenerLimits> listenerLimits(
      Optional<YamlMap> section, String timeoutKey, ListenerLimits defaults) {
    Optional<YamlMap> connections =
        section.flatMap(s -> s.get("connections")).flatMap(YamlValue::map);
    boolean connectionsOk =
        section.flatMap(s -> s.get("connections")).map(v -> connections.isPresent()).orElse(true);
    connections.ifPresent(c -> c.allow("max", "perSource"));
    Optional<YamlMap> timeouts = section.flatMap(s -> s.get("timeouts")).flatMap(YamlValue::map);
    boolean timeoutsOk =
        section.flatMap(s -> s.get("timeouts")).map(v -> timeouts.isPresent()).orElse(true);
    timeouts.ifPresent(t -> t.allow(timeoutKey));
    Optional<Integer> max =
        positive(connections, "max", MAX_CONNECTIONS, defaults.maxConnections());
    Optional<Integer> perSource =
        positive(connections, "perSource", MAX_CONNECTIONS, defaults.maxConnectionsPerSource());
    Optional<Duration> timeout =
        timeouts
            .flatMap(t -> t.get(timeoutKey))
            .map(v -> v.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
            .orElse(Optional.of(defaults.requestTimeout()));
    if (!connectionsOk
        || !timeoutsOk
        || max.isEmpty()
        || perSource.isEmpty()
        || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ListenerLimits(max.get(), perSource.get(), timeout.get()));
  }

  /** {@code node.dns.advertise}: a list of distinct, specific IP literals. */
  private static Optional<List<InetAddress>> advertise(YamlValue value) {
    return IpAddressList.distinct(
        value,
        "duplicate address",
        ip -> !ip.isAnyLocalAddress(),
        "a wildcard address cannot be advertised");
  }

  /** {@code node.gateway}: host, port and optional TLS files; empty when any of it is invalid. */
  private Optional<GatewayListen> gateway(Optional<YamlValue> value) {
    if (value.isEmpty()) {
      return Optional.of(GatewayListen.defaults());
    }
    Optional<YamlMap> map = value.get().map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get();
    m.allow("host", "port", "tls", "rateLimits", "timeouts", "connections");
    Optional<String> host =
        m.get("host")
            .map(v -> v.string().filter(h -> validHost(v, h)))
            .orElse(Optional.of(GatewayListen.DEFAULT_HOST));
    Optional<Integer> port =
        m.get("port").map(v -> v.integer(0, 65535)).orElse(Optional.of(GatewayListen.DEFAULT_PORT));
    Optional<Optional<GatewayListen.TlsFiles>> tls =
        m.get("tls").map(this::tls).orElse(Optional.of(Optional.empty()));
    Optional<YamlMap> limits = m.get("rateLimits").flatMap(YamlValue::map);
    boolean limitsOk = m.get("rateLimits").map(v -> limits.isPresent()).orElse(true);
    limits.ifPresent(l -> l.allow("perSourcePerMinute", "perCredentialPerMinute"));
    Optional<Integer> perSource =
        positive(
            limits,
            "perSourcePerMinute",
            MAX_PER_MINUTE,
            GatewayListen.DEFAULT_PER_SOURCE_PER_MINUTE);
    Optional<Integer> perCredential =
        positive(
            limits,
            "perCredentialPerMinute",
            MAX_PER_MINUTE,
            GatewayListen.DEFAULT_PER_CREDENTIAL_PER_MINUTE);
    Optional<YamlMap> timeouts = m.get("timeouts").flatMap(YamlValue::map);
    boolean timeoutsOk = m.get("timeouts").map(v -> timeouts.isPresent()).orElse(true);
    timeouts.ifPresent(t -> t.allow("header", "request"));
    Optional<Duration> header =
        timeouts
            .flatMap(t -> t.get("header"))
            .map(v -> v.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
            .orElse(Optional.of(GatewayListen.DEFAULT_HEADER_TIMEOUT));
    Optional<YamlValue> requestValue = timeouts.flatMap(t -> t.get("request"));
    Optional<Duration> requested =
        requestValue
            .map(v -> v.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
            .orElse(Optional.of(GatewayListen.DEFAULT_REQUEST_TIMEOUT));
    Optional<Duration> request = requested;
    if (header.isPresent()
        && requested.isPresent()
        && requested.get().compareTo(header.get()) < 0) {
      requestValue.ifPresentOrElse(
          v -> v.problem("must be at least timeouts.header (" + header.get() + ")"),
          () ->
              timeouts
                  .flatMap(t -> t.get("header"))
                  .ifPresent(
                      v ->
                          v.problem("must be at most timeouts.request (" + requested.get() + ")")));
      request = Optional.empty();
    }
    Optional<YamlMap> connections = m.get("connections").flatMap(YamlValue::map);
    boolean connectionsOk = m.get("connections").map(v -> connections.isPresent()).orElse(true);
    connections.ifPresent(c -> c.allow("max", "perSource"));
    Optional<Integer> maxConnections =
        positive(connections, "max", MAX_CONNECTIONS, GatewayListen.DEFAULT_MAX_CONNECTIONS);
    Optional<Integer> perSourceConnections =
        positive(
            connections,
            "perSource",
            MAX_CONNECTIONS,
            GatewayListen.DEFAULT_MAX_CONNECTIONS_PER_SOURCE);
    if (host.isEmpty()
        || port.isEmpty()
        || tls.isEmpty()
        || !limitsOk
        || perSource.isEmpty()
        || perCredential.isEmpty()
        || !timeoutsOk
        || header.isEmpty()
        || request.isEmpty()
        || !connectionsOk
        || maxConnections.isEmpty()
        || perSourceConnections.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayListen(
            host.get(),
            port.get(),
            tls.get(),
            perSource.get(),
            perCredential.get(),
            header.get(),
            request.get(),
            maxConnections.get(),
            perSourceConnections.get()));
  }

  /** {@code key} of {@code map}, 1 to {@code max}; {@code absent} when it is not given. */
  private static Optional<Integer> positive(
      Optional<YamlMap> map, String key, int max, int absent) {
    return map.flatMap(m -> m.get(key)).map(v -> v.integer(1, max)).orElse(Optional.of(absent));
  }

  private Optional<Optional<GatewayListen.TlsFiles>> tls(YamlValue value) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get();
    m.allow("certificateFile", "keyFile");
    Optional<SmallFileReader.Content> cert =
        m.required("certificateFile")
            .flatMap(v -> files.read(v).filter(c -> pem(v, c, CERTIFICATE, CERTIFICATE_RULE)));
    Optional<SmallFileReader.Content> key =
        m.required("keyFile").flatMap(v -> files.read(v).filter(c -> pem(v, c, PKCS8, KEY_RULE)));
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Optional.of(new GatewayListen.TlsFiles(cert.get().file(), key.get().file())));
  }

  /**
   * The optional PEM certificate file under {@code key}: empty inside when the key is absent, empty
   * outside when the file is missing or holds no certificate ({@code rule} is the problem).
   */
  static Optional<Optional<Path>> optionalCertificates(
      YamlMap m, String key, SmallFileReader files, String rule) {
    return m.get(key)
        .map(
            v ->
                files
                    .read(v)
                    .filter(c -> pem(v, c, CERTIFICATE, rule))
                    .map(c -> Optional.of(c.file())))
        .orElse(Optional.of(Optional.empty()));
  }

  /** Checks the PEM block is there; the file's contents never appear in a problem. */
  static boolean pem(YamlValue value, SmallFileReader.Content content, String marker, String rule) {
    if (new String(content.bytes(), StandardCharsets.US_ASCII).contains(marker)) {
      return true;
    }
    value.problem(rule + " (" + content.file() + ")");
    return false;
  }

  private Optional<String> id(Optional<String> fromFile, Problems problems) {
    String fromEnv = environment.getOrDefault(NODE_ID_ENV, "").trim();
    if (!fromEnv.isEmpty()) {
      return checked(fromEnv, "environment variable " + NODE_ID_ENV, problems);
    }
    if (fromFile.isPresent()) {
      return fromFile;
    }
    String hostname = environment.getOrDefault("HOSTNAME", "").trim();
    if (!hostname.isEmpty()) {
      return checked(hostname, "environment variable HOSTNAME", problems);
    }
    Optional<String> local = localHostName.get();
    if (local.isEmpty()) {
      problems.add(
          "node.id",
          "",
          "is not set and the local host name is unknown: set node.id, "
              + NODE_ID_ENV
              + " or"
              + " --node-id");
      return Optional.empty();
    }
    return checked(local.get(), "the local host name", problems);
  }

  private static Optional<String> checked(String id, String source, Problems problems) {
    if (ID.matcher(id).matches()) {
      return Optional.of(id);
    }
    problems.add("node.id", id, "taken from " + source + ": " + ID_RULE);
    return Optional.empty();
  }

  private static boolean validId(YamlValue value, String id) {
    if (ID.matcher(id).matches()) {
      return true;
    }
    value.problem(ID_RULE);
    return false;
  }

  private static boolean validHost(YamlValue value, String host) {
    if (IpLiteral.parse(host.trim()).isPresent() || DnsNameSyntax.isHostName(host)) {
      return true;
    }
    value.problem("must be an IP address or a host name to listen on");
    return false;
  }
}
