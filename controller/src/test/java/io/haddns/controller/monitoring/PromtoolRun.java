package io.haddns.controller.monitoring;

import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of Prometheus' {@code promtool}: its exit code and what it printed. */
record PromtoolRun(int exitCode, String output) {

  /** Runs {@code promtool ARGS} in {@code dir}; skips (or fails under CI) without promtool. */
  static PromtoolRun run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(RequiredBinary.require("promtool", "prometheus").toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("promtool " + String.join(" ", args) + " ran longer than 60 s");
    }
    return new PromtoolRun(p.exitValue(), out);
  }
}
