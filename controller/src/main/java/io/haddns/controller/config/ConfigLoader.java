package io.haddns.controller.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns the YAML configuration file into a validated {@link HaddnsConfig}, or rejects it with every
 * problem found, each with its field path, the value as written and the reason. Secret values are
 * read (TSIG keys from files or environment variables, dyndns2 password hashes) but never appear in
 * problems.
 *
 * <p>Thread-safe and stateless between calls; {@link #load} blocks on file I/O. The local host
 * name, the last fallback for the node id, is looked up only when a load needs it.
 */
public final class ConfigLoader {
  /** Path used for problems about the file as a whole rather than one field. */
  public static final String FILE_PATH = "(file)";

  private static final String[] SECTIONS = {
    "cluster",
    "lines",
    "zones",
    "records",
    "agents",
    "dyndns2",
    "operators",
    "node",
    "dryRun",
    "audit",
    "drills",
    "notifications",
    "metrics"
  };

  private final Map<String, String> environment;
  private final Supplier<Optional<String>> localHostName;

  /**
   * @param environment the process environment (e.g. {@code System.getenv()}): supplies {@code
   *     HADDNS_NODE_ID}, {@code HOSTNAME} and the variables named by {@code secretEnv}
   */
  public ConfigLoader(Map<String, String> environment) {
    this(environment, ConfigLoader::lookUpLocalHostName);
  }

  ConfigLoader(Map<String, String> environment, Supplier<Optional<String>> localHostName) {
    this.environment = Map.copyOf(environment);
    this.localHostName = localHostName;
  }

  /**
   * Reads and validates {@code file}; relative paths inside it ({@code cluster.dataDir}, {@code
   * secretFile}) are resolved against the file's directory.
   *
   * @throws ConfigException when the file is missing, unreadable, not YAML or not valid
   */
  public HaddnsConfig load(Path file) throws ConfigException {
    String source = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw single(source, "file not found");
    } catch (AccessDeniedException e) {
      throw single(source, "cannot be read: permission denied");
    } catch (IOException e) {
      throw single(
          source,
          Files.isDirectory(file)
              ? "is a directory, not a file"
              : "cannot be read: " + e.getClass().getSimpleName());
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw single(source, "is not UTF-8 text");
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, source, dir);
  }

  /**
   * Validates {@code yaml}.
   *
   * @param sourceName names the text in the exception message, e.g. its file name
   * @param baseDir directory that relative paths in the text are resolved against
   * @throws ConfigException listing every problem found
   */
  public HaddnsConfig parse(String yaml, String sourceName, Path baseDir) throws ConfigException {
    Problems problems = new Problems();
    Optional<JsonNode> tree;
    try {
      tree = new YamlTreeReader().read(yaml, problems);
    } catch (YamlTreeReader.SyntaxException e) {
      throw single(sourceName, e.getMessage());
    }
    if (tree.isEmpty()) {
      throw single(sourceName, "is empty; expected the sections cluster, lines, zones, records");
    }
    if (!(tree.get() instanceof ObjectNode root)) {
      throw single(
          sourceName, "must be a mapping with the sections cluster, lines, zones, records");
    }
    Path dir = baseDir.toAbsolutePath().normalize();
    YamlMap top = new YamlMap("", root, problems).allow(SECTIONS);
    Optional<ClusterConfig> cluster =
        top.required("cluster")
            .flatMap(v -> ClusterSection.read(v, dir, new SecretReader(environment, dir)));
    LinesSection.Result lines =
        top.required("lines")
            .map(LinesSection::read)
            .orElse(new LinesSection.Result(List.of(), Map.of()));
    boolean dryRun = top.get("dryRun").flatMap(YamlValue::bool).orElse(false);
    ZonesSection.Result zones =
        top.required("zones")
            .map(v -> ZonesSection.read(v, new SecretReader(environment, dir), dryRun))
            .orElse(new ZonesSection.Result(List.of(), Set.of()));
    List<RecordConfig> records =
        top.get("records")
            .map(v -> new RecordsSection(lines.addresses(), zones.names()).read(v))
            .orElse(List.of());
    SmallFileReader files = new SmallFileReader(dir);
    AgentsSection agentsSection = new AgentsSection(lines.addresses(), files);
    Map<String, String> reporterIds = AgentsSection.newIds();
    List<AgentConfig> agents =
        top.get("agents").map(v -> agentsSection.read(v, reporterIds)).orElse(List.of());
    List<Dyndns2Config> dyndns2 =
        top.get("dyndns2")
            .map(v -> new Dyndns2Section(agentsSection, records, files).read(v, reporterIds))
            .orElse(List.of());
    Optional<OperatorsConfig> operators =
        top.get("operators")
            .map(v -> new OperatorsSection(agentsSection, records, files).read(v))
            .orElse(Optional.of(OperatorsConfig.none()));
    Optional<NodeConfig> node =
        new NodeSection(environment, localHostName, files).read(top.get("node"), problems);
    Optional<AuditConfig> audit =
        top.get("audit").map(AuditSection::read).orElse(Optional.of(AuditConfig.defaults()));
    Optional<DrillsConfig> drills =
        top.get("drills").map(DrillsSection::read).orElse(Optional.of(DrillsConfig.defaults()));
    Optional<NotificationsConfig> notifications =
        top.get("notifications")
            .map(v -> new NotificationsSection(new SecretReader(environment, dir), files).read(v))
            .orElse(Optional.of(NotificationsConfig.none()));
    Optional<MetricsConfig> metrics =
        top.get("metrics").map(MetricsConfig::read).orElse(Optional.of(MetricsConfig.defaults()));
    if (!problems.isEmpty()) {
      throw new ConfigException(sourceName, problems.list());
    }
    return new HaddnsConfig(
        cluster.orElseThrow(),
        lines.lines(),
        zones.zones(),
        records,
        agents,
        dyndns2,
        node.orElseThrow(),
        operators.orElseThrow(),
        audit.orElseThrow(),
        drills.orElseThrow(),
        notifications.orElseThrow(),
        metrics.orElseThrow());
  }

  private static ConfigException single(String source, String reason) {
    return new ConfigException(source, List.of(new ConfigProblem(FILE_PATH, "", reason)));
  }

  private static Optional<String> lookUpLocalHostName() {
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
