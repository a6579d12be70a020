package io.haddns.controller.testing;

import java.util.List;

/**
 * What the launchers ({@code ./haddns}, the release's {@code bin/haddns}, the systemd unit) start
 * the controller with when {@code HADDNS_JAVA_OPTS} is not set; benchmarks that measure "as
 * installed" use these, and {@code LauncherIT} checks the launcher still says the same.
 */
public final class LauncherDefaults {
  /** The controller's JVM flags (docs/benchmarks.md, "Controller memory"). */
  public static final List<String> JVM_FLAGS =
      List.of("-Xmx112m", "-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=1000");

  private LauncherDefaults() {}
}
