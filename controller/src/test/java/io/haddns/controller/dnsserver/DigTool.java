package io.haddns.controller.dnsserver;

import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code dig} (BIND) or {@code kdig} (Knot) against a loopback server and reads the result.
 */
enum DigTool {
  DIG("dig", "bind9-dnsutils", "+tries=1"),
  KDIG("kdig", "knot-dnsutils", "+retry=0");

  private static final Pattern STATUS = Pattern.compile("status: (\\w+)");
  private static final Pattern FLAGS = Pattern.compile("(?i)flags: ([a-z ]*);");
  private static final Pattern ANSWER = Pattern.compile("ANSWER: (\\d+)");

  private final String program;
  private final String debianPackage;
  private final String noRetry;

  DigTool(String program, String debianPackage, String noRetry) {
    this.program = program;
    this.debianPackage = debianPackage;
    this.noRetry = noRetry;
  }

  /** What one run printed. */
  record Result(String output) {
    String status() {
      return find(STATUS);
    }

    List<String> flags() {
      return List.of(find(FLAGS).trim().split(" +"));
    }

    int answers() {
      return Integer.parseInt(find(ANSWER));
    }

    private String find(Pattern p) {
      Matcher m = p.matcher(output);
      if (!m.find()) {
        throw new AssertionError("no " + p + " in output:\n" + output);
      }
      return m.group(1);
    }
  }

  Result query(int port, String... args) throws IOException, InterruptedException {
    Path binary = RequiredBinary.require(program, debianPackage);
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(binary.toString(), "@127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of("+norec", "+time=3", noRetry));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(program + " did not finish: " + cmd);
    }
    return new Result(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
