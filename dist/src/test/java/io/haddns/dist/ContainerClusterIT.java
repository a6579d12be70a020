package io.haddns.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The cluster the Helm chart deploys, run in containers (deploy/README.md, "Container-level
 * tests"): a 3-server ZooKeeper ensemble, BIND and 3 controllers from the image built in this run,
 * each container started with the command, environment, configuration and secret files that {@code
 * helm template} renders for its pod. Then the failures a cluster meets: the leader's container
 * killed, a ZooKeeper server stopped and the ZooKeeper leader paused, the leader cut off the
 * network, a rolling restart, and a pod whose Secret lacks a file its configuration names.
 *
 * <p>The two lines are containers running named, probed on TCP port 53; a line fails when its named
 * is killed. The record {@code www.ct.example} follows them at BIND (failover policy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerClusterIT {
  private static final String VERSION = System.getProperty("haddns.version");
  private static final Path ROOT = Path.of(System.getProperty("haddns.root"));
  private static final Path CHART = Path.of(System.getProperty("haddns.chart"));
  private static final String NAMESPACE = Helm.NAMESPACE;
  private static final String ZONE = "ct.example.";
  private static final Name WWW = Name.fromConstantString("www.ct.example.");
  private static final Name FENCE = Name.fromConstantString("_haddns-fence.ct.example.");
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A line's named, listening on TCP port 53, its pid in /run/named/named.pid. */
  private static final String START_NAMED =
      "mkdir -p /run/named && chown bind /run/named && named -u bind";

  /** Each container's output, kept for reading after a failure. */
  private static final Path LOGS = Path.of("target/container-logs");

  @TempDir static Path work;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private DockerClient docker;
  private Network network;
  private GenericContainer<?> bind;
  private final Map<String, GenericContainer<?>> lines = new HashMap<>();
  private final Map<String, String> lineAddresses = new HashMap<>();
  private final Map<Integer, GenericContainer<?>> zookeepers = new HashMap<>();
  private final Map<Integer, GenericContainer<?>> nodes = new HashMap<>();
  private PodFiles files;
  private StatefulSet controllers;
  private StatefulSet ensemble;
  private int restarts;

  @BeforeAll
  void startCluster() throws Exception {
    RequiredTool.containerEngine();
    Helm helm = new Helm(RequiredTool.helm(), work);
    docker = DockerClientFactory.instance().client();
    buildReleaseImages();
    String zookeeperImage = standIn("zookeeper");
    String bindImage = standIn("bind");
    network = Network.newNetwork();

    String tsig = Base64.getEncoder().encodeToString(randomBytes(32));
    bind =
        new GenericContainer<>(DockerImageName.parse(bindImage))
            .withImagePullPolicy(PodContainer.neverPull())
            .withNetwork(network)
            .withNetworkAliases("bind")
            .withCopyToContainer(Transferable.of(namedConf(tsig)), "/etc/bind/ct/named.conf")
            .withCopyToContainer(Transferable.of(zoneFile()), "/etc/bind/ct/ct.example.zone")
            .withCommand(
                "bash",
                "-c",
                "mkdir -p /var/lib/bind/ct /var/log/named && cp /etc/bind/ct/ct.example.zone"
                    + " /var/lib/bind/ct/ && chown -R bind /var/lib/bind/ct /var/log/named"
                    + " && exec named -f -u bind -c /etc/bind/ct/named.conf")
            .withExposedPorts(53)
            .waitingFor(Wait.forListeningPort());
    for (String line : List.of("fiber", "lte")) {
      lines.put(
          line,
          new GenericContainer<>(DockerImageName.parse(bindImage))
              .withImagePullPolicy(PodContainer.neverPull())
              .withNetwork(network)
              .withCommand("bash", "-c", START_NAMED + " && exec sleep infinity"));
    }
    Startables.deepStart(bind, lines.get("fiber"), lines.get("lte")).join();
    for (var e : lines.entrySet()) {
      lineAddresses.put(e.getKey(), addressOf(e.getValue()));
    }

    Path values = work.resolve("values.yaml");
    Files.writeString(values, values(tsig, zookeeperImage));
    List<HasMetadata> objects =
        KubernetesObjects.read(helm.render(CHART, List.of(values), Map.of()));
    files = new PodFiles(objects, name -> null);
    controllers = statefulSet(objects, Helm.RELEASE);
    ensemble = statefulSet(objects, Helm.RELEASE + "-zookeeper");

    List<GenericContainer<?>> zk = new ArrayList<>();
    for (int i = 0; i < ensemble.getSpec().getReplicas(); i++) {
      zookeepers.put(i, pod(ensemble, i));
      zk.add(zookeepers.get(i));
    }
    Startables.deepStart(zk).join();
    List<GenericContainer<?>> controllerPods = new ArrayList<>();
    for (int i = 0; i < controllers.getSpec().getReplicas(); i++) {
      nodes.put(i, pod(controllers, i));
      controllerPods.add(nodes.get(i));
    }
    Startables.deepStart(controllerPods).join();
    awaitOneLeader();
    awaitAnswer(List.of(lineAddresses.get("fiber")), Duration.ofSeconds(30));
  }

  @AfterAll
  void stopCluster() {
    List<GenericContainer<?>> all = new ArrayList<>();
    all.addAll(nodes.values());
    all.addAll(zookeepers.values());
    all.addAll(lines.values());
    if (bind != null) {
      all.add(bind);
    }
    all.forEach(GenericContainer::stop);
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  void killedLeadersContainerIsReplacedAndTheNewLeaderWritesAtBindWithinTheSessionTimeout()
      throws Exception {
    int leader = awaitOneLeader();
    long epoch = fenceEpoch().orElseThrow();
    // The admin server binds 0.0.0.0; every node registers its pod IP, where the others probe it.
    Map<String, String> advertised = new HashMap<>();
    status(leader)
        .orElseThrow()
        .path("members")
        .forEach(m -> advertised.put(m.path("node").asText(), m.path("http").asText()));
    Map<String, String> podAddresses = new HashMap<>();
    nodes.forEach(
        (i, c) ->
            podAddresses.put(
                controllers.getMetadata().getName() + "-" + i, addressOf(c) + ":8053"));
    assertThat(advertised).isEqualTo(podAddresses);

    long killed = System.nanoTime();
    docker.killContainerCmd(nodes.get(leader).getContainerId()).withSignal("SIGKILL").exec();
    await()
        .atMost(SESSION.plusSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fenceEpoch().orElse(0) > epoch);
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);

    assertThat(takeover).isLessThanOrEqualTo(SESSION.plusSeconds(1));
    assertThat(leaders()).hasSize(1).doesNotContain(leader);
    restartPod(leader, false);
  }

  @Test
  @Order(2)
  void clusterKeepsFollowingALineWithOneZooKeeperServerStoppedAndWithItsLeaderPaused()
      throws Exception {
    int stopped = 2;
    GenericContainer<?> server = zookeepers.get(stopped);
    docker.stopContainerCmd(server.getContainerId()).withTimeout(10).exec();
    try {
      lineFailsAndComesBack("fiber");
    } finally {
      docker.startContainerCmd(server.getContainerId()).exec();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> zookeeperMode(stopped).isPresent());

    int zkLeader =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(this::zookeeperLeader, Optional::isPresent)
            .orElseThrow();
    docker.pauseContainerCmd(zookeepers.get(zkLeader).getContainerId()).exec();
    try {
      lineFailsAndComesBack("fiber");
    } finally {
      docker.unpauseContainerCmd(zookeepers.get(zkLeader).getContainerId()).exec();
    }
    awaitOneLeader();
  }

  @Test
  @Order(3)
  void leaderCutOffTheNetworkMakesNoWriteAfterTheNewLeadersFirst() throws Exception {
    int leader = awaitOneLeader();
    GenericContainer<?> old = nodes.get(leader);
    String oldAddress = addressOf(old);
    long epoch = fenceEpoch().orElseThrow();

    docker
        .disconnectFromNetworkCmd()
        .withNetworkId(network.getId())
        .withContainerId(old.getContainerId())
        .withForce(true)
        .exec();
    await()
        .atMost(SESSION.plusSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fenceEpoch().orElse(0) > epoch);
    long newEpoch = fenceEpoch().orElseThrow();
    // The old leader stays cut off a while, then comes back as a follower.
    Thread.sleep(3_000);
    docker
        .connectToNetworkCmd()
        .withNetworkId(network.getId())
        .withContainerId(old.getContainerId())
        .withContainerNetwork(new ContainerNetwork().withAliases(aliases(controllers, leader)))
        .exec();
    String newAddress = addressOf(old);
    lineFailsAndComesBack("fiber");
    await().atMost(Duration.ofSeconds(60)).until(() -> ready(leader));

    List<String> updates = updateLog();
    String claim = "\"epoch=" + newEpoch + "\"";
    int firstOfNewTerm = -1;
    for (int i = 0; i < updates.size() && firstOfNewTerm < 0; i++) {
      if (updates.get(i).contains(claim)) {
        firstOfNewTerm = i;
      }
    }
    assertThat(firstOfNewTerm)
        .as("the new leader's fence claim (%s) in BIND's update log:%n%s", claim, updates)
        .isNotNegative();
    List<String> stale =
        updates.subList(firstOfNewTerm, updates.size()).stream()
            .filter(u -> u.contains(" " + oldAddress + "#") || u.contains(" " + newAddress + "#"))
            .toList();
    assertThat(stale).as("updates from the cut-off leader after the new term began").isEmpty();
    assertThat(leaders()).hasSize(1);
  }

  @Test
  @Order(4)
  void rollingRestartNeverPointsTheRecordAtADownLineAndEveryNodeIsReadyAgain() throws Exception {
    awaitOneLeader();
    lineDown("fiber");
    String lte = lineAddresses.get("lte");
    awaitAnswer(List.of(lte), Duration.ofSeconds(20));
    List<List<String>> answers = new CopyOnWriteArrayList<>();
    AtomicBoolean polling = new AtomicBoolean(true);
    Thread poller =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (polling.get()) {
                    try {
                      answers.add(answer());
                      Thread.sleep(100);
                    } catch (Exception e) {
                      answers.add(List.of("error: " + e.getMessage()));
                    }
                  }
                });
    try {
      // As a StatefulSet update does: the highest ordinal first, the next once it is ready.
      for (int i = controllers.getSpec().getReplicas() - 1; i >= 0; i--) {
        restartPod(i, true);
      }
    } finally {
      polling.set(false);
      poller.join();
      lineUp("fiber");
    }
    assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a).containsExactly(lte));
    for (int i : nodes.keySet()) {
      assertThat(ready(i)).as("haddns-" + i + " /readyz").isTrue();
    }
    awaitAnswer(List.of(lineAddresses.get("fiber")), Duration.ofSeconds(30));
  }

  @Test
  @Order(5)
  void podWhoseSecretLacksAFileTheConfigNamesStopsWithTheErrorNamingIt() throws Exception {
    Path[] dir = new Path[1];
    GenericContainer<?> broken =
        pod(
            controllers,
            controllers.getSpec().getReplicas(),
            d -> {
              dir[0] = d;
              Files.delete(d.resolve("etc/haddns/secrets/tsig"));
            });
    broken.withStartupCheckStrategy(
        new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(90)));
    broken.waitingFor(Wait.forLogMessage(".*", 1));

    try {
      assertThatThrownBy(broken::start).isInstanceOf(ContainerLaunchException.class);
      Path log = LOGS.resolve(dir[0].getFileName() + ".log");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(log))
                      .contains("/etc/haddns/secrets/tsig")
                      .doesNotContain("Exception in thread"));
    } finally {
      broken.stop();
    }
    assertThat(leaders()).hasSize(1);
  }

  // --- the cluster

  private String values(String tsig, String zookeeperImage) {
    return """
        replicaCount: 3
        image: { tag: "%s", pullPolicy: Never }
        cluster: { name: ct, sessionTimeout: %ds }
        zookeeper:
          bundled:
            enabled: true
            image: { repository: "%s", tag: "%s", pullPolicy: Never }
            persistence: { enabled: false }
        secrets:
          files:
            tsig: %s
        config:
          lines:
            - name: fiber
              address: { static: [%s] }
              probes: [ { tcp: { port: 53 } } ]
              interval: 500ms
              timeout: 400ms
              fall: 2
              rise: 2
            - name: lte
              address: { static: [%s] }
              probes: [ { tcp: { port: 53 } } ]
              interval: 500ms
              timeout: 400ms
              fall: 2
              rise: 2
          zones:
            - name: ct.example
              provider:
                type: rfc2136
                server: bind
                tsig: { name: ct, algorithm: hmac-sha256, secretFile: /etc/haddns/secrets/tsig }
          records:
            - { name: www.ct.example, type: A, ttl: 5, policy: failover, lines: [fiber, lte] }
        """
        .formatted(
            VERSION,
            SESSION.toSeconds(),
            zookeeperImage.substring(0, zookeeperImage.lastIndexOf(':')),
            VERSION,
            tsig,
            lineAddresses.get("fiber"),
            lineAddresses.get("lte"));
  }

  private static String namedConf(String tsig) {
    return """
        options {
          directory "/var/cache/bind";
          listen-on { any; };
          listen-on-v6 { none; };
          recursion no;
          dnssec-validation no;
          allow-query { any; };
        };
        key "ct" { algorithm hmac-sha256; secret "%s"; };
        logging {
          channel updates { file "/var/log/named/updates.log"; print-time yes; severity info; };
          category update { updates; };
          category update-security { updates; };
        };
        zone "ct.example" {
          type primary;
          file "/var/lib/bind/ct/ct.example.zone";
          allow-update { key "ct"; };
        };
        """
        .formatted(tsig);
  }

  private static String zoneFile() {
    return """
        $TTL 60
        @   IN SOA ns.ct.example. admin.ct.example. 1 60 60 600 5
        @   IN NS  ns.ct.example.
        ns  IN A   192.0.2.53
        """;
  }

  /** Builds the controller and agent images from this run's release tarball. */
  private void buildReleaseImages() throws Exception {
    String engine = System.getenv().getOrDefault("HADDNS_IMAGE_ENGINE", "");
    if (engine.isEmpty()) {
      engine =
          System.getenv().getOrDefault("DOCKER_HOST", "").contains("podman") ? "podman" : "docker";
    }
    ProcessRun run =
        ProcessRun.run(
            List.of(ROOT.resolve("deploy/image/build.sh").toString(), "--engine", engine),
            ROOT,
            Map.of(),
            Duration.ofMinutes(10));
    if (run.exitCode() != 0) {
      throw new AssertionError("deploy/image/build.sh failed:\n" + run.output());
    }
  }

  /** A test-only image from dist/src/test/container/NAME, on top of this run's controller image. */
  private String standIn(String name) {
    String image = "localhost/haddns-test-" + name + ":" + VERSION;
    new ImageFromDockerfile(image, false)
        .withFileFromPath(".", ROOT.resolve("dist/src/test/container/" + name))
        .withDockerfilePath("Containerfile")
        .withBuildArg("HADDNS_IMAGE", "localhost/haddns:" + VERSION)
        .get();
    return image;
  }

  private static StatefulSet statefulSet(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(o -> o instanceof StatefulSet && o.getMetadata().getName().equals(name))
        .map(StatefulSet.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("the chart rendered no StatefulSet " + name));
  }

  private static List<String> aliases(StatefulSet set, int ordinal) {
    String pod = set.getMetadata().getName() + "-" + ordinal;
    String service = set.getSpec().getServiceName();
    return List.of(
        pod,
        pod + "." + service + "." + NAMESPACE + ".svc",
        pod + "." + service + "." + NAMESPACE + ".svc.cluster.local");
  }

  /** Pod {@code ordinal} of {@code set}, as its StatefulSet would create it. */
  private GenericContainer<?> pod(StatefulSet set, int ordinal) throws IOException {
    return pod(set, ordinal, dir -> {});
  }

  /** The same, with {@code mounted} run on the pod's laid-out files before it starts. */
  private GenericContainer<?> pod(StatefulSet set, int ordinal, IoConsumer<Path> mounted)
      throws IOException {
    PodSpec spec = set.getSpec().getTemplate().getSpec();
    Container container = spec.getContainers().getFirst();
    String pod = set.getMetadata().getName() + "-" + ordinal;
    Path dir = Files.createDirectories(work.resolve("pods/" + pod + "-" + restarts++));
    GenericContainer<?> c =
        PodContainer.of(spec, container, pod, aliases(set, ordinal), files, dir, network);
    mounted.accept(dir);
    Path log = Files.createDirectories(LOGS).resolve(dir.getFileName() + ".log");
    c.withLogConsumer(
        frame -> {
          try {
            Files.writeString(
                log, frame.getUtf8String(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    c.waitingFor(readiness(container).withStartupTimeout(Duration.ofMinutes(2)));
    return c;
  }

  @FunctionalInterface
  private interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }

  /** The pod's readiness probe, as the container's wait strategy. */
  private static WaitStrategy readiness(Container container) {
    Probe probe = container.getReadinessProbe();
    if (probe == null) {
      throw new AssertionError("container " + container.getName() + " has no readinessProbe");
    }
    if (probe.getHttpGet() != null) {
      return Wait.forHttp(probe.getHttpGet().getPath())
          .forPort(port(container, probe.getHttpGet().getPort()))
          .forStatusCode(200);
    }
    if (probe.getTcpSocket() != null) {
      return Wait.forListeningPorts(port(container, probe.getTcpSocket().getPort()));
    }
    throw new AssertionError("container " + container.getName() + ": a probe this test cannot run");
  }

  private static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("probe names no port: " + port.getStrVal()))
        .getContainerPort();
  }

  /** Stops controller {@code ordinal} (gracefully, or it was killed) and starts its pod again. */
  private void restartPod(int ordinal, boolean graceful) throws IOException {
    GenericContainer<?> old = nodes.get(ordinal);
    if (graceful) {
      int grace =
          Optional.ofNullable(
                  controllers.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
              .orElse(30L)
              .intValue();
      docker.stopContainerCmd(old.getContainerId()).withTimeout(grace).exec();
    }
    old.stop();
    GenericContainer<?> next = pod(controllers, ordinal);
    next.start();
    nodes.put(ordinal, next);
  }

  private String addressOf(GenericContainer<?> c) {
    return docker
        .inspectContainerCmd(c.getContainerId())
        .exec()
        .getNetworkSettings()
        .getNetworks()
        .values()
        .stream()
        .map(ContainerNetwork::getIpAddress)
        .filter(a -> a != null && !a.isEmpty())
        .findFirst()
        .orElse("");
  }

  // --- lines

  private void lineDown(String line) throws Exception {
    var r =
        lines
            .get(line)
            .execInContainer("bash", "-c", "kill $(cat /run/named/named.pid) && sleep 0.5");
    assertThat(r.getExitCode()).as("stopping named of line " + line + ": " + r).isZero();
  }

  private void lineUp(String line) throws Exception {
    var r = lines.get(line).execInContainer("bash", "-c", START_NAMED);
    assertThat(r.getExitCode()).as("starting named of line " + line + ": " + r).isZero();
  }

  /** {@code line} fails, the record leaves it at BIND; it recovers, the record comes back. */
  private void lineFailsAndComesBack(String line) throws Exception {
    String other = line.equals("fiber") ? "lte" : "fiber";
    lineDown(line);
    try {
      awaitAnswer(List.of(lineAddresses.get(other)), Duration.ofSeconds(45));
    } finally {
      lineUp(line);
    }
    awaitAnswer(List.of(lineAddresses.get(line)), Duration.ofSeconds(45));
  }

  // --- observing the cluster

  private Optional<JsonNode> status(int ordinal) {
    GenericContainer<?> c = nodes.get(ordinal);
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://" + c.getHost() + ":" + c.getMappedPort(8053) + "/api/v1/status"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private boolean ready(int ordinal) {
    GenericContainer<?> c = nodes.get(ordinal);
    try {
      return http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://" + c.getHost() + ":" + c.getMappedPort(8053) + "/readyz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** The ordinals of the nodes that say they lead. */
  private List<Integer> leaders() {
    return nodes.keySet().stream()
        .filter(i -> nodes.get(i).isRunning())
        .filter(i -> status(i).map(s -> s.path("leading").asBoolean()).orElse(false))
        .toList();
  }

  private int awaitOneLeader() {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(this::leaders, l -> l.size() == 1)
        .getFirst();
  }

  private Message query(Name name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(bind.getHost()));
    resolver.setPort(bind.getMappedPort(53));
    resolver.setTCP(true);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  /** The A addresses BIND answers for www, sorted; empty when it has none. */
  private List<String> answer() throws IOException {
    Message m = query(WWW, Type.A);
    if (m.getRcode() != Rcode.NOERROR) {
      return List.of();
    }
    return m.getSection(Section.ANSWER).stream()
        .filter(ARecord.class::isInstance)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .sorted()
        .toList();
  }

  private void awaitAnswer(List<String> expected, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(this::answer, expected::equals);
  }

  /** The epoch in the zone's fence record at BIND. */
  private OptionalLong fenceEpoch() throws IOException {
    Message m = query(FENCE, Type.TXT);
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof TXTRecord txt) {
        for (String s : txt.getStrings()) {
          if (s.startsWith("epoch=")) {
            return OptionalLong.of(Long.parseLong(s.substring("epoch=".length())));
          }
        }
      }
    }
    return OptionalLong.empty();
  }

  /** BIND's update log, one line per UPDATE event, oldest first. */
  private List<String> updateLog() throws Exception {
    var r = bind.execInContainer("cat", "/var/log/named/updates.log");
    assertThat(r.getExitCode()).as("BIND's update log: " + r.getStderr()).isZero();
    return r.getStdout().lines().toList();
  }

  /** What ZooKeeper server {@code ordinal} says of itself ({@code srvr}): leader, follower. */
  private Optional<String> zookeeperMode(int ordinal) {
    GenericContainer<?> c = zookeepers.get(ordinal);
    try (Socket s = new Socket(c.getHost(), c.getMappedPort(2181))) {
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return reply
          .lines()
          .filter(l -> l.startsWith("Mode: "))
          .map(l -> l.substring("Mode: ".length()).trim())
          .findFirst();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private Optional<Integer> zookeeperLeader() {
    return IntStream.range(0, zookeepers.size())
        .boxed()
        .filter(i -> zookeeperMode(i).filter("leader"::equals).isPresent())
        .findFirst();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
