package io.haddns.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.HaddnsJar;
import io.haddns.controller.testing.RequiredBinary;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code haddns demo} from the shipped jar, as a user would, to the end of its scenario: the
 * jar must carry everything the embedded ZooKeeper and DNS server need, and the narration must
 * report measured timings for each step, with the record's answer changing at each step.
 */
class DemoIT {
  @TempDir Path dir;

  private static long millis(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertThat(m.find()).as("output has /%s/:%n%s", regex, out).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void demoRunsItsScenarioWithMeasuredTimings() throws Exception {
    HaddnsJar.Result r = runDemo(List.of(), dir.resolve("data"));

    assertScenarioCompleted(r);
  }

  /**
   * As an ordinary user (uid/gid 65534, no capabilities) in a fresh network namespace, whose {@code
   * net.ipv4.ping_group_range} is the kernel default {@code 1 0} that admits no group: ICMP is not
   * permitted, so the demo must say it probes by TCP only and still run its scenario.
   */
  @Test
  void demoRunsAsAnOrdinaryUserWithTcpProbesOnly() throws Exception {
    RequiredBinary.requireCondition(
        "root".equals(System.getProperty("user.name")), "switching to another user needs root");
    RequiredBinary.require("setpriv", "util-linux");
    RequiredBinary.require("unshare", "util-linux");
    Path data = dir.resolve("user-data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setOwner(
        data,
        FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    List<String> asNobody =
        List.of(
            "unshare",
            "--net",
            "sh",
            "-c",
            "ip link set lo up && cat /proc/sys/net/ipv4/ping_group_range >&2 && exec setpriv"
                + " --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
                + " --bounding-set=-all --no-new-privs \"$@\"",
            "demo-as-nobody");

    HaddnsJar.Result r = runDemo(asNobody, data);

    assertThat(r.stderr()).as("ping_group_range in the demo's namespace").startsWith("1\t0");
    assertThat(r.stdout())
        .contains("probes: TCP connect every 100 ms")
        .contains("ICMP is not permitted for this user")
        .contains("so the demo probes by TCP only")
        .doesNotContain("ICMP echo and TCP connect");
    assertScenarioCompleted(r);
    try (var files = Files.walk(data)) {
      assertThat(files.filter(Files::isRegularFile))
          .as("the demo wrote its state as the ordinary user")
          .isNotEmpty()
          .allSatisfy(f -> assertThat(Files.getOwner(f).getName()).isEqualTo("nobody"));
    }
  }

  private HaddnsJar.Result runDemo(List<String> wrapper, Path data) throws Exception {
    return HaddnsJar.require()
        .run(
            dir,
            Duration.ofSeconds(120),
            wrapper,
            "demo",
            "--exit",
            "--data",
            data.toString(),
            "--http-port",
            "0",
            "--dns-port",
            "0");
  }

  private static void assertScenarioCompleted(HaddnsJar.Result r) {
    assertThat(r.exitCode()).as("stderr:%n%s", r.stderr()).isZero();
    String out = r.stdout();
    assertThat(out).contains("leader elected: node-");
    assertThat(out).contains("app.demo.test -> 127.0.0.21 (line-a, the primary)");
    long failover =
        millis(
            out,
            "app\\.demo\\.test -> 127\\.0\\.0\\.22 \\(line-b\\) (\\d+) ms after line-a failed");
    long handover =
        millis(out, "new leader: node-\\d \\(epoch \\d+\\) (\\d+) ms after the old one stopped");
    long failback =
        millis(
            out,
            "app\\.demo\\.test -> 127\\.0\\.0\\.21 \\(line-a\\) (\\d+) ms after line-a returned");
    // Three failed 100 ms rounds are needed; anything far beyond a few seconds is a regression.
    assertThat(failover).isBetween(200L, 5000L);
    assertThat(handover).isBetween(0L, 5000L);
    assertThat(failback).isBetween(100L, 5000L);
    assertThat(out).contains("dig @127.0.0.").contains("demo finished");
    assertThat(r.stderr()).doesNotContain(" ERROR ");
  }
}
