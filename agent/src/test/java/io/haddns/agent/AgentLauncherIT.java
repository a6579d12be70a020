package io.haddns.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code haddns-agent} launcher (repository root) as a process, in both layouts: the source
 * checkout and an install directory holding the launcher and the jar, as docs/agent.md §5 and the
 * systemd unit use it.
 */
class AgentLauncherIT {
  private static final Path BASEDIR =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  private static final Path ROOT = BASEDIR.resolve("..").normalize();
  private static final Path LAUNCHER = ROOT.resolve("haddns-agent");
  private static final Path JAR = BASEDIR.resolve("target/haddns-agent.jar");

  @TempDir Path dir;

  private record Run(int code, String output) {}

  /** Runs the launcher without JAVA_HOME, so it must find a Java >= 21 itself. */
  private static Run run(Path launcher, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME");
    // Never build from a test: the jar under test is the one failsafe runs against.
    pb.environment().put("HADDNS_SKIP_BUILD", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("launcher hung: " + out);
    }
    return new Run(p.exitValue(), out);
  }

  @Test
  void theCheckoutLauncherRunsKeygenAndDetect() throws Exception {
    Run keygen = run(LAUNCHER, "keygen", "--out", dir.toString());
    Run detect = run(LAUNCHER, "detect", "--config", AgentMainIT.detectConfig(dir).toString());

    assertThat(keygen.code()).as(keygen.output()).isZero();
    Ed25519Keys.readPrivateKey(dir.resolve("agent.key"));
    Ed25519Keys.readPublicKey(dir.resolve("agent.pub"));
    assertThat(detect.code()).as(detect.output()).isZero();
    assertThat(detect.output()).contains("telecom ipv4 command: found [8.8.4.4]");
  }

  @Test
  void anInstalledLauncherRunsTheJarNextToIt() throws Exception {
    Path opt = Files.createDirectories(dir.resolve("opt/haddns-agent"));
    Files.copy(LAUNCHER, opt.resolve("haddns-agent"));
    Files.copy(JAR, opt.resolve("haddns-agent.jar"));

    Run version = run(opt.resolve("haddns-agent"), "--version");
    Run noConfig = run(opt.resolve("haddns-agent"));

    assertThat(version.code()).as(version.output()).isZero();
    assertThat(version.output()).contains("haddns-agent 0.1");
    assertThat(noConfig.code()).isNotZero();
    assertThat(noConfig.output()).contains("--config FILE is required");
  }

  @Test
  void theSystemdUnitAndTheDocsUseTheInstalledLauncher() throws Exception {
    String unit = Files.readString(ROOT.resolve("deploy/agent/haddns-agent.service"));
    String docs = Files.readString(ROOT.resolve("docs/agent.md"));

    assertThat(unit)
        .contains("ExecStart=/opt/haddns-agent/haddns-agent --config /etc/haddns-agent/agent.yaml");
    assertThat(docs)
        .contains("install -m 0755 haddns-agent /opt/haddns-agent/")
        .contains("install -m 0644 agent/target/haddns-agent.jar /opt/haddns-agent/")
        .contains("/opt/haddns-agent/haddns-agent keygen --out /etc/haddns-agent")
        .contains("install -m 0644 deploy/agent/haddns-agent.service /etc/systemd/system/")
        .doesNotContain("java -jar");
  }
}
