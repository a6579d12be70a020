package io.haddns.controller.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system, from {@code /proc/<pid>/stat}) that the controller process and this JVM
 * spend inside a measurement window that starts {@code warmUp} after {@link #start()}, and each
 * one's share by thread (from {@code /proc/<pid>/task}: kernel time included, which a JFR execution
 * sample never shows, and nothing attached to the process to perturb it).
 */
final class CpuClock {
  private final long controllerPid;
  private final Duration warmUp;
  private final Duration window;
  private Thread thread;
  private volatile double controllerSeconds;
  private volatile double selfSeconds;
  private volatile Map<String, Double> byThread = Map.of();
  private volatile Map<String, Double> selfByThread = Map.of();

  CpuClock(long controllerPid, Duration warmUp, Duration window) {
    this.controllerPid = controllerPid;
    this.warmUp = warmUp;
    this.window = window;
  }

  void start() {
    thread =
        Thread.ofPlatform()
            .name("bench-cpu-clock")
            .start(
                () -> {
                  try {
                    Thread.sleep(warmUp);
                    long self = ProcessHandle.current().pid();
                    double c0 = seconds(controllerPid);
                    double s0 = seconds(self);
                    Map<Long, Task> t0 = tasks(controllerPid);
                    Map<Long, Task> self0 = tasks(self);
                    Thread.sleep(window);
                    controllerSeconds = seconds(controllerPid) - c0;
                    selfSeconds = seconds(self) - s0;
                    byThread = difference(t0, tasks(controllerPid));
                    selfByThread = difference(self0, tasks(self));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  void join() throws InterruptedException {
    thread.join();
  }

  double controllerSeconds() {
    return controllerSeconds;
  }

  double selfSeconds() {
    return selfSeconds;
  }

  /**
   * The controller's CPU seconds in the window by thread name, digits folded ({@code
   * haddns-gateway-N}); names are the kernel's, cut at 15 characters.
   */
  Map<String, Double> controllerByThread() {
    return byThread;
  }

  /** {@link #controllerByThread()} as Markdown lines, most first, as shares of the window's CPU. */
  List<String> threadLines(int top) {
    return lines(byThread, top);
  }

  /**
   * This JVM's CPU in the window by thread, as {@link #threadLines(int)} (the load generator and
   * whatever servers the benchmark runs in it). Threads that ended before the window's last reading
   * (a load generator's, which stop as the window ends) are not in {@code /proc} then: what the
   * process used beyond the threads still there is shown as one entry for them.
   */
  List<String> selfThreadLines(int top) {
    Map<String, Double> all = new HashMap<>(selfByThread);
    double listed = all.values().stream().mapToDouble(Double::doubleValue).sum();
    if (selfSeconds > listed) {
      all.put("(threads ended by the last reading)", selfSeconds - listed);
    }
    return lines(all, top);
  }

  private static List<String> lines(Map<String, Double> byThread, int top) {
    double all = byThread.values().stream().mapToDouble(Double::doubleValue).sum();
    if (all <= 0) {
      return List.of("- no CPU time read");
    }
    return Stream.concat(
            Stream.of(String.format(Locale.ROOT, "- %.2f CPU seconds in the window", all)),
            byThread.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .map(
                    e ->
                        String.format(
                            Locale.ROOT, "- %.1f %% %s", 100 * e.getValue() / all, e.getKey())))
        .toList();
  }

  private record Task(String name, double seconds) {}

  private static Map<Long, Task> tasks(long pid) {
    Map<Long, Task> tasks = new HashMap<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path dir : dirs.toList()) {
        try {
          String stat = Files.readString(dir.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
          tasks.put(Long.parseLong(dir.getFileName().toString()), new Task(name, seconds));
        } catch (IOException e) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  private static Map<String, Double> difference(Map<Long, Task> before, Map<Long, Task> after) {
    Map<String, Double> byName = new HashMap<>();
    after.forEach(
        (tid, t) -> {
          Task b = before.get(tid);
          double used = t.seconds() - (b == null ? 0 : b.seconds());
          if (used > 0) {
            byName.merge(t.name().replaceAll("[0-9]+", "N"), used, Double::sum);
          }
        });
    return byName;
  }

  /** utime + stime; USER_HZ is 100 on Linux. */
  private static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
