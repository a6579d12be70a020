package io.haddns.controller.bench;

import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code dnsperf} (UDP, 127.0.0.1, no QPS limit) against one server and reads its statistics.
 *
 * @param clients {@code -c}: client sockets
 * @param threads {@code -T}: dnsperf threads
 * @param outstanding {@code -q}: queries in flight at most
 */
record Dnsperf(Path queries, int clients, int threads, int outstanding) {

  /** What one run reported. */
  record Result(
      long sent,
      long completed,
      long lost,
      double qps,
      double avgLatencyMs,
      double maxLatencyMs,
      int replyBytes,
      String responseCodes,
      String output) {}

  /** Response times of a run at a fixed rate, from dnsperf's per-query lines ({@code -v}). */
  record Latencies(
      long answered,
      long lost,
      double p50Ms,
      double p90Ms,
      double p99Ms,
      double p999Ms,
      double maxMs) {}

  /**
   * Runs for {@code seconds} at {@code qps} queries per second ({@code -Q}) with {@code -v}, which
   * prints one line per answer ({@code > NOERROR name A 0.000123}), and takes the percentiles of
   * those response times.
   */
  Latencies latencies(int port, int seconds, int qps) throws IOException, InterruptedException {
    String text = dnsperf(port, seconds, List.of("-Q", String.valueOf(qps), "-v"));
    List<Double> ms = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^> \\S+ \\S+ \\S+ ([\\d.]+)$").matcher(text);
    while (m.find()) {
      ms.add(Double.parseDouble(m.group(1)) * 1000);
    }
    if (ms.isEmpty()) {
      throw new IOException("dnsperf -v printed no per-query lines");
    }
    java.util.Collections.sort(ms);
    return new Latencies(
        ms.size(),
        (long) number(text, "Queries lost:\\s+(\\d+)"),
        percentile(ms, 50),
        percentile(ms, 90),
        percentile(ms, 99),
        percentile(ms, 99.9),
        ms.getLast());
  }

  private static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
  }

  /** The command line, for the report (without the server port). */
  String flags(int seconds) {
    return "-s 127.0.0.1 -p <port> -m udp -d <query file> -l "
        + seconds
        + " -c "
        + clients
        + " -T "
        + threads
        + " -q "
        + outstanding;
  }

  /** Runs for {@code seconds} against {@code port}; blocks until dnsperf exits. */
  Result run(int port, int seconds) throws IOException, InterruptedException {
    String text = dnsperf(port, seconds, List.of());
    return new Result(
        (long) number(text, "Queries sent:\\s+(\\d+)"),
        (long) number(text, "Queries completed:\\s+(\\d+)"),
        (long) number(text, "Queries lost:\\s+(\\d+)"),
        number(text, "Queries per second:\\s+([\\d.]+)"),
        number(text, "Average Latency \\(s\\):\\s+([\\d.]+)") * 1000,
        number(text, "Average Latency \\(s\\):.*max ([\\d.]+)\\)") * 1000,
        (int) number(text, "response (\\d+)"),
        match(text, "Response codes:\\s+(.*)"),
        text);
  }

  private String dnsperf(int port, int seconds, List<String> extra)
      throws IOException, InterruptedException {
    Path dnsperf = RequiredBinary.require("dnsperf", "dnsperf");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            dnsperf.toString(), "-s", "127.0.0.1", "-p", String.valueOf(port), "-m", "udp", "-d"));
    cmd.add(queries.toString());
    cmd.addAll(
        List.of(
            "-l",
            String.valueOf(seconds),
            "-c",
            String.valueOf(clients),
            "-T",
            String.valueOf(threads),
            "-q",
            String.valueOf(outstanding)));
    cmd.addAll(extra);
    Path out = Files.createTempFile(queries.getParent(), "dnsperf-", ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("dnsperf did not end");
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    if (p.exitValue() != 0) {
      throw new IOException("dnsperf exited with " + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  private static double number(String text, String regex) throws IOException {
    return Double.parseDouble(match(text, regex));
  }

  private static String match(String text, String regex) throws IOException {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IOException("dnsperf output without /" + regex + "/:\n" + text);
    }
    return m.group(1).strip();
  }
}
