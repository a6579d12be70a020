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
 * DESIGN §11 "mass re-point": 10,000 A records in one zone all change address (as after a line
 * failure), written through {@link Rfc2136DnsProvider#apply} at several batch sizes, against one
 * {@code nsupdate -v} process sending the same replacements in the same run. Every repetition moves
 * every record to a new address; haddns and nsupdate alternate so drift hits both alike.
 */
class MassRepointBenchmark {
  static final String ZONE = "bench.test";
  static final int RECORDS = 10_000;
  static final int REPETITIONS = 5;
  static final List<Integer> BATCHES = List.of(100, 500, 1000);
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

  /** The 10,000 RRsets of one generation: r00000…r09999 at 10.<generation>.<i/256>.<i%256>. */
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
