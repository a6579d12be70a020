package io.haddns.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball, unpacked into a temporary prefix as an operator would, runs from there with
 * nothing but a Java runtime: no source checkout, no Maven.
 */
class ReleaseTarballIT {
  @TempDir static Path prefix;
  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path tarball = Path.of(System.getProperty("haddns.tarball"));
    assertThat(tarball).exists();
    ProcessRun untar =
        ProcessRun.run(
            List.of("tar", "-xzf", tarball.toString(), "-C", prefix.toString()),
            prefix,
            Map.of(),
            Duration.ofSeconds(60));
    assertThat(untar.exitCode()).as(untar.output()).isZero();
    home = prefix.resolve("haddns-" + System.getProperty("haddns.version"));
  }

  @Test
  void holdsLaunchersJarsExampleConfigAndSystemdUnits() {
    assertThat(home.resolve("bin/haddns")).isExecutable();
    assertThat(home.resolve("bin/haddns-agent")).isExecutable();
    assertThat(home.resolve("lib/haddns.jar")).isRegularFile();
    assertThat(home.resolve("lib/haddns-agent.jar")).isRegularFile();
    assertThat(home.resolve("etc/haddns.example.yaml")).isRegularFile();
    assertThat(home.resolve("etc/agent.example.yaml")).isRegularFile();
    assertThat(home.resolve("systemd/haddns.service")).isRegularFile();
    assertThat(home.resolve("systemd/haddns-agent.service")).isRegularFile();
    assertThat(home.resolve("docs/configuration.md")).isRegularFile();
  }

  @Test
  void exampleConfigPassesCheckConfigFromTheUnpackedTree() throws Exception {
    ProcessRun run =
        launcher("bin/haddns", "check-config", home.resolve("etc/haddns.example.yaml").toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("valid (cluster example");
  }

  @Test
  void brokenConfigFailsCheckConfigWithTheProblemListed() throws Exception {
    Path broken = prefix.resolve("broken.yaml");
    Files.writeString(
        broken,
        Files.readString(home.resolve("etc/haddns.example.yaml"))
            .replace("sessionTimeout: 6s", "sesionTimeout: 6s"));

    ProcessRun run = launcher("bin/haddns", "check-config", broken.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output()).contains("did you mean 'sessionTimeout'");
  }

  @Test
  void demoRunsItsScenarioAndExits() throws Exception {
    ProcessRun run =
        launcher(
            "bin/haddns",
            "demo",
            "--exit",
            "--http-port",
            "0",
            "--dns-port",
            "0",
            "--data",
            prefix.resolve("demo").toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("demo finished");
    assertThat(run.output()).as("the JVM warned").doesNotContain("WARNING: ");
  }

  @Test
  void agentLauncherRunsTheAgentJar() throws Exception {
    ProcessRun run = launcher("bin/haddns-agent", "--help");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("keygen");
  }

  @Test
  void bothLaunchersReportTheProjectVersion() throws Exception {
    String version = System.getProperty("haddns.version");

    ProcessRun controller = launcher("bin/haddns", "--version");
    ProcessRun agent = launcher("bin/haddns-agent", "--version");

    assertThat(controller.output()).contains("haddns " + version);
    assertThat(agent.output()).contains("haddns-agent " + version);
  }

  @Test
  void launcherRefusesAnOlderJavaAndSaysWhatItNeeds() throws Exception {
    // Only /usr/bin on PATH (Debian's java there is 17 on the build machine, or none at all).
    ProcessRun run =
        ProcessRun.run(
            List.of(home.resolve("bin/haddns").toString(), "--version"),
            prefix,
            Map.of(
                "JAVA_HOME",
                "/nonexistent",
                "HADDNS_JVM_DIRS",
                "/nonexistent",
                "PATH",
                "/usr/bin:/bin"),
            Duration.ofSeconds(60));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("no Java 21 or newer found");
  }

  private static ProcessRun launcher(String script, String... args) throws Exception {
    List<String> command =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(home.resolve(script).toString()),
                java.util.Arrays.stream(args))
            .toList();
    // JAVA_HOME of the test JVM: a JDK here, but the launcher uses only its bin/java.
    return ProcessRun.run(
        command,
        prefix,
        Map.of("JAVA_HOME", System.getProperty("java.home")),
        Duration.ofMinutes(3));
  }
}
