package io.haddns.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.HaddnsJar;
import java.nio.file.Path;
import java.time.Duration;
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
    HaddnsJar jar = HaddnsJar.require();
    HaddnsJar.Result r =
        jar.run(
            dir,
            Duration.ofSeconds(120),
            "demo",
            "--exit",
            "--data",
            dir.resolve("data").toString(),
            "--http-port",
            "0",
            "--dns-port",
            "0");

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
