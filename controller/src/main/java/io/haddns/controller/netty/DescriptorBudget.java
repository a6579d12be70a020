package io.haddns.controller.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The file descriptors this process may spend on client connections: its limit ({@code
 * RLIMIT_NOFILE}, soft; the JVM raises the soft limit to the hard one at start on Linux), less
 * those open now, less a reserve kept for the probers, ZooKeeper and DNS providers
 * (docs/configuration.md, "Connection limits"). A flood of connections that took every descriptor
 * would make probes fail with "Too many open files"; the servers' connection caps must fit in this
 * budget.
 *
 * @param limit the most descriptors the process may hold
 * @param inUse descriptors open when measured
 * @param reserve descriptors no connection may take
 */
public record DescriptorBudget(long limit, long inUse, long reserve) {
  /** The smallest default reserve: a prober round of 64 TCP probes at once still finds sockets. */
  public static final int MIN_DEFAULT_RESERVE = 64;

  public DescriptorBudget {
    if (limit < 1 || inUse < 0 || reserve < 0) {
      throw new IllegalArgumentException(
          "descriptor budget: limit " + limit + ", in use " + inUse + ", reserve " + reserve);
    }
  }

  /** Descriptors left for connections; negative when the reserve does not fit at all. */
  public long forConnections() {
    return limit - inUse - reserve;
  }

  /**
   * Why {@code caps} (config key to connection cap) do not fit in this budget, naming the keys and
   * the numbers; empty when they fit.
   */
  public Optional<String> refusal(Map<String, Integer> caps) {
    long total = caps.values().stream().mapToLong(Integer::longValue).sum();
    if (total <= forConnections()) {
      return Optional.empty();
    }
    return Optional.of(
        "descriptors: the connection caps "
            + caps
            + " add up to "
            + total
            + ", but the limit of "
            + limit
            + " open files (RLIMIT_NOFILE), less "
            + inUse
            + " in use and a reserve of "
            + reserve
            + " (node.descriptors.reserve), leaves "
            + Math.max(0, forConnections())
            + ": lower the caps or raise the limit (systemd LimitNOFILE=, docker --ulimit"
            + " nofile=)");
  }

  /**
   * The cap {@code key} of {@code caps} lowered so that all caps fit this budget, when it can be
   * lowered to at least {@code floor}; empty when the caps fit already or no such value exists. For
   * a cap left at its default, whose default is larger than a small descriptor limit allows (a
   * container's 1024 open files, for example): the node then starts with what fits instead of
   * refusing a value nobody chose.
   */
  public OptionalInt lowered(Map<String, Integer> caps, String key, int floor) {
    long total = caps.values().stream().mapToLong(Integer::longValue).sum();
    if (total <= forConnections() || !caps.containsKey(key)) {
      return OptionalInt.empty();
    }
    long others = total - caps.get(key);
    long fits = Math.min(caps.get(key), forConnections() - others);
    return fits >= floor ? OptionalInt.of((int) fits) : OptionalInt.empty();
  }

  /** A quarter of the limit, at least {@link #MIN_DEFAULT_RESERVE}. */
  public static long defaultReserve(long limit) {
    return Math.max(MIN_DEFAULT_RESERVE, limit / 4);
  }

  /**
   * Measures this process through {@code proc} (normally {@code /proc}); empty where there is no
   * such file system or the limit is unlimited, so nothing can be checked.
   */
  public static Optional<DescriptorBudget> measure(Path proc, OptionalInt reserve) {
    try {
      OptionalLong limit =
          softLimit(Files.readString(proc.resolve("self/limits"), StandardCharsets.US_ASCII));
      if (limit.isEmpty()) {
        return Optional.empty();
      }
      long inUse;
      try (Stream<Path> fds = Files.list(proc.resolve("self/fd"))) {
        // Less the descriptor that lists the directory.
        inUse = Math.max(0, fds.count() - 1);
      }
      long kept = reserve.isPresent() ? reserve.getAsInt() : defaultReserve(limit.getAsLong());
      return Optional.of(new DescriptorBudget(limit.getAsLong(), inUse, kept));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the descriptor limit under " + proc, e);
    }
  }

  /** The soft "Max open files" of a {@code /proc/<pid>/limits} text; empty when unlimited. */
  static OptionalLong softLimit(String limits) {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
        return fields[0].equals("unlimited")
            ? OptionalLong.empty()
            : OptionalLong.of(Long.parseLong(fields[0]));
      }
    }
    return OptionalLong.empty();
  }
}
