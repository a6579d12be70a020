package io.haddns.controller.demo;

import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.config.ConfigException;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.operate.Caller;
import io.haddns.controller.operate.DrillRequest;
import io.haddns.controller.operate.DrillStart;
import io.haddns.controller.operate.Outcome;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.runtime.StartupException;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.zookeeper.EmbeddedZooKeeper;
import io.haddns.probe.Health;
import io.haddns.probe.icmp.IcmpProber;
import io.haddns.probe.icmp.IcmpUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one-command demo: an embedded ZooKeeper, three controller nodes in this process, two
 * simulated lines and the embedded DNS server on every node; then a narrated failover scenario with
 * measured timings. Lifecycle: {@link #run()} once, {@link #close()} once.
 */
public final class DemoScenario implements AutoCloseable {
  public static final String ZONE = "demo.test";
  public static final String RECORD = "app.demo.test";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final DemoSettings settings;
  private final PrintWriter out;
  private final InstantSource clock;
  private final List<NodeRuntime> nodes = new ArrayList<>();
  private final List<Integer> stopped = new ArrayList<>();
  private Path tokenFile;
  private String tokenSha256;
  private EmbeddedZooKeeper zk;
  private SimulatedLine lineA;
  private SimulatedLine lineB;
  private DemoProbe dns;

  public DemoScenario(DemoSettings settings, PrintWriter out, InstantSource clock) {
    this.settings = settings;
    this.out = out;
    this.clock = clock;
  }

  /** Runs the scenario; returns the measured timings. */
  public DemoTimings run()
      throws IOException, StartupException, ConfigException, InterruptedException {
    long t0 = System.nanoTime();
    say("haddns demo: starting an embedded ZooKeeper, 3 controller nodes and 2 simulated lines");
    zk = new EmbeddedZooKeeper(settings.dataDir().resolve("zookeeper"), "127.0.0.1", 0);
    zk.start(WAIT);
    writeOperatorToken();

    InetAddress a = InetAddress.getByName("127.0.0.21");
    InetAddress b = InetAddress.getByName("127.0.0.22");
    int port = SimulatedLine.freePort(a, b);
    lineA = new SimulatedLine("line-a", a, port);
    lineB = new SimulatedLine("line-b", b, port);
    lineA.restore();
    lineB.restore();

    boolean icmp = icmpPermitted();
    say(
        icmp
            ? "probes: ICMP echo and TCP connect every 100 ms, a line is down after 3 failures"
            : "probes: TCP connect every 100 ms, a line is down after 3 failures (ICMP is not"
                + " permitted for this user: no CAP_NET_RAW and net.ipv4.ping_group_range excludes"
                + " it, so the demo probes by TCP only)");

    for (int i = 0; i < 3; i++) {
      HaddnsConfig cfg = config(i, icmp);
      nodes.add(NodeRuntime.start(cfg, Optional.empty(), clock, "demo"));
    }
    dns = new DemoProbe(RECORD);

    int leader = awaitLeader(-1);
    say("leader elected: %s (epoch %d) %s after start", id(leader), epochOf(leader), since(t0));
    awaitAnswer(a, 1);
    say("%s -> %s (line-a, the primary), %s after start", RECORD, a.getHostAddress(), since(t0));

    long fail = System.nanoTime();
    lineA.fail();
    say("line-a fails (its service stops answering) ...");
    awaitAnswer(b, otherThan(leader));
    Duration failover = Duration.ofNanos(System.nanoTime() - fail);
    say(
        "%s -> %s (line-b) %d ms after line-a failed",
        RECORD, b.getHostAddress(), failover.toMillis());

    long stop = System.nanoTime();
    say("the leader %s stops ...", id(leader));
    nodes.get(leader).close();
    stopped.add(leader);
    int next = awaitLeader(leader);
    Duration handover = Duration.ofNanos(System.nanoTime() - stop);
    say(
        "new leader: %s (epoch %d) %d ms after the old one stopped",
        id(next), epochOf(next), handover.toMillis());

    long back = System.nanoTime();
    lineA.restore();
    say("line-a comes back ...");
    awaitAnswer(a, next);
    Duration failback = Duration.ofNanos(System.nanoTime() - back);
    say(
        "%s -> %s (line-a) %d ms after line-a returned",
        RECORD, a.getHostAddress(), failback.toMillis());

    rehearse(next);

    DemoTimings timings = new DemoTimings(failover, handover, failback);
    if (settings.stayRunning()) {
      int follower = otherThan(next);
      String server = dnsHost(next) + ":" + dnsPort(next);
      say("");
      say(
          "haddns demo is running: %s (leader) and %s; %s was stopped. Try:",
          id(next), id(follower), id(leader));
      say("  ./haddns ctl dig %s --server %s    # any node answers, leader or not", RECORD, server);
      say(
          "  dig @%s -p %d %s    # the same with dig (Debian: apt-get install bind9-dnsutils)",
          dnsHost(next), dnsPort(next), RECORD);
      String ctl = "--endpoint " + adminUrl(follower) + "," + adminUrl(next);
      String token = "--token-file " + tokenFile;
      say("  ./haddns ctl status %s %s", ctl, token);
      say("  curl %s/metrics", adminUrl(next));
      say(
          "the admin API needs a token: an operator token (name demo, role operator) is in %s;",
          tokenFile);
      say("ctl reads it with --token-file, or from HADDNS_TOKEN; HADDNS_ENDPOINT takes the nodes:");
      say(
          "  export HADDNS_ENDPOINT=%s,%s HADDNS_TOKEN=$(cat %s)",
          adminUrl(follower), adminUrl(next), tokenFile);
      say("  ./haddns ctl line drain line-a --for 2m --reason demo-maintenance %s %s", ctl, token);
      say("  ./haddns ctl lines    # line-a forced down by demo, app.demo.test moves to line-b");
      say("  ./haddns ctl audit --follow    # who changed what, as it happens");
    }
    return timings;
  }

  /**
   * A failover drill as an operator would start it (any node takes it, the leader runs it): line-a
   * treated as failing for 2 s, the record's move and return measured at the DNS servers, and the
   * drill's report read back.
   */
  private void rehearse(int leader) throws InterruptedException {
    int asked = otherThan(leader);
    // The drill's guard rails judge the lines as the replicated state says: line-a has to be up
    // there first (it just came back).
    long up = System.nanoTime() + WAIT.toNanos();
    while (!lineUpFor(asked, "line-a")) {
      if (System.nanoTime() > up) {
        throw new IllegalStateException(
            "line-a is not recorded up within " + WAIT.toSeconds() + "s");
      }
      Thread.sleep(10);
    }
    say(
        "a failover drill: line-a treated as failing for 2 s (objective 2 s), asked of %s ...",
        id(asked));
    DrillStart start =
        nodes
            .get(asked)
            .drills()
            .start(
                new DrillRequest(
                    DrillKind.LINE_FAILURE,
                    Optional.of("line-a"),
                    Optional.empty(),
                    Optional.of(Duration.ofSeconds(2)),
                    Optional.of(Duration.ofSeconds(2)),
                    false),
                new Caller("demo", "demo"));
    if (!(start instanceof DrillStart.Started started)) {
      throw new IllegalStateException("the demo's drill was not started: " + start);
    }
    String id = started.drill().id();
    long deadline = System.nanoTime() + WAIT.toNanos();
    Drill report = started.drill();
    while (report.phase() != Drill.Phase.ENDED) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the demo's drill " + id + " did not end: " + report);
      }
      Thread.sleep(20);
      if (nodes.get(asked).drills().get(id) instanceof Outcome.Done<Drill> d) {
        report = d.value();
      }
    }
    Drill ended = report;
    ended
        .recoveryTimes()
        .forEach(
            (record, rto) ->
                say(
                    "drill %s: %s moved to line-b and was answered so by every server %d ms after"
                        + " the failure was injected",
                    id, record, rto.toMillis()));
    say(
        "drill %s %s; its report: ./haddns ctl drill show %s",
        id, ended.verdict().map(Drill.Verdict::label).orElse("unjudged"), id);
  }

  private boolean lineUpFor(int node, String line) {
    LineHealth h = nodes.get(node).store().health().get(line);
    return h != null && h.health() == Health.UP;
  }

  private HaddnsConfig config(int i, boolean icmp) throws ConfigException {
    String probes = icmp ? "[ { icmp: {} }, { tcp: { port: %d } } ]" : "[ { tcp: { port: %d } } ]";
    String yaml =
        """
        cluster:
          name: demo
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: %s
          connectionTimeout: 2s
          dataDir: %s
        lines:
          - name: line-a
            address: { static: [%s] }
            probes: %s
            interval: 100ms
            timeout: 80ms
            fall: 3
            rise: 2
          - name: line-b
            address: { static: [%s] }
            probes: %s
            interval: 100ms
            timeout: 80ms
            fall: 3
            rise: 2
        zones:
          - name: %s
            provider: { type: embedded, nameservers: [127.0.0.1, 127.0.0.2, 127.0.0.3] }
        records:
          - { name: %s, type: A, ttl: 5, policy: failover, lines: [line-a, line-b] }
        operators:
          tokens:
            - { name: demo, role: operator, sha256: "%s" }
        """
            .formatted(
                zk.connectString(),
                zk.clusterAuthYaml(),
                settings.sessionTimeout().toMillis() + "ms",
                settings.dataDir().resolve("node-" + (i + 1)),
                lineA.address().getHostAddress(),
                probes.formatted(lineA.port()),
                lineB.address().getHostAddress(),
                probes.formatted(lineB.port()),
                ZONE,
                RECORD,
                tokenSha256);
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "demo", settings.dataDir());
    int http = settings.httpPort() == 0 ? 0 : settings.httpPort() + i;
    return cfg.withNode(
        new NodeConfig(id(i), "127.0.0.1", http, "127.0.0." + (i + 1), settings.dnsPort()));
  }

  /**
   * Creates the demo's operator token in the data directory (owner-only), for the nodes' config
   * (its hash) and the narration's ctl commands (the file); the token itself is never printed.
   */
  private void writeOperatorToken() throws IOException {
    String token = OperatorTokens.generate("demo", new SecureRandom());
    tokenSha256 = OperatorTokens.sha256(token);
    tokenFile = settings.dataDir().resolve("operator.token").toAbsolutePath();
    Files.deleteIfExists(tokenFile);
    Files.createFile(
        tokenFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, token + "\n");
  }

  private static boolean icmpPermitted() {
    try {
      IcmpProber.open().close();
      return true;
    } catch (IcmpUnavailableException e) {
      return false;
    }
  }

  private int awaitLeader(int not) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < nodes.size(); i++) {
        if (i != not && !stopped.contains(i) && nodes.get(i).node().isLeader()) {
          return i;
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no leader was elected within " + WAIT.toSeconds() + "s");
  }

  private void awaitAnswer(InetAddress want, int node) throws InterruptedException {
    InetSocketAddress server = nodes.get(node).dnsAddress().orElseThrow();
    long deadline = System.nanoTime() + WAIT.toNanos();
    BooleanSupplier ok = () -> dns.answer(server).equals(List.of(want));
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            RECORD
                + " did not move to "
                + want.getHostAddress()
                + " within "
                + WAIT.toSeconds()
                + "s");
      }
      Thread.sleep(5);
    }
  }

  private int otherThan(int node) {
    for (int i = 0; i < nodes.size(); i++) {
      if (i != node && !stopped.contains(i)) {
        return i;
      }
    }
    return node;
  }

  private long epochOf(int i) {
    return nodes.get(i).node().epoch();
  }

  private static String id(int i) {
    return "node-" + (i + 1);
  }

  private String dnsHost(int i) {
    return nodes.get(i).dnsAddress().orElseThrow().getAddress().getHostAddress();
  }

  private int dnsPort(int i) {
    return nodes.get(i).dnsAddress().orElseThrow().getPort();
  }

  private String adminUrl(int i) {
    InetSocketAddress a = nodes.get(i).admin().address();
    return "http://" + a.getHostString() + ":" + a.getPort();
  }

  private static String since(long t0) {
    return (System.nanoTime() - t0) / 1_000_000 + " ms";
  }

  private void say(String format, Object... args) {
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (!stopped.contains(i)) {
        nodes.get(i).close();
      }
    }
    try {
      if (lineA != null) {
        lineA.close();
      }
      if (lineB != null) {
        lineB.close();
      }
    } catch (IOException e) {
      out.println("demo: closing a simulated line failed: " + e.getMessage());
    }
    if (zk != null) {
      zk.close();
    }
  }
}
