package io.haddns.controller.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What runs: {@code haddns_build_info{version,revision,java}} and the Java client's JVM and process
 * metrics ({@code jvm_*}: memory, buffer pools, GC, threads, classes, compilation, runtime info;
 * {@code process_*}: CPU seconds, open and maximum descriptors, resident and virtual memory, start
 * time).
 */
public final class BuildMetrics {

  public BuildMetrics(PrometheusRegistry registry, String version, String revision) {
    Info.builder()
        .name("haddns_build_info")
        .help("Always 1; the labels say which haddns build runs on which Java runtime")
        .labelNames("version", "revision", "java")
        .register(registry)
        .setLabelValues(version, revision, Runtime.version().toString());
    JvmMetrics.builder().register(registry);
  }
}
