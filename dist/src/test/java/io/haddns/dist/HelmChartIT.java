package io.haddns.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart helm/haddns, rendered by a real helm: it lints, every object it makes is a valid
 * Kubernetes (or prometheus-operator) object with no unknown field, the haddns.yaml it renders
 * passes {@code haddns check-config} with the files the pod would mount, the checksum annotation
 * rolls pods exactly when the configuration changes, and contradictory values are refused.
 */
class HelmChartIT {
  private static final Path CHART = Path.of(System.getProperty("haddns.chart"));
  private static final Path JAR = Path.of(System.getProperty("haddns.jar"));

  @TempDir static Path work;
  static Helm helm;

  @BeforeAll
  static void findHelm() {
    helm = new Helm(RequiredTool.helm(), work);
  }

  /** No values file (the chart's defaults) and each values file of the chart's tests folder. */
  static Stream<String> valuesSets() throws IOException {
    List<String> sets = new ArrayList<>();
    sets.add("defaults");
    try (Stream<Path> files = Files.list(CHART.resolve("tests"))) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .forEach(sets::add);
    }
    return sets.stream();
  }

  private static List<Path> valuesFiles(String set) {
    return set.equals("defaults") ? List.of() : List.of(CHART.resolve("tests").resolve(set));
  }

  @Test
  void testsFolderCoversExternalAndBundledZooKeeperAndTheEmbeddedDnsTlsMonitoringCase()
      throws IOException {
    assertThat(valuesSets())
        .contains(
            "external-zookeeper.yaml",
            "bundled-zookeeper.yaml",
            "embedded-dns-tls-monitoring.yaml");
  }

  @Test
  void chartVersionIsTheProjectVersion() throws IOException {
    String chart = Files.readString(CHART.resolve("Chart.yaml"));
    String version = System.getProperty("haddns.version");

    assertThat(chart).contains("\nversion: " + version + "\n", "\nappVersion: " + version + "\n");
  }

  @ParameterizedTest
  @MethodSource("valuesSets")
  void lintsCleanly(String set) throws Exception {
    ProcessRun lint = helm.lint(CHART, valuesFiles(set));

    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }

  @ParameterizedTest
  @MethodSource("valuesSets")
  void everyRenderedObjectMatchesTheApiSchemaWithNoUnknownField(String set) throws Exception {
    List<HasMetadata> objects =
        KubernetesObjects.read(helm.render(CHART, valuesFiles(set), Map.of()));

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains("StatefulSet", "ConfigMap", "Service");
  }

  @ParameterizedTest
  @MethodSource("valuesSets")
  void renderedConfigPassesCheckConfigWithThePodsMountedFiles(String set) throws Exception {
    List<HasMetadata> objects =
        KubernetesObjects.read(helm.render(CHART, valuesFiles(set), Map.of()));
    StatefulSet sts = controllers(objects);
    Container haddns = sts.getSpec().getTemplate().getSpec().getContainers().getFirst();
    Path root = Files.createTempDirectory(work, "pod-" + set);

    new PodFiles(objects, HelmChartIT::existingSecret)
        .materialize(sts.getSpec().getTemplate().getSpec(), haddns, root);
    List<String> args = haddns.getArgs();
    Path config = root.resolve(args.get(args.indexOf("--config") + 1).substring(1));
    // The file names absolute paths inside the pod; here they live under root.
    Files.writeString(
        config,
        Files.readString(config)
            .replace(" /etc/haddns/", " " + root + "/etc/haddns/")
            .replace(" /var/lib/haddns", " " + root + "/var/lib/haddns"));
    ProcessRun check =
        ProcessRun.run(
            List.of(javaBinary(), "-jar", JAR.toString(), "check-config", config.toString()),
            root,
            Map.of("HADDNS_NODE_ID", sts.getMetadata().getName() + "-0"),
            Duration.ofMinutes(1));

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("valid (cluster ");
  }

  @Test
  void nodeIdIsThePodName() throws Exception {
    Container haddns = controllerContainer(Map.of());

    EnvVar nodeId =
        haddns.getEnv().stream()
            .filter(e -> e.getName().equals("HADDNS_NODE_ID"))
            .findFirst()
            .orElseThrow();
    assertThat(nodeId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
  }

  @Test
  void advertisesThePodIpForTheAdminServer() throws Exception {
    Container haddns = controllerContainer(Map.of());

    EnvVar advertise =
        haddns.getEnv().stream()
            .filter(e -> e.getName().equals("HADDNS_HTTP_ADVERTISE"))
            .findFirst()
            .orElseThrow();
    assertThat(advertise.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
  }

  @Test
  void configErrorsReachThePodStatus() throws Exception {
    Container haddns = controllerContainer(Map.of());

    assertThat(haddns.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
  }

  @Test
  void misspeltProbeKeyInATemplateFailsValidation() throws Exception {
    Path broken = copyChart("broken-template");
    Path sts = broken.resolve("templates/statefulset.yaml");
    Files.writeString(sts, Files.readString(sts).replace("readinessProbe:", "readinesProbe:"));

    String manifests = helm.render(broken, List.of(), Map.of());

    assertThatThrownBy(() -> KubernetesObjects.read(manifests))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("StatefulSet/haddns.spec.template.spec.containers[0]")
        .hasMessageContaining("readinesProbe");
  }

  @Test
  void misspeltKeyInAFreeFormValuesSnippetFailsValidation() throws Exception {
    String manifests =
        helm.render(CHART, List.of(), Map.of("extraEnv[0].name", "TZ", "extraEnv[0].valu", "UTC"));

    assertThatThrownBy(() -> KubernetesObjects.read(manifests))
        .hasMessageContaining(".env[2]") // after HADDNS_NODE_ID and HADDNS_HTTP_ADVERTISE
        .hasMessageContaining("valu");
  }

  @Test
  void misspeltValuesKeyFailsTheSchema() throws Exception {
    ProcessRun run = helm.template(CHART, List.of(), Map.of("readinesProbe.periodSeconds", "5"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("readinesProbe");
  }

  @Test
  void labelOnlyChangeKeepsThePodTemplateChecksum() throws Exception {
    Map<String, String> before = checksums(Map.of());
    Map<String, String> after =
        checksums(Map.of("commonLabels.team", "dns", "podLabels.tier", "edge"));

    assertThat(after).isEqualTo(before);
  }

  @Test
  void configChangeChangesTheChecksum() throws Exception {
    Map<String, String> before = checksums(Map.of());
    Map<String, String> after = checksums(Map.of("cluster.resyncInterval", "30s"));

    assertThat(after.get("checksum/config")).isNotEqualTo(before.get("checksum/config"));
  }

  @Test
  void secretFileChangeChangesTheSecretsChecksum() throws Exception {
    Map<String, String> before = checksums(Map.of("secrets.files.tsig", "a2V5MQ=="));
    Map<String, String> after = checksums(Map.of("secrets.files.tsig", "a2V5Mg=="));

    assertThat(after.get("checksum/secrets")).isNotEqualTo(before.get("checksum/secrets"));
    assertThat(after.get("checksum/config")).isEqualTo(before.get("checksum/config"));
  }

  static Stream<List<String>> contradictions() {
    return Stream.of(
        List.of(
            "zookeeper.external.connectString=zk:2181",
            "zookeeper.bundled.enabled",
            "zookeeper.external.connectString"),
        List.of(
            "gateway.enabled=true,gateway.tls.enabled=true",
            "gateway.tls.enabled",
            "gateway.tls.secretName"),
        List.of("replicaCount=2", "replicaCount", "zookeeper.bundled.enabled"),
        List.of(
            "zookeeper.bundled.enabled=false,replicaCount=3",
            "replicaCount",
            "zookeeper.external.connectString"),
        List.of(
            "cluster.sessionTimeout=2s,zookeeper.bundled.minSessionTimeout=4000",
            "cluster.sessionTimeout",
            "zookeeper.bundled.minSessionTimeout"),
        List.of(
            "secrets.existingSecret=x,secrets.files.tsig=a2V5",
            "secrets.existingSecret",
            "secrets.files"));
  }

  @ParameterizedTest
  @MethodSource("contradictions")
  void contradictoryValuesFailNamingTheValues(List<String> c) throws Exception {
    Map<String, String> sets = new HashMap<>();
    for (String pair : c.getFirst().split(",")) {
      String[] kv = pair.split("=", 2);
      sets.put(kv[0], kv[1]);
    }

    ProcessRun run = helm.template(CHART, List.of(), sets);

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains(c.subList(1, c.size()));
  }

  @Test
  void singleNodeWithoutZooKeeperRendersAnEmbeddedZooKeeperConfig() throws Exception {
    String manifests =
        helm.render(
            CHART, List.of(), Map.of("zookeeper.bundled.enabled", "false", "replicaCount", "1"));

    assertThat(manifests)
        .doesNotContain(
            "zookeeper:", "kind: PodDisruptionBudget\nmetadata:\n  name: haddns-zookeeper");
    assertThat(KubernetesObjects.read(manifests))
        .extracting(HasMetadata::getKind)
        .containsOnlyOnce("StatefulSet");
  }

  @Test
  void restrictedSecurityContextWithPingSocketsAndNoCapabilityByDefault() throws Exception {
    StatefulSet sts = controllers(KubernetesObjects.read(helm.render(CHART, List.of(), Map.of())));
    var pod = sts.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().getFirst().getSecurityContext();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSysctls())
        .extracting(Sysctl::getName)
        .containsExactly("net.ipv4.ping_group_range");
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
  }

  @Test
  void rawIcmpAddsNetRawAndDnsBelow1024AddsNetBindService() throws Exception {
    var raw =
        controllerContainer(Map.of("icmp.mode", "raw")).getSecurityContext().getCapabilities();
    var dns53 =
        controllers(
            KubernetesObjects.read(
                helm.render(
                    CHART, List.of(), Map.of("dns.enabled", "true", "dns.containerPort", "53"))));
    var dns53Pod = dns53.getSpec().getTemplate().getSpec();

    assertThat(raw.getAdd()).containsExactly("NET_RAW");
    assertThat(dns53Pod.getContainers().getFirst().getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_BIND_SERVICE");
    assertThat(dns53Pod.getSecurityContext().getSysctls())
        .extracting(Sysctl::getName, Sysctl::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("net.ipv4.ip_unprivileged_port_start", "53"));
  }

  @Test
  void bundledZooKeeperKeepsTheSessionTimeoutAsConfigured() throws Exception {
    List<HasMetadata> objects =
        KubernetesObjects.read(helm.render(CHART, valuesFiles("bundled-zookeeper.yaml"), Map.of()));
    StatefulSet zk =
        objects.stream()
            .filter(
                o -> o instanceof StatefulSet && o.getMetadata().getName().endsWith("-zookeeper"))
            .map(StatefulSet.class::cast)
            .findFirst()
            .orElseThrow();
    Map<String, String> env = new HashMap<>();
    zk.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst()
        .getEnv()
        .forEach(e -> env.put(e.getName(), e.getValue()));

    assertThat(zk.getSpec().getReplicas()).isEqualTo(3);
    assertThat(env.get("ZOO_TICK_TIME")).isEqualTo("500");
    assertThat(env.get("ZOO_CFG_EXTRA"))
        .contains("minSessionTimeout=1000", "maxSessionTimeout=20000");
    assertThat(env.get("ZOO_SERVERS").split(" ")).hasSize(3);
  }

  @Test
  void alertRulesPassPromtool() throws Exception {
    Path promtool = RequiredTool.at(Path.of("/usr/bin/promtool"), "prometheus");
    PrometheusRule rule = monitoringRule();
    Path rules = work.resolve("rules.yaml");
    Files.writeString(
        rules,
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().writeValueAsString(rule.getSpec()));

    ProcessRun check =
        ProcessRun.run(
            List.of(promtool.toString(), "check", "rules", rules.toString()),
            work,
            Map.of(),
            Duration.ofMinutes(1));

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + shippedAlerts().size() + " rules found");
  }

  @Test
  void rendersTheShippedAlertRulesForThisReleasesServiceWithRunbooksUnderTheBaseUrl()
      throws Exception {
    PrometheusRule rule = monitoringRule();
    List<Rule> rules = rule.getSpec().getGroups().getFirst().getRules();

    assertThat(rules.stream().map(Rule::getAlert).toList())
        .containsExactlyElementsOf(shippedAlerts());
    for (Rule r : rules) {
      assertThat(r.getExpr().getStrVal())
          .as(r.getAlert())
          .doesNotContain("job=\"haddns\"")
          .contains("namespace=\"" + Helm.NAMESPACE + "\", service=\"haddns-admin\"");
      assertThat(r.getAnnotations().get("runbook_url"))
          .isEqualTo(
              "https://docs.example.net/haddns/operations.md#"
                  + r.getAlert().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void rendersTheShippedDashboardAsAConfigMapForGrafanasSidecarOnlyWhenEnabled() throws Exception {
    List<HasMetadata> on =
        KubernetesObjects.read(
            helm.render(CHART, valuesFiles("embedded-dns-tls-monitoring.yaml"), Map.of()));
    List<HasMetadata> off = KubernetesObjects.read(helm.render(CHART, List.of(), Map.of()));

    ConfigMap dashboard =
        on.stream()
            .filter(ConfigMap.class::isInstance)
            .map(ConfigMap.class::cast)
            .filter(c -> c.getMetadata().getName().endsWith("-dashboard"))
            .findFirst()
            .orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData().get("haddns.json"))
        .isEqualTo(Files.readString(CHART.resolve("files/haddns.json")).strip());
    assertThat(off)
        .noneMatch(o -> o instanceof PrometheusRule)
        .noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));
  }

  /** The PrometheusRule rendered with the monitoring values file. */
  private static PrometheusRule monitoringRule() throws Exception {
    return KubernetesObjects.read(
            helm.render(CHART, valuesFiles("embedded-dns-tls-monitoring.yaml"), Map.of()))
        .stream()
        .filter(PrometheusRule.class::isInstance)
        .map(PrometheusRule.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** The alert names of deploy/prometheus/haddns-rules.yaml (the chart's files/). */
  private static List<String> shippedAlerts() throws IOException {
    List<String> alerts = new ArrayList<>();
    new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
        .readTree(CHART.resolve("files/haddns-rules.yaml").toFile())
        .get("groups")
        .forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));
    return alerts;
  }

  private static Map<String, String> checksums(Map<String, String> sets) throws Exception {
    Map<String, String> checksums = new HashMap<>();
    controllers(KubernetesObjects.read(helm.render(CHART, List.of(), sets)))
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .forEach(
            (k, v) -> {
              if (k.startsWith("checksum/")) {
                checksums.put(k, v);
              }
            });
    assertThat(checksums).containsKeys("checksum/config", "checksum/secrets");
    return checksums;
  }

  private static Container controllerContainer(Map<String, String> sets) throws Exception {
    return controllers(KubernetesObjects.read(helm.render(CHART, List.of(), sets)))
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst();
  }

  private static StatefulSet controllers(List<HasMetadata> objects) {
    return objects.stream()
        .filter(o -> o instanceof StatefulSet)
        .map(StatefulSet.class::cast)
        .filter(
            s ->
                "controller".equals(s.getMetadata().getLabels().get("app.kubernetes.io/component")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no controller StatefulSet rendered"));
  }

  private static Map<String, byte[]> existingSecret(String name) {
    try {
      Path dir = Path.of(HelmChartIT.class.getResource("/existing-secrets/" + name).toURI());
      Map<String, byte[]> data = new HashMap<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          data.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
      return data;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | NullPointerException e) {
      throw new AssertionError(
          "no fixture for existing Secret " + name + " under existing-secrets/", e);
    }
  }

  private static Path copyChart(String name) throws IOException {
    Path target = work.resolve(name);
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path source : files.toList()) {
        Path dest = target.resolve(CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(source, dest);
        }
      }
    }
    return target;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
