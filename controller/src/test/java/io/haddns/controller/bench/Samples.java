package io.haddns.controller.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Measured durations of one benchmark cell, with the order statistics the tables report. */
final class Samples {
  private final List<Long> nanos = new ArrayList<>();

  void add(Duration d) {
    nanos.add(d.toNanos());
  }

  void addNanos(long n) {
    nanos.add(n);
  }

  int count() {
    return nanos.size();
  }

  /** Nearest-rank percentile (0 < p <= 100) in nanoseconds. */
  long percentileNanos(double p) {
    if (nanos.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    List<Long> sorted = nanos.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  long minNanos() {
    return nanos.stream().mapToLong(Long::longValue).min().orElseThrow();
  }

  long maxNanos() {
    return nanos.stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  /** The lower median for an even count, so that it is always a measured value. */
  long medianNanos() {
    List<Long> sorted = nanos.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  List<Long> all() {
    return List.copyOf(nanos);
  }

  /** "min / median / max" in seconds. */
  String summary() {
    return seconds(minNanos()) + " / " + seconds(medianNanos()) + " / " + seconds(maxNanos());
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%d ms", Math.round(nanos / 1e6));
  }

  static String ratio(long a, long b) {
    return String.format(Locale.ROOT, "%.2f", (double) a / b);
  }
}
