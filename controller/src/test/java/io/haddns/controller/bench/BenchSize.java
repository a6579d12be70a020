package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * How big a benchmark runs: at full size (the runs, counts and windows docs/benchmarks.md reports),
 * or, with {@code -Dhaddns.bench.smoke=true}, once at its smallest size that still goes through the
 * whole path: a smoke run, which {@code .ci/run} does so that a benchmark that no longer runs fails
 * CI. A smoke run judges no target and writes no result table ({@link BenchReport#publish} only
 * prints it); it still fails when a benchmark did not produce its measurements ({@link #measured}).
 * This is the one place that reads the property; every benchmark asks it for its sizes.
 *
 * @param smoke whether this is a smoke run
 */
record BenchSize(boolean smoke) {
  static final String PROPERTY = "haddns.bench.smoke";

  /** The size the benchmark JVM was started with. */
  static BenchSize current() {
    return new BenchSize(Boolean.getBoolean(PROPERTY));
  }

  /** {@code full} normally, {@code small} in a smoke run. */
  int pick(int full, int small) {
    return smoke ? small : full;
  }

  /** {@code full} normally, {@code small} in a smoke run. */
  <T> T pick(T full, T small) {
    return smoke ? small : full;
  }

  /**
   * An integer option: the system property {@code property} when set (it wins in both modes), else
   * {@link #pick(int, int)}.
   */
  int option(String property, int full, int small) {
    return Integer.getInteger(property, pick(full, small));
  }

  /** A duration in whole seconds, as {@link #option(String, int, int)}. */
  Duration seconds(String property, int full, int small) {
    return Duration.ofSeconds(option(property, full, small));
  }

  /**
   * Fails unless the benchmark measured {@code what}: at least one sample, each above zero. Holds
   * in both modes; it is what a smoke run checks instead of the targets.
   */
  static void measured(String what, Samples samples) {
    assertThat(samples.count()).as("%s: samples", what).isPositive();
    assertThat(samples.minNanos()).as("%s: shortest sample (ns)", what).isPositive();
  }

  /** Fails unless the measured {@code value} of {@code what} is above zero. */
  static void measured(String what, double value) {
    assertThat(value).as("%s: measured value", what).isPositive();
  }
}
