package io.haddns.controller.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time (user + system, from {@code /proc/<pid>/stat}) that the controller process and this JVM
 * spend inside a measurement window that starts {@code warmUp} after {@link #start()}.
 */
final class CpuClock {
  private final long controllerPid;
  private final Duration warmUp;
  private final Duration window;
  private Thread thread;
  private volatile double controllerSeconds;
  private volatile double selfSeconds;

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
                    double c0 = seconds(controllerPid);
                    double s0 = seconds(ProcessHandle.current().pid());
                    Thread.sleep(window);
                    controllerSeconds = seconds(controllerPid) - c0;
                    selfSeconds = seconds(ProcessHandle.current().pid()) - s0;
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
