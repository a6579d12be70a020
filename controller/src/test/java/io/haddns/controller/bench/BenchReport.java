package io.haddns.controller.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A benchmark's result in markdown: free text and tables, printed to stdout and written to {@code
 * <haddns.bench.dir>/<name>.md} (the bench profile sets it to {@code controller/target/bench}). A
 * smoke run ({@link BenchSize}) only prints it, so its tiny numbers never replace a real table.
 */
final class BenchReport {
  private final String name;
  private final StringBuilder text = new StringBuilder();

  BenchReport(String name, String title) {
    this.name = name;
    text.append("# ").append(title).append("\n\n");
  }

  BenchReport line(String s) {
    text.append(s).append('\n');
    return this;
  }

  BenchReport table(List<String> header, List<List<String>> rows) {
    text.append('\n').append(row(header));
    text.append(row(header.stream().map(h -> "---").toList()));
    rows.forEach(r -> text.append(row(r)));
    text.append('\n');
    return this;
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  /** Prints the report and, unless this is a smoke run, writes it. */
  void publish() throws IOException {
    if (BenchSize.current().smoke()) {
      System.out.println(text);
      System.out.println("smoke run (" + BenchSize.PROPERTY + "): " + name + " not written");
      return;
    }
    Path dir = Path.of(System.getProperty("haddns.bench.dir", "target/bench"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".md");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    System.out.println(text);
    System.out.println("written: " + file.toAbsolutePath());
  }

  /** The machine, for the report header. */
  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", Java "
        + Runtime.version();
  }
}
