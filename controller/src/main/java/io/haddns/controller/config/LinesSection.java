package io.haddns.controller.config;

import io.haddns.controller.net.AddressPolicy;
import io.haddns.probe.engine.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the {@code lines} section. */
final class LinesSection {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  static final Duration MIN_INTERVAL = Duration.ofMillis(50);
  static final int MAX_THRESHOLD = 100;

  /**
   * What was read.
   *
   * @param lines the lines that are entirely valid
   * @param addresses every line whose name is valid, with its address source when that is valid
   *     too, so that records can be checked against lines that have other problems
   */
  record Result(List<LineConfig> lines, Map<String, Optional<LineAddress>> addresses) {}

  private LinesSection() {}

  static Result read(YamlValue value) {
    List<LineConfig> lines = new ArrayList<>();
    Map<String, Optional<LineAddress>> addresses = new LinkedHashMap<>();
    Map<String, String> firstPath = new LinkedHashMap<>();
    List<YamlValue> items = value.list().orElse(List.of());
    if (value.node().isArray() && items.isEmpty()) {
      value.problem("must list at least one line");
    }
    for (YamlValue item : items) {
      Optional<YamlMap> map = item.map();
      if (map.isEmpty()) {
        continue;
      }
      YamlMap m =
          map.get()
              .allow(
                  "name",
                  "address",
                  "probes",
                  "interval",
                  "fastInterval",
                  "timeout",
                  "fall",
                  "rise",
                  "allowPrivate");
      Optional<String> name = m.required("name").flatMap(v -> name(v, firstPath));
      Optional<LineAddress> address = m.required("address").flatMap(LineAddressReader::read);
      name.ifPresent(n -> addresses.put(n, address));
      Optional<List<ProbeSpec>> probes = m.required("probes").flatMap(ProbesReader::read);
      Optional<Duration> interval =
          m.get("interval")
              .map(v -> v.duration(MIN_INTERVAL))
              .orElse(Optional.of(LineConfig.DEFAULT_INTERVAL));
      Optional<Duration> timeout = timeout(m, interval);
      Optional<Duration> fastInterval = fastInterval(m, interval, timeout);
      Optional<Integer> fall =
          m.get("fall")
              .map(v -> v.integer(1, MAX_THRESHOLD))
              .orElse(Optional.of(LineConfig.DEFAULT_FALL));
      Optional<Integer> rise =
          m.get("rise")
              .map(v -> v.integer(1, MAX_THRESHOLD))
              .orElse(Optional.of(LineConfig.DEFAULT_RISE));
      Optional<AddressPolicy> policy = addressPolicy(m, address);
      if (name.isPresent()
          && address.isPresent()
          && policy.isPresent()
          && probes.isPresent()
          && interval.isPresent()
          && fastInterval.isPresent()
          && timeout.isPresent()
          && fall.isPresent()
          && rise.isPresent()) {
        lines.add(
            new LineConfig(
                name.get(),
                address.get(),
                probes.get(),
                interval.get(),
                fastInterval.get(),
                timeout.get(),
                fall.get(),
                rise.get(),
                policy.get()));
      }
    }
    return new Result(lines, addresses);
  }

  private static Optional<String> name(YamlValue value, Map<String, String> firstPath) {
    Optional<String> name = value.string();
    if (name.isEmpty()) {
      return name;
    }
    if (!NAME.matcher(name.get()).matches()) {
      value.problem(
          "must start with a letter or digit and hold only letters, digits, '_', '.' and '-'");
      return Optional.empty();
    }
    String first = firstPath.putIfAbsent(name.get(), value.path());
    if (first != null) {
      value.problem("duplicate line name; already used at " + first);
      return Optional.empty();
    }
    return name;
  }

  /** {@code allowPrivate}: only for reported addresses, since static ones are used as written. */
  static Optional<AddressPolicy> addressPolicy(YamlMap m, Optional<LineAddress> address) {
    Optional<YamlValue> written = m.get("allowPrivate");
    if (written.isEmpty()) {
      return Optional.of(AddressPolicy.PUBLIC_ONLY);
    }
    Optional<Boolean> allow = written.get().bool();
    if (allow.isPresent() && address.orElse(null) instanceof LineAddress.Static) {
      written
          .get()
          .problem(
              "applies only to reported addresses (address: { agent: … }); static addresses are"
                  + " used as written");
      return Optional.empty();
    }
    return allow.map(AddressPolicy::of);
  }

  /**
   * The fast interval, defaulting to the interval: no shorter than the timeout (a round must end
   * before the next one starts) and no longer than the interval.
   */
  private static Optional<Duration> fastInterval(
      YamlMap m, Optional<Duration> interval, Optional<Duration> timeout) {
    Optional<YamlValue> written = m.get("fastInterval");
    if (written.isEmpty()) {
      return interval;
    }
    Optional<Duration> fast = written.get().duration(MIN_INTERVAL);
    if (fast.isEmpty() || interval.isEmpty() || timeout.isEmpty()) {
      return fast; // what else is wrong is reported where it was read
    }
    if (fast.get().compareTo(interval.get()) > 0) {
      outOfOrder(
          m,
          written.get(),
          "must not exceed",
          "interval",
          interval.get(),
          "it is the time between rounds while the line's health is changing");
      return Optional.empty();
    }
    if (fast.get().compareTo(timeout.get()) < 0) {
      outOfOrder(
          m,
          written.get(),
          "must be at least",
          "timeout",
          timeout.get(),
          "a probe round must end before the next one starts");
      return Optional.empty();
    }
    return fast;
  }

  /** The timeout, defaulting to 800ms but never to more than the interval. */
  private static Optional<Duration> timeout(YamlMap m, Optional<Duration> interval) {
    Optional<YamlValue> written = m.get("timeout");
    if (written.isEmpty()) {
      return interval.map(
          i -> i.compareTo(LineConfig.DEFAULT_TIMEOUT) < 0 ? i : LineConfig.DEFAULT_TIMEOUT);
    }
    Optional<Duration> timeout = written.get().duration(Duration.ofMillis(1));
    if (timeout.isPresent()
        && interval.isPresent()
        && timeout.get().compareTo(interval.get()) > 0) {
      outOfOrder(
          m,
          written.get(),
          "must not exceed",
          "interval",
          interval.get(),
          "a probe round must end before the next one starts");
      return Optional.empty();
    }
    return timeout;
  }

  /**
   * A problem at {@code written} relating it to the line's {@code other} key, whose {@code value}
   * was written or is its default.
   */
  private static void outOfOrder(
      YamlMap m, YamlValue written, String relation, String other, Duration value, String why) {
    written.problem(
        relation
            + " the "
            + other
            + " ("
            + DurationSyntax.format(value)
            + (m.has(other) ? "" : ", the default")
            + "): "
            + why);
  }
}
