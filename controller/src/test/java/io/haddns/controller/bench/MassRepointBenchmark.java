package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.rfc2136.Rfc2136DnsProvider;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.KnotServer;
import io.haddns.controller.testing.RequiredBinary;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * docs/benchmarks.md, target "mass re-point": 10,000 A records in one zone all change address (as
 * after a line failure), written through {@link Rfc2136DnsProvider#apply} at several batch sizes,
 * against one {@code nsupdate -v} process sending the same replacements in the same run. Every
 * repetition moves every record to a new address; haddns and nsupdate alternate so drift hits both
 * alike. A smoke run ({@link BenchSize}): 100 records, one repetition, batches of 10 and 100.
 */
class MassRepointBenchmark {
  static final String ZONE = "bench.test";
  static final BenchSize SIZE = BenchSize.current();
  static final int RECORDS = SIZE.option("haddns.bench.records", 10_000, 100);
  static final int REPETITIONS = SIZE.option("haddns.bench.repetitions", 5, 1);

  /** RRsets per UPDATE; 100 is the anchor's batch in both modes. */
  static final List<Integer> BATCHES = SIZE.pick(List.of(100, 500, 1000), List.of(10, 100));

  static final long EPOCH = 1;
  static final Duration TARGET = Duration.ofSeconds(2);

  @TempDir Path dir;

  @Test
  void bind() throws Exception {
    try (DnsTestServer dns = BindServer.start(dir.resolve("bind"), ZONE)) {
      run(dns, "MassRepointBenchmark-bind", "BIND 9");
    }
  }

  @Test
  void knot() throws Exception {
    try (DnsTestServer dns = KnotServer.start(dir.resolve("knot"), ZONE)) {
      run(dns, "MassRepointBenchmark-knot", "Knot DNS");
    }
  }

  /**
   * The whole path: line A fails at a running node and all 10,000 records move to B on a real BIND
   * (probing, planning, the UPDATEs and the node's ZooKeeper record of them), then A returns and
   * they move back. Anchor in the same run: nsupdate sending the same 10,000 replacements, in
   * batches of the same size, to a second BIND serving the same zone.
   */
  @Test
  void bindAfterLineFailure() throws Exception {
    int batch = SIZE.pick(100, 10);
    Path nsupdate = RequiredBinary.require("nsupdate", "bind9-dnsutils");
    try (DnsTestServer dns = BindServer.start(dir.resolve("bind-node"), ZONE);
        DnsTestServer anchorDns = BindServer.start(dir.resolve("bind-anchor"), ZONE);
        MassRepointAfterLineFailure e2e =
            MassRepointAfterLineFailure.start(dir.resolve("node"), dns, batch)) {
      e2e.awaitAllOn(MassRepointAfterLineFailure.LINE_A, Duration.ofSeconds(120));
      NsupdateScript anchor = new NsupdateScript(nsupdate, dir, anchorDns);
      List<RecordSet> onA = onLine(MassRepointAfterLineFailure.LINE_A);
      List<RecordSet> onB = onLine(MassRepointAfterLineFailure.LINE_B);
      Rfc2136DnsProvider anchorLoad =
          new Rfc2136DnsProvider(
              ZONE,
              anchorDns.rfc2136(Optional.of(anchorDns.tsigConfig()), 1000),
              Optional.empty(),
              InstantSource.system());
      anchorLoad.claim(EPOCH);
      anchorLoad.apply(onA.stream().<Change>map(Change.Create::new).toList(), EPOCH);
      Path toB = anchor.write(onB, batch, EPOCH);
      Path toA = anchor.write(onA, batch, EPOCH);

      Samples failFirst = new Samples();
      Samples failLast = new Samples();
      Samples backFirst = new Samples();
      Samples backLast = new Samples();
      Samples nsupdateTimes = new Samples();
      int updates = 0;
      for (int rep = 0; rep < REPETITIONS; rep++) {
        MassRepointAfterLineFailure.Move down = e2e.failA();
        e2e.awaitAllOn(MassRepointAfterLineFailure.LINE_B, Duration.ofSeconds(30));
        failFirst.add(down.firstUpdate());
        failLast.add(down.lastUpdate());
        updates = down.updates();
        nsupdateTimes.add(anchor.run(toB));
        MassRepointAfterLineFailure.Move up = e2e.restoreA();
        e2e.awaitAllOn(MassRepointAfterLineFailure.LINE_A, Duration.ofSeconds(30));
        backFirst.add(up.firstUpdate());
        backLast.add(up.lastUpdate());
        nsupdateTimes.add(anchor.run(toA));
        // A random phase of the probe interval for the next failure.
        Thread.sleep(300 + ThreadLocalRandom.current().nextInt(1000));
      }
      assertThat(anchorLoad.list()).containsExactlyInAnyOrderElementsOf(onA);
      BenchSize.measured("line A fails → last UPDATE", failLast);
      BenchSize.measured("line A returns → last UPDATE", backLast);
      BenchSize.measured("nsupdate anchor", nsupdateTimes);

      long writeMedian = failLast.medianNanos() - failFirst.medianNanos();
      BenchReport report =
          new BenchReport(
              "MassRepointBenchmark-bindAfterLineFailure",
              "Mass re-point after a line failure: " + RECORDS + " failover records, BIND 9");
      report
          .line("Machine: " + BenchReport.machine() + ".")
          .line(
              "One controller node (in-JVM `NodeRuntime`, three-server ZooKeeper quorum) with "
                  + RECORDS
                  + " failover records over lines A and B (TCP probes every 100 ms, timeout 80 ms,"
                  + " fall 3, rise 2), RFC 2136 to a real BIND, batchSize "
                  + batch
                  + ". Time from line A's port closing (or reopening) to the first and to the last"
                  + " of the "
                  + updates
                  + " UPDATEs landing at BIND (its SOA serial, polled every ~10 ms); after each move"
                  + " a full AXFR checks every record, and the node's applied state in ZooKeeper"
                  + " is checked too. Anchor: one `nsupdate -v -k` process sending the same "
                  + RECORDS
                  + " replacements in batches of "
                  + batch
                  + " (with the fence prerequisite) to a second BIND, start to exit. "
                  + REPETITIONS
                  + " failures and "
                  + REPETITIONS
                  + " returns; min / median / max.");
      report.table(
          List.of("what", "first UPDATE landed", "last UPDATE landed (all moved)", "target"),
          List.of(
              List.of(
                  "line A fails → all on B",
                  failFirst.summary(),
                  failLast.summary(),
                  failLast.medianNanos() <= TARGET.toNanos() ? "met (≤ 2 s)" : "missed (> 2 s)"),
              List.of(
                  "line A returns → all on A",
                  backFirst.summary(),
                  backLast.summary(),
                  backLast.medianNanos() <= TARGET.toNanos() ? "met (≤ 2 s)" : "missed (> 2 s)"),
              List.of(
                  "nsupdate, same " + RECORDS + " changes (anchor)",
                  "—",
                  nsupdateTimes.summary(),
                  "")));
      report.line(
          "Writing alone (median last − median first UPDATE after a failure): "
              + Samples.seconds(writeMedian)
              + " vs nsupdate's median "
              + Samples.seconds(nsupdateTimes.medianNanos())
              + " (ratio "
              + Samples.ratio(writeMedian, nsupdateTimes.medianNanos())
              + ").");
      report.publish();
    }
  }

  private static List<RecordSet> onLine(InetAddress line) {
    List<RecordSet> out = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      out.add(
          new RecordSet(
              new RecordKey(String.format("r%05d.%s", i, ZONE), RecordType.A), 30, List.of(line)));
    }
    return out;
  }

  private void run(DnsTestServer dns, String name, String server) throws Exception {
    Path nsupdate = RequiredBinary.require("nsupdate", "bind9-dnsutils");
    NsupdateScript anchor = new NsupdateScript(nsupdate, dir, dns);
    Map<Integer, Rfc2136DnsProvider> providers = new LinkedHashMap<>();
    for (int b : BATCHES) {
      providers.put(
          b,
          new Rfc2136DnsProvider(
              ZONE,
              dns.rfc2136(Optional.of(dns.tsigConfig()), b),
              Optional.empty(),
              InstantSource.system()));
    }
    Rfc2136DnsProvider first = providers.get(BATCHES.get(BATCHES.size() - 1));
    first.claim(EPOCH);
    int generation = 0;
    List<RecordSet> current = generation(generation);
    first.apply(current.stream().<Change>map(Change.Create::new).toList(), EPOCH);
    for (Rfc2136DnsProvider p : providers.values()) {
      // Outside the timing: reads the fence, which also opens the provider's TCP connection.
      p.claim(EPOCH);
    }
    // One untimed re-point so the JIT has seen the whole path once.
    current = repoint(first, current, ++generation).desired;

    Map<Integer, Samples> haddns = new LinkedHashMap<>();
    Map<Integer, Samples> nsup = new LinkedHashMap<>();
    for (int rep = 0; rep < REPETITIONS; rep++) {
      for (int b : BATCHES) {
        Timed t = repoint(providers.get(b), current, ++generation);
        haddns.computeIfAbsent(b, k -> new Samples()).add(t.took);
        current = t.desired;

        List<RecordSet> next = generation(++generation);
        Path script = anchor.write(next, b, EPOCH);
        nsup.computeIfAbsent(b, k -> new Samples()).add(anchor.run(script));
        current = next;
      }
    }
    String verified = verify(dns, first, current);
    for (int b : BATCHES) {
      BenchSize.measured("haddns, batch " + b, haddns.get(b));
      BenchSize.measured("nsupdate, batch " + b, nsup.get(b));
    }

    BenchReport report =
        new BenchReport(name, "Mass re-point: " + RECORDS + " A records on " + server);
    report
        .line("Machine: " + BenchReport.machine() + ".")
        .line(
            "Each cell: "
                + REPETITIONS
                + " repetitions; every repetition changes the address of all "
                + RECORDS
                + " records (one RRset replacement each: delete RRset + add, with the fence"
                + " prerequisite in every UPDATE). haddns = `Rfc2136DnsProvider.apply`, call to"
                + " return, one open TCP connection; nsupdate = one `nsupdate -v -k` process,"
                + " start to exit, `send` after each batch. Times are min / median.");
    List<List<String>> rows = new ArrayList<>();
    long anchor100 = nsup.get(100).medianNanos();
    for (int b : BATCHES) {
      Samples h = haddns.get(b);
      Samples n = nsup.get(b);
      rows.add(
          List.of(
              String.valueOf(b),
              String.valueOf((RECORDS + b - 1) / b),
              Samples.seconds(h.minNanos()) + " / " + Samples.seconds(h.medianNanos()),
              Samples.seconds(n.minNanos()) + " / " + Samples.seconds(n.medianNanos()),
              Samples.ratio(h.medianNanos(), n.medianNanos()),
              Samples.ratio(h.medianNanos(), anchor100),
              verdict(h.medianNanos(), anchor100)));
    }
    report.table(
        List.of(
            "RRsets per UPDATE",
            "UPDATEs",
            "haddns min / median",
            "nsupdate min / median",
            "haddns ÷ nsupdate (same batch)",
            "haddns ÷ nsupdate at 100 (anchor)",
            "target ≤ 2 s and ≤ anchor"),
        rows);
    report.line("Verified after the last repetition: " + verified);
    report.publish();
  }

  private static String verdict(long medianNanos, long anchorNanos) {
    boolean fast = medianNanos <= TARGET.toNanos();
    boolean notSlower = medianNanos <= anchorNanos;
    return fast && notSlower ? "met" : "missed" + (fast ? " (slower than anchor)" : " (> 2 s)");
  }

  private record Timed(List<RecordSet> desired, Duration took) {}

  private static Timed repoint(Rfc2136DnsProvider p, List<RecordSet> current, int generation)
      throws Exception {
    List<RecordSet> desired = generation(generation);
    List<Change> changes = new ArrayList<>(current.size());
    for (int i = 0; i < current.size(); i++) {
      changes.add(new Change.Update(current.get(i), desired.get(i)));
    }
    long start = System.nanoTime();
    p.apply(changes, EPOCH);
    return new Timed(desired, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Full AXFR through the provider, 100 random names over TCP, and the SOA serial. */
  private static String verify(DnsTestServer dns, Rfc2136DnsProvider p, List<RecordSet> expected)
      throws Exception {
    List<RecordSet> listed = p.list();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 100; i++) {
      RecordSet rs = expected.get(random.nextInt(expected.size()));
      List<InetAddress> answer =
          dns.query(rs.key().name(), Type.A).stream()
              .filter(ARecord.class::isInstance)
              .map(r -> ((ARecord) r).getAddress())
              .toList();
      assertThat(answer).as(rs.key().toString()).isEqualTo(rs.addresses());
    }
    long serial =
        ((SOARecord)
                dns.query(ZONE, Type.SOA).stream()
                    .filter(SOARecord.class::isInstance)
                    .findFirst()
                    .orElseThrow())
            .getSerial();
    return "AXFR holds exactly the "
        + listed.size()
        + " expected A RRsets; 100 random names answer their new address; SOA serial "
        + serial
        + ".";
  }

  /**
   * The {@link #RECORDS} RRsets of one generation: r00000, r00001, … at
   * 10.<generation>.<i/256>.<i%256>.
   */
  static List<RecordSet> generation(int generation) throws UnknownHostException {
    List<RecordSet> out = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      byte[] a = {10, (byte) generation, (byte) (i >> 8), (byte) i};
      out.add(
          new RecordSet(
              new RecordKey(String.format("r%05d.%s", i, ZONE), RecordType.A),
              30,
              List.of(InetAddress.getByAddress(a))));
    }
    return out;
  }
}
