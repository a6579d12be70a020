package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real processes through /bin/sh (POSIX hosts only). */
class CommandDetectorIT {

  private static void requireShell() {
    boolean present = Files.isExecutable(Path.of("/bin/sh"));
    if (!present && "1".equals(System.getenv("HADDNS_REQUIRE_ALL"))) {
      throw new AssertionError("/bin/sh is required (HADDNS_REQUIRE_ALL=1)");
    }
    assumeTrue(present, "/bin/sh not present");
  }

  @Test
  void takesTheCommandsOutputAndPassesTheFamily() {
    requireShell();
    CommandDetector detector =
        new CommandDetector(
            List.of("/bin/sh", "-c", "test \"$0\" = ipv4 && echo 8.8.4.4"),
            Duration.ofSeconds(5),
            new PublicAddressFilter(false));

    Detection d = detector.detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void aFailingOrHangingCommandGivesNothing() {
    requireShell();
    CommandDetector failing =
        new CommandDetector(
            List.of("/bin/sh", "-c", "echo 8.8.4.4; exit 3"),
            Duration.ofSeconds(5),
            new PublicAddressFilter(false));
    CommandDetector hanging =
        new CommandDetector(
            List.of("/bin/sh", "-c", "sleep 30"),
            Duration.ofMillis(200),
            new PublicAddressFilter(false));

    assertThat(failing.detect(AddressFamily.IPV4)).isInstanceOf(Detection.Failed.class);
    assertThat(hanging.detect(AddressFamily.IPV4)).isInstanceOf(Detection.Failed.class);
  }
}
