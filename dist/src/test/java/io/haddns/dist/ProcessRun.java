package io.haddns.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished external program: its exit code and its standard output and error, merged. */
record ProcessRun(int exitCode, String output) {

  /** Runs {@code command} in {@code dir} with the inherited environment plus {@code env}. */
  static ProcessRun run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[][] out = new byte[1][];
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    out[0] = process.getInputStream().readAllBytes();
                  } catch (IOException e) {
                    out[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
                  }
                });
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      reader.join();
      throw new AssertionError(
          command + " did not finish within " + timeout + "; output:\n" + text(out[0]));
    }
    reader.join();
    return new ProcessRun(process.exitValue(), text(out[0]));
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }
}
