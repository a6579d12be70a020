package io.haddns.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.Ed25519Keys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentMainIT {
  @TempDir Path dir;

  @Test
  void keygenWritesAUsablePairAndRefusesToOverwrite() throws Exception {
    CommandLine cli = new CommandLine(new AgentMain());

    assertThat(cli.execute("keygen", "--out", dir.toString())).isZero();
    assertThat(cli.execute("keygen", "--out", dir.toString())).isEqualTo(1);
    Ed25519Keys.readPrivateKey(dir.resolve("agent.key"));
    Ed25519Keys.readPublicKey(dir.resolve("agent.pub"));
  }

  /**
   * A config whose one line's command detector prints 8.8.4.4; keys and state under {@code dir}.
   */
  static Path detectConfig(Path dir) throws java.io.IOException {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        id: office-gw
        privateKeyFile: %s
        stateFile: %s
        controllers: [https://localhost:1]
        lines:
          - name: telecom
            families: [ipv4]
            detectors:
              - command: { run: [/bin/sh, -c, "echo 8.8.4.4"] }
        """
            .formatted(dir.resolve("agent.key"), dir.resolve("state.json")));
    return config;
  }

  @Test
  void detectPrintsWhatEachDetectorSees() throws Exception {
    Path config = detectConfig(dir);
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new AgentMain());
    cli.setOut(new PrintWriter(out));

    int code = cli.execute("detect", "--config", config.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("telecom ipv4 command: found [8.8.4.4]");
  }
}
