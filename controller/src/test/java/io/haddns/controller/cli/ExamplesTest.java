package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The configuration files shipped in {@code examples/} pass {@code haddns check-config} as shipped
 * (with the sample secret files next to them), and the README points at each of them.
 */
class ExamplesTest {
  private static final Path ROOT =
      Path.of(System.getProperty("user.dir")).resolve("..").normalize();

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everyShippedExamplePassesCheckConfig() throws Exception {
    List<Path> examples = examples();

    assertThat(examples)
        .extracting(f -> f.getFileName().toString())
        .contains("single-node.yaml", "cluster-rfc2136.yaml", "gateway.yaml");
    for (Path example : examples) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          new CommandLine(new ControllerMain())
              .setOut(new PrintWriter(out, true))
              .setErr(new PrintWriter(err, true))
              .execute("check-config", example.toString());

      assertThat(exit).as("%s: %s", example, err).isZero();
      assertThat(out.toString()).contains(": valid (cluster ");
    }
  }

  @Test
  void readmePointsAtEveryExample() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));

    assertThat(examples())
        .allSatisfy(
            f ->
                assertThat(readme)
                    .contains("examples/" + f.getFileName())
                    .doesNotContain("check-config haddns.yaml"));
  }
}
