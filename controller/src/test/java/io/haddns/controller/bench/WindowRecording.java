package io.haddns.controller.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A JFR recording ({@code settings=profile}) of the controller process over exactly one measurement
 * window, started with {@code jcmd <pid> JFR.start} {@code warmUp} after {@link #start()}: a
 * profile of the measured load, not of the warm-up's JIT compilation.
 */
final class WindowRecording {
  private final long pid;
  private final Duration warmUp;
  private final Duration window;
  private final Path file;
  private Thread thread;
  private volatile Optional<String> failure = Optional.empty();

  WindowRecording(long pid, Duration warmUp, Duration window, Path file) {
    this.pid = pid;
    this.warmUp = warmUp;
    this.window = window;
    this.file = file;
  }

  void start() {
    thread =
        Thread.ofPlatform()
            .name("bench-jfr")
            .start(
                () -> {
                  try {
                    Thread.sleep(warmUp);
                    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
                    Process p =
                        new ProcessBuilder(
                                jcmd.toString(),
                                String.valueOf(pid),
                                "JFR.start",
                                "settings=profile",
                                "duration=" + window.toSeconds() + "s",
                                "filename=" + file.toAbsolutePath())
                            .redirectErrorStream(true)
                            .start();
                    String out = new String(p.getInputStream().readAllBytes());
                    if (p.waitFor() != 0) {
                      failure = Optional.of("jcmd JFR.start exited " + p.exitValue() + ": " + out);
                    }
                  } catch (IOException e) {
                    failure = Optional.of("jcmd JFR.start: " + e.getMessage());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  /** Waits for the start; empty when the recording started (it ends by itself). */
  Optional<String> join() throws InterruptedException {
    thread.join();
    return failure;
  }
}
