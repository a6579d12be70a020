package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.testing.RequiredCapability;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TCP probe whose socket cannot be created because this very process is out of file descriptors
 * (the soft {@code RLIMIT_NOFILE} lowered with {@code prlimit --pid} and the rest taken) is a
 * prober fault, not a failure of the target: the target listens all along.
 */
class TcpConnectProberDescriptorsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void faultsInsteadOfFailingWhenThisProcessHasNoDescriptorLeft() throws Exception {
    Path prlimit = RequiredCapability.requireBinary("prlimit", "util-linux");
    String pid = Long.toString(ProcessHandle.current().pid());
    String[] limits = openFilesLimits();
    String soft = limits[0];
    String hard = limits[1];
    try (TcpConnectProber prober = TcpConnectProber.open();
        ServerSocket target = new ServerSocket()) {
      target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertThat(probe(prober, target)).isInstanceOf(ProbeResult.Success.class);

      long open;
      try (var fds = Files.list(Path.of("/proc/self/fd"))) {
        open = fds.count();
      }
      run(prlimit.toString(), "--pid", pid, "--nofile=" + (open + 16) + ":" + hard);
      List<FileInputStream> hogs = new ArrayList<>();
      ProbeResult starved;
      try {
        while (true) {
          try {
            hogs.add(new FileInputStream("/dev/null"));
          } catch (IOException e) {
            break;
          }
        }
        starved = probe(prober, target);
      } finally {
        for (FileInputStream h : hogs) {
          h.close();
        }
        run(prlimit.toString(), "--pid", pid, "--nofile=" + soft + ":" + hard);
      }

      assertThat(starved)
          .isInstanceOfSatisfying(
              ProbeResult.Fault.class,
              f -> {
                assertThat(f.kind()).isEqualTo(ProbeResult.FaultKind.DESCRIPTORS);
                assertThat(f.detail()).contains("Too many open files");
              });
      assertThat(probe(prober, target)).isInstanceOf(ProbeResult.Success.class);
    }
  }

  private static ProbeResult probe(TcpConnectProber prober, ServerSocket target) {
    return prober.probe(target.getInetAddress(), target.getLocalPort(), TIMEOUT).join();
  }

  /** The soft and hard "Max open files" of this process. */
  private static String[] openFilesLimits() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/limits")).stream()
        .filter(l -> l.startsWith("Max open files"))
        .map(l -> l.substring("Max open files".length()).trim().split("\\s+"))
        .findFirst()
        .orElseThrow();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
  }
}
