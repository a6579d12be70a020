package io.haddns.controller.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A poor man's profiler of the controller's gateway: while no-change reports load it, {@code jcmd
 * <pid> Thread.print} every 250 ms, and for each gateway thread ({@code haddns-gateway-*}) the
 * innermost haddns frame and whether the thread was parked (waiting, e.g. for ZooKeeper) or
 * running; and every other thread that was running (RUNNABLE and not waiting in a selector or a
 * read), to see what else takes the controller's CPU. Counts are thread samples.
 */
final class ThreadSampler {
  private static final Duration LOAD =
      BenchSize.current().pick(Duration.ofSeconds(8), Duration.ofSeconds(2));

  private final long pid;

  ThreadSampler(long pid) {
    this.pid = pid;
  }

  String sample(List<BenchAgent> agents, InetSocketAddress gateway, String path, int connections)
      throws Exception {
    Thread load =
        Thread.ofPlatform()
            .name("bench-sampler-load")
            .start(
                () -> {
                  try {
                    ClosedLoopLoad.run(
                        gateway,
                        path,
                        connections,
                        Duration.ZERO,
                        LOAD,
                        c ->
                            agents
                                .get(c)
                                .next(
                                    GatewayReportBenchmark.addressA(c),
                                    System.currentTimeMillis()));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Map<String, Integer> counts = new TreeMap<>();
    int dumps = 0;
    Thread.sleep(1000);
    while (load.isAlive()) {
      classify(dump(), counts);
      dumps++;
      Thread.sleep(250);
    }
    load.join();
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Integer> sorted =
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(25)
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    StringBuilder out = new StringBuilder();
    out.append(dumps)
        .append(" dumps, ")
        .append(total)
        .append(" thread samples (gateway threads; other threads when running)\n");
    sorted.forEach(
        (k, v) -> out.append(String.format(Locale.ROOT, "%5.1f %%  %s%n", 100.0 * v / total, k)));
    return out.toString().strip();
  }

  private String dump() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "Thread.print")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /** A RUNNABLE thread blocked in a selector, accept or read uses no CPU. */
  private static boolean waitingForIo(String block) {
    int at = block.indexOf("\n\tat ");
    String top = at < 0 ? "" : block.substring(at + 5, block.indexOf('\n', at + 5));
    return top.contains("EPoll.wait")
        || top.contains("Net.poll")
        || top.contains("Net.accept")
        || top.contains("SocketDispatcher.read")
        || top.contains("DatagramDispatcher")
        || top.contains("FileDispatcherImpl.read")
        || top.contains("Thread.getStackTrace")
        || top.contains("Threads.getThreadInfo")
        || top.contains("VM.print");
  }

  private static void classify(String dump, Map<String, Integer> counts) {
    for (String block : dump.split("\n\n")) {
      String b = block.strip();
      if (!b.startsWith("\"")) {
        continue;
      }
      boolean gateway = b.startsWith("\"haddns-gateway-");
      // JVM-internal threads have no Java frames; selector and read waits use no CPU.
      if (!gateway && !(b.contains("State: RUNNABLE") && b.contains("\tat ") && !waitingForIo(b))) {
        continue;
      }
      String name = b.substring(1, b.indexOf('"', 1)).replaceAll("\\d+", "N");
      String top = null;
      String haddns = null;
      for (String line : b.split("\n")) {
        String l = line.strip();
        if (!l.startsWith("at ")) {
          continue;
        }
        String frame = l.substring(3, l.indexOf('(') < 0 ? l.length() : l.indexOf('('));
        if (top == null) {
          top = frame;
        }
        if (haddns == null && frame.startsWith("io.haddns.")) {
          haddns = frame.substring("io.haddns.controller.".length());
        }
      }
      boolean parked =
          top != null
              && (top.startsWith("jdk.internal.misc.Unsafe.park")
                  || top.startsWith("java.lang.Object.wait"));
      String key =
          name
              + "  "
              + (haddns == null ? "(idle: no haddns frame)" : haddns)
              + (parked ? "  [parked]" : "  [running " + top + "]");
      counts.merge(key, 1, Integer::sum);
    }
  }
}
