package io.haddns.dist;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code helm lint} and {@code helm template} on a chart directory. */
record Helm(Path binary, Path workDir) {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  static final String RELEASE = "haddns";
  static final String NAMESPACE = "dns";

  /** {@code helm template} with the values files and {@code --set} pairs given, in order. */
  ProcessRun template(Path chart, List<Path> valuesFiles, Map<String, String> sets)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "template",
                RELEASE,
                chart.toString(),
                "--namespace",
                NAMESPACE));
    command.addAll(options(valuesFiles, sets));
    return run(command);
  }

  ProcessRun lint(Path chart, List<Path> valuesFiles) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "lint", "--strict"));
    command.add(chart.toString());
    command.addAll(options(valuesFiles, Map.of()));
    return run(command);
  }

  /** The rendered manifests; fails the test with helm's message when rendering fails. */
  String render(Path chart, List<Path> valuesFiles, Map<String, String> sets)
      throws IOException, InterruptedException {
    ProcessRun run = template(chart, valuesFiles, sets);
    if (run.exitCode() != 0) {
      throw new AssertionError("helm template failed:\n" + run.output());
    }
    return run.output();
  }

  private static List<String> options(List<Path> valuesFiles, Map<String, String> sets) {
    List<String> options = new ArrayList<>();
    for (Path f : valuesFiles) {
      options.add("--values");
      options.add(f.toString());
    }
    sets.forEach(
        (k, v) -> {
          options.add("--set");
          options.add(k + "=" + v);
        });
    return options;
  }

  private ProcessRun run(List<String> command) throws IOException, InterruptedException {
    // helm keeps caches and plugins under HOME's XDG dirs; keep them inside the test's directory.
    return ProcessRun.run(
        command,
        workDir,
        Map.of(
            "HELM_CACHE_HOME", workDir.resolve(".helm/cache").toString(),
            "HELM_CONFIG_HOME", workDir.resolve(".helm/config").toString(),
            "HELM_DATA_HOME", workDir.resolve(".helm/data").toString()),
        TIMEOUT);
  }
}
