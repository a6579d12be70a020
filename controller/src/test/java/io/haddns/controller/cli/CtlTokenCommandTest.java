package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.auth.OperatorTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CtlTokenCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void printsANewTokenOnceAndTheConfigurationLineHoldingOnlyItsHash() throws Exception {
    Files.writeString(dir.resolve("haddns.yaml"), "cluster:\n  name: prod\n");

    Run r =
        run(
            "ctl",
            "token",
            "create",
            "--name",
            "alice",
            "--role",
            "operator",
            "--config",
            dir.resolve("haddns.yaml").toString());

    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    String token = lines.stream().filter(l -> l.startsWith("haddns_")).findFirst().orElseThrow();
    assertThat(OperatorTokens.cluster(token)).contains("prod");
    assertThat(r.out())
        .contains(
            "    - { name: alice, role: operator, sha256: \""
                + OperatorTokens.sha256(token)
                + "\" }");
    assertThat(r.out().indexOf(token)).isEqualTo(r.out().lastIndexOf(token));
  }

  @Test
  void refusesAnUnknownRoleAndAMissingCluster() {
    assertThat(
            run("ctl", "token", "create", "--name", "a", "--role", "root", "--cluster", "prod")
                .exit())
        .isEqualTo(2);
    Run noCluster = run("ctl", "token", "create", "--name", "a", "--role", "viewer");
    assertThat(noCluster.exit()).isEqualTo(2);
    assertThat(noCluster.err()).contains("give --cluster NAME or --config FILE");
  }

  @Test
  void writesTheScopeIntoTheConfigurationLine() {
    Run r =
        run(
            "ctl",
            "token",
            "create",
            "--name",
            "ci-home",
            "--role",
            "viewer",
            "--cluster",
            "prod",
            "--scope-line",
            "home",
            "--scope-hostname",
            "home.example.com,nas.example.com");

    assertThat(r.out())
        .contains("scope: { line: home, hostnames: [home.example.com, nas.example.com] } }");
  }
}
