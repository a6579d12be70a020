package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.HaddnsJar;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.RequiredBinary;
import io.haddns.probe.testing.NetnsHost;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The descriptor flood of issue 11: a controller process limited to 300 open files (as {@code
 * prlimit --nofile=300:300} sets it), whose DNS-over-TCP and admin ports receive 320 connections
 * from four sources, each sending one byte every 4 s (so no idle timeout ever fires). Before the
 * connection caps and request deadlines the node ran out of descriptors, its TCP probes failed with
 * "Too many open files" and the healthy main line was marked down: the record moved to the backup
 * line. Now the record never moves, {@code /healthz} keeps answering, and any prober fault is
 * counted, never taken for a line failure.
 *
 * <p>The node runs in a network namespace of its own ({@code ip netns exec <ns> prlimit ... java
 * -jar ...}), at 198.51.100.2 behind a veth pair; this JVM stays in the root namespace, on the
 * other end at 198.51.100.1. Everything crosses the pair as it would cross a network: the flood,
 * from four more addresses on this end; the DNS queries and {@code /healthz} polls; and the node's
 * probes of the lines, whose far ends (198.51.100.21 and .22) are on this end too. Needs root,
 * iproute2 and prlimit; the namespace is deleted after the test, pass or fail.
 */
class DescriptorFloodIT {
  private static final String NODE = "198.51.100.2";
  private static final String HERE = "198.51.100.1";
  private static final String MAIN = "198.51.100.21";
  private static final String BACKUP = "198.51.100.22";
  private static final List<String> FLOOD_SOURCES =
      List.of("198.51.100.101", "198.51.100.102", "198.51.100.103", "198.51.100.104");
  private static final int FLOOD_PER_SOURCE_AND_PORT = 40;
  private static final Duration DRIP = Duration.ofSeconds(4);
  private static final Duration FLOOD = Duration.ofSeconds(25);

  @TempDir Path dir;
  private NetnsHost netns;
  private ControllerProcess node;
  private LineListener main;
  private final List<Socket> flood = new ArrayList<>();

  @AfterEach
  void tearDown() throws IOException {
    try {
      for (Socket s : flood) {
        s.close();
      }
      if (node != null) {
        node.close();
      }
      if (main != null) {
        main.close();
      }
    } finally {
      if (netns != null) {
        netns.close();
      }
    }
  }

  private String yaml(int linePort, int dnsPort) {
    return """
        cluster:
          name: flood
          sessionTimeout: 3s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: main
            address: { static: [%s] }
            probes: [ { tcp: { port: %d } } ]
            interval: 200ms
            timeout: 150ms
            fall: 3
            rise: 2
          - name: backup
            address: { static: [%s] }
            probes: [ { icmp: {} } ]
            interval: 200ms
            timeout: 150ms
            fall: 3
            rise: 2
        zones:
          - name: flood.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: app.flood.test, type: A, ttl: 30, policy: failover, lines: [main, backup] }
        node:
          id: flood-1
          http: { connections: { max: 48, perSource: 8 }, timeouts: { request: 3s } }
          dns:
            host: %s
            port: %d
            connections: { max: 48, perSource: 8 }
            timeouts: { query: 3s }
          descriptors: { reserve: 64 }
        """
        .formatted(dir.resolve("data"), MAIN, linePort, BACKUP, NODE, dnsPort);
  }

  @Test
  void aTrickleFloodOnTheDnsAndAdminPortsNeverMovesTheRecord() throws Exception {
    Path prlimit = RequiredBinary.require("prlimit", "util-linux");
    HaddnsJar jar = HaddnsJar.require();
    netns =
        NetnsHost.onSubnet(
            NODE, Stream.concat(Stream.of(HERE, MAIN, BACKUP), FLOOD_SOURCES.stream()).toList());
    InetAddress mainAddress = InetAddress.getByName(MAIN);
    main = new LineListener(mainAddress, FreePorts.tcpAndUdp(mainAddress)).open();
    int dnsPort = FreePorts.tcpAndUdp(InetAddress.getLoopbackAddress());
    int httpPort = FreePorts.tcpAndUdp(InetAddress.getLoopbackAddress());
    Path config = Files.writeString(dir.resolve("flood.yaml"), yaml(main.port(), dnsPort));
    node =
        ControllerProcess.start(
            jar,
            dir,
            config,
            "flood-1",
            NODE,
            httpPort,
            "127.0.0.1",
            Map.of(),
            Stream.concat(
                    netns.wrapper().stream(),
                    Stream.of(prlimit.toString(), "--nofile=300:300", "--"))
                .toList());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> answer(dnsPort).equals(List.of(MAIN)));

    List<InetSocketAddress> targets =
        List.of(new InetSocketAddress(NODE, dnsPort), new InetSocketAddress(NODE, httpPort));
    Path fds = Path.of("/proc", Long.toString(node.pid()), "fd");
    long fdsBefore = count(fds);
    long fdsMost = fdsBefore;
    Map<String, Integer> answers = new TreeMap<>();
    int healthzAnswered = 0;
    int healthzMissed = 0;
    long end = System.nanoTime() + FLOOD.toNanos();
    long nextDrip = 0;
    while (System.nanoTime() < end) {
      if (System.nanoTime() >= nextDrip) {
        drip(targets);
        nextDrip = System.nanoTime() + DRIP.toNanos();
      }
      answers.merge(String.join(",", answer(dnsPort)), 1, Integer::sum);
      fdsMost = Math.max(fdsMost, count(fds));
      if (healthz(httpPort)) {
        healthzAnswered++;
      } else {
        healthzMissed++;
      }
      Thread.sleep(100);
    }
    double faults = probeFaults();
    System.out.printf(
        "DescriptorFloodIT: %s; node descriptors before=%d most=%d (limit 300); answers=%s"
            + " healthz answered=%d missed=%d probe faults=%.0f%n",
        node.log().lines().filter(l -> l.contains("descriptors limit=")).findFirst().orElse("-"),
        fdsBefore,
        fdsMost,
        answers,
        healthzAnswered,
        healthzMissed,
        faults);

    assertThat(answers.keySet()).as("answers during the flood").containsExactly(MAIN);
    assertThat(healthzMissed).as("/healthz polls not answered within 2 s").isZero();
    assertThat(node.log()).doesNotContain("health up -> down");
  }

  /**
   * Every source keeps 40 connections open to each port, opening new ones for those the node
   * closed, and sends one byte on each: never a whole DNS query or HTTP request.
   */
  private void drip(List<InetSocketAddress> targets) throws IOException {
    flood.removeIf(Socket::isClosed);
    for (Socket s : List.copyOf(flood)) {
      try {
        OutputStream out = s.getOutputStream();
        out.write('G');
        out.flush();
      } catch (IOException e) {
        s.close();
      }
    }
    for (String source : FLOOD_SOURCES) {
      for (InetSocketAddress target : targets) {
        long open =
            flood.stream()
                .filter(s -> !s.isClosed())
                .filter(s -> s.getLocalAddress().getHostAddress().equals(source))
                .filter(s -> s.getPort() == target.getPort())
                .count();
        for (long i = open; i < FLOOD_PER_SOURCE_AND_PORT; i++) {
          Socket s = new Socket();
          try {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(target, 200);
            s.getOutputStream().write('G');
            flood.add(s);
          } catch (IOException e) {
            s.close();
          }
        }
      }
    }
  }

  /** The node's {@code haddns_probe_faults_total}, all kinds; NaN when it cannot be scraped. */
  private double probeFaults() throws InterruptedException {
    try {
      return MetricsScrape.of(node.endpoint()).samples().stream()
          .filter(s -> s.name().equals("haddns_probe_faults_total"))
          .mapToDouble(MetricsScrape.Sample::value)
          .sum();
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static long count(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static List<String> answer(int dnsPort) {
    try {
      SimpleResolver r = new SimpleResolver(new InetSocketAddress(NODE, dnsPort));
      r.setTimeout(Duration.ofSeconds(1));
      Message res =
          r.send(
              Message.newQuery(
                  Record.newRecord(Name.fromString("app.flood.test."), Type.A, DClass.IN)));
      return res.getSection(Section.ANSWER).stream()
          .filter(rr -> rr instanceof ARecord)
          .map(rr -> ((ARecord) rr).getAddress().getHostAddress())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of("no answer: " + e.getClass().getSimpleName());
    }
  }

  private static boolean healthz(int httpPort) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + NODE + ":" + httpPort + "/healthz"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return res.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
