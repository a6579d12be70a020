package io.haddns.controller.testing;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of a node's {@code /metrics}: validated with Prometheus' own {@code promtool check
 * metrics}, and parsed into samples by a strict reader of the text format.
 */
public final class MetricsScrape {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( \\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final String text;
  private final List<Sample> samples;

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private MetricsScrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = List.copyOf(samples);
  }

  public static MetricsScrape of(String adminBaseUrl) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create(adminBaseUrl + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IOException("/metrics answered " + res.statusCode());
      }
      return parse(res.body());
    }
  }

  /** A scrape of {@code registry} in the text format, as {@code /metrics} serves it. */
  public static MetricsScrape of(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(out.toString(StandardCharsets.UTF_8));
  }

  public static MetricsScrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        int end = 0;
        while (l.find()) {
          if (l.start() != end) {
            throw new IllegalArgumentException("bad labels: " + line);
          }
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        if (end != m.group(3).length()) {
          throw new IllegalArgumentException("bad labels: " + line);
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new MetricsScrape(text, out);
  }

  /** Runs {@code promtool check metrics} on the scrape; returns its complaints (empty if clean). */
  public String promtoolProblems(Path promtool) throws IOException, InterruptedException {
    Path f = Files.createTempFile("haddns-metrics", ".txt");
    try {
      Files.writeString(f, text);
      Process p =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectInput(f.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "promtool timed out";
      }
      return p.exitValue() == 0 ? "" : out;
    } finally {
      Files.deleteIfExists(f);
    }
  }

  /** The value of the sample with this name whose labels include {@code labels}. */
  public OptionalDouble value(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value)
        .findFirst();
  }

  public OptionalDouble value(String name) {
    return value(name, Map.of());
  }

  public List<Sample> samples() {
    return samples;
  }
}
